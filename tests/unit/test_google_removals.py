"""Google's government removal requests: both layouts, renamed headers, the zip as downloaded, ranges, the overlap."""

from __future__ import annotations

import contextlib
import io
import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from igf_explorer.check import check_expectations
from igf_explorer.cli import main
from igf_explorer.geometry import load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_registry, load_store, read_tidy_file
from igf_explorer.ingest.formats import detect_format
from igf_explorer.ingest.formats.google_removals import half_years
from igf_explorer.ingest.pipeline import IngestReport, run_ingest
from igf_explorer.ingest.reading import Limits, open_input
from igf_explorer.problems import DataError
from igf_explorer.views.mapframe import absent_lists, map_frame, table_for
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest

GOOGLE = INGEST_FIXTURES / "google"
SHARED = DATA_DIR.parent.parent / "shared" / "data-sources"
HISTORICAL = SHARED / "google-government-removal-requests-historical.csv"
CURRENT = SHARED / "google-government-removal-requests.csv"


def dry(path: Path, data_dir: Path) -> IngestReport:
    report = run_ingest(path, data_dir, dry_run=True)
    assert report.ok, report.problems
    assert report.format == "google_removals" and report.dataset == "removals"
    return report


def by_key(report: IngestReport) -> dict[tuple[str, int, str], tuple[float, str, str]]:
    return {(r.iso3, r.year, r.indicator): (r.value, r.status, r.note) for r in report.rows.itertuples()}


def test_current_layout_sums_the_half_years_and_names_each_in_the_note(data_copy: Path) -> None:
    rows = by_key(dry(GOOGLE / "current_small.csv", data_copy))
    value, status, note = rows[("USA", 2021, "removal_requests")]
    assert (value, status) == (717, "")  # 404 (200 + 36 + 3 + 100 + 65) + 313 (234 + 79)
    assert note == "half-years ending 2021-06-30: 404; 2021-12-31: 313"
    share, _, share_note = rows[("USA", 2021, "removal_court_share")]
    assert share == round(100 * (239 + 234) / 717, 1)  # suppression orders count as court orders
    assert share_note == "court orders of requests, half-years ending 2021-06-30: 239 of 404; 2021-12-31: 234 of 313"
    assert rows[("IND", 2021, "removal_requests")][::2] == (1332, "half-years ending 2021-06-30: 1,332; 2021-12-31: 0")
    assert rows[("XKX", 2021, "removal_requests")][::2] == (
        2,
        "half-years ending 2021-06-30: 2; 2021-12-31: not listed",
    )


def test_a_year_the_file_holds_half_of_says_so(data_copy: Path) -> None:
    report = dry(GOOGLE / "current_small.csv", data_copy)
    value, _, note = by_key(report)[("USA", 2022, "removal_requests")]
    assert value == 228
    assert note == "half-years ending 2022-06-30: 228; 2022-12-31: not in the file (the year covers Jan–Jun only)"
    assert "2022: the file holds only the half-year ending 2022-06-30: 2022 covers January–June" in report.notes
    assert ("IND", 2022, "removal_requests") not in by_key(report)  # not listed: no row, never a zero


def test_territories_that_are_not_countries_are_reported_and_left_out(data_copy: Path) -> None:
    current = dry(GOOGLE / "current_small.csv", data_copy)
    assert "not countries, left out: European Union (EU, 1 row), Europol (no code, 1 row)" in current.notes
    historical = dry(GOOGLE / "historical_small.csv", data_copy)
    assert (
        "not countries, left out: European Union (EU, 1 row), Europol (no code, 1 row), Interpol (no code, 1 row)"
        in historical.notes
    )
    assert set(current.rows["iso3"]) == {"USA", "IND", "XKX"}
    assert set(historical.rows["iso3"]) == {"ARG", "ARM", "CAN", "CYP", "USA"}


def test_renamed_headers_of_another_vintage_ingest_the_same(data_copy: Path) -> None:
    original = dry(GOOGLE / "current_small.csv", data_copy)
    renamed = dry(GOOGLE / "current_renamed_headers.csv", data_copy)
    columns = ["iso3", "year", "indicator", "value", "status", "note"]
    pd.testing.assert_frame_equal(renamed.rows[columns], original.rows[columns])


def test_the_zip_as_downloaded_ingests_its_removal_requests_csv(data_copy: Path) -> None:
    source, problems = open_input(GOOGLE / "google-government-removals.zip")
    assert problems == [] and source is not None
    assert source.member == "google-government-removals/google-government-removal-requests.csv"
    assert detect_format(source) == "google_removals"
    zipped = dry(GOOGLE / "google-government-removals.zip", data_copy)
    plain = dry(GOOGLE / "current_small.csv", data_copy)
    columns = ["iso3", "year", "indicator", "value", "status", "note"]
    pd.testing.assert_frame_equal(zipped.rows[columns], plain.rows[columns])
    # A row whose figure is new names the zip and the member it came from (an unchanged one keeps the stored source).
    label = "Google: google-government-removals.zip [google-government-removals/google-government-removal-requests.csv]"
    assert zipped.rows["source"].str.startswith(label + " (sha256 ").any()


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_without_one_table_to_read_is_refused_clearly(tmp_path: Path) -> None:
    table = (GOOGLE / "current_small.csv").read_bytes()
    _, none = open_input(_zip(tmp_path / "none.zip", {"README.txt.pdf": b"%PDF", "__MACOSX/._a.csv": b"x"}))
    assert [p.message for p in none] == [
        "is a zip archive holding no CSV file (it holds: README.txt.pdf, __MACOSX/._a.csv); ingest a CSV or .xlsx"
    ]
    _, several = open_input(_zip(tmp_path / "several.zip", {"a.csv": table, "b.csv": table}))
    assert len(several) == 1 and "holding several CSV files (a.csv, b.csv)" in several[0].message
    source, problems = open_input(_zip(tmp_path / "one.zip", {"any-name.csv": table}))
    assert problems == [] and source is not None and source.name == "one.zip [any-name.csv]"


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "bomb.zip", {"google-government-removal-requests.csv": b"Period Ending\n" + b"0" * 5_000_000}
    )
    assert path.stat().st_size < 100_000
    _, problems = open_input(path, limits=Limits.for_bytes(100_000))
    assert len(problems) == 1 and "possible zip bomb" in problems[0].message and "bomb.zip" in problems[0].file


def test_historical_ranges_are_never_numbers(data_copy: Path) -> None:
    report = dry(GOOGLE / "historical_small.csv", data_copy)
    rows = by_key(report)
    armenia = rows[("ARM", 2009, "removal_requests")]
    assert math.isnan(armenia[0]) and armenia[1] == "fewer than 10"
    assert armenia[2] == "half-years ending 2009-06-30: not in the file (the year covers Jul–Dec only); 2009-12-31: <10"
    cyprus = rows[("CYP", 2010, "removal_requests")]
    assert math.isnan(cyprus[0]) and cyprus[1:] == (
        "fewer than 10",
        "half-years ending 2010-06-30: <10; 2010-12-31: not listed",
    )
    canada = rows[("CAN", 2010, "removal_requests")]  # <10 + 7: between 7 and 16
    assert math.isnan(canada[0]) and canada[1:] == ("fewer than 20", "half-years ending 2010-06-30: <10; 2010-12-31: 7")
    assert not {("ARM", 2009), ("CYP", 2010), ("CAN", 2010)} & {
        (k[0], k[1]) for k in rows if k[2] == "removal_court_share"
    }
    assert rows[("ARG", 2009, "removal_court_share")][0] == round(100 * 41 / 42, 1)
    assert rows[("USA", 2010, "removal_requests")][::2] == (182, "half-years ending 2010-06-30: 128; 2010-12-31: 54")
    assert ("CHN", 2009, "removal_requests") not in rows
    assert any("published as '?' (not disclosed): China 2009" in n for n in report.notes)


def test_historical_leaves_out_the_period_the_current_format_has(data_copy: Path) -> None:
    report = dry(GOOGLE / "historical_small.csv", data_copy)
    assert 2019 not in set(report.rows["year"])
    assert any(n.startswith("1 rows of the half-year ending 2019-06-30 left out") for n in report.notes)


def test_range_rows_are_stored_empty_and_mapped_by_their_status(data_copy: Path) -> None:
    report = run_ingest(GOOGLE / "historical_small.csv", data_copy)
    assert report.ok and report.written, report.problems
    stored = read_tidy_file(data_copy / "indicators" / "removals.csv").set_index(["iso3", "year", "indicator"])
    assert math.isnan(stored.loc[("CYP", 2010, "removal_requests"), "value"])
    store = IndicatorStore(*load_store(data_copy))
    frame = map_frame(store, "removal_requests", 2010, None, load_geometry(DATA_DIR.resolve())).set_index("iso3")
    assert frame.loc["CYP", "state"] == "fewer than 10" and frame.loc["CAN", "state"] == "fewer than 20"
    assert (
        "fewer than 10 (requests)" in frame.loc["CYP", "hover"]
        and "a range that holds 0–9" in frame.loc["CYP", "hover"]
    )
    table = table_for(frame.reset_index(), store.registry.indicator("removal_requests"), 2010)
    assert "Cyprus" not in set(table["Country"]) and "United States" in set(table["Country"])  # a range is no figure
    absent = dict(absent_lists(frame.reset_index()))
    assert "Cyprus" in absent["fewer than 10"] and "Canada" in absent["fewer than 20"]


def test_a_hand_made_empty_value_needs_a_range_status(tmp_path: Path, data_copy: Path) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(
        "iso3,year,indicator,value,status\nKEN,2012,removal_requests,,fewer than 10\n"
        "NGA,2012,removal_requests,,\nGHA,2012,removal_requests,4,fewer than 10\nUGA,2012,removal_requests,,odd\n",
        encoding="utf-8",
    )
    report = run_ingest(path, data_copy, dry_run=True)
    found = {(p.row, p.column): p.message for p in report.problems}
    assert found[(3, "value")] == "value is empty; leave the row out instead"
    assert found[(4, "value")].startswith("status 'fewer than 10' stands for a range (0–9), so the value must be empty")
    assert found[(5, "status")].startswith("status 'odd' is not one of fewer than 10, fewer than 20")
    assert len(found) == 3


def test_a_broken_file_gives_every_problem_located_and_stores_nothing(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_copy), "ingest", str(GOOGLE / "broken_current.csv")])
    assert code == 1 and out.getvalue() == "" and "Traceback" not in err.getvalue()
    text = err.getvalue()
    for expected in (
        "broken_current.csv, row 3, column 'Period Ending': period '2021-13-31' is not the end of a half-year",
        "broken_current.csv, row 4, column 'CLDR Territory Code': territory code 'ZZ' is not a two-letter country code",
        "broken_current.csv, row 5, column 'Number of Requests': number of requests 'many' is not a number of requests",
        "broken_current.csv, row 6, column 'CLDR Territory Code': US 2021-06-30 Police is given twice (rows 2 and 6)",
        "broken_current.csv, row 7, column 'Number of Requests': number of requests is empty",
    ):
        assert expected in text, text
    assert tree_digest(data_copy) == before


def test_the_2019_overlap_gives_the_same_court_order_share_in_both_formats() -> None:
    if not (HISTORICAL.exists() and CURRENT.exists()):
        pytest.skip("shared data sources are not beside this checkout")
    old_source, _ = open_input(HISTORICAL)
    new_source, _ = open_input(CURRENT)
    assert old_source is not None and new_source is not None
    period = pd.Timestamp("2019-06-30").date()
    old = {c: h[period] for c, h in half_years(old_source, keep_overlap=True).items() if period in h}
    new = {c: h[period] for c, h in half_years(new_source).items() if period in h}
    assert len(old) == len(new) == 78 and set(old) == set(new)
    gaps = {}
    for iso3 in old:
        before, after = old[iso3], new[iso3]
        assert before.court is not None and after.court is not None and before.total.exact
        gaps[iso3] = abs(100 * after.court.low / after.total.low - 100 * before.court.low / before.total.low)
    assert sum(round(g, 1) == 0 for g in gaps.values()) == 62
    assert sum(g <= 2 for g in gaps.values()) == 75 and max(gaps.values()) == pytest.approx(6.0, abs=0.05)
    assert sum(old[c].total.low == new[c].total.low for c in old) == 56


STORED = DATA_DIR / "indicators" / "removals.csv"


def _half_year(note: str, end: str) -> int | None:
    match = re.search(re.escape(end) + r": ([\d,]+)(?:;|$)", note)
    return int(match.group(1).replace(",", "")) if match else None


def test_acceptance_the_stored_rows_give_googles_half_years() -> None:
    stored = read_tidy_file(STORED)
    requests = stored[stored["indicator"] == "removal_requests"].set_index(["iso3", "year"])["note"]
    assert _half_year(requests[("USA", 2021)], "2021-06-30") == 404
    assert _half_year(requests[("IND", 2021)], "2021-06-30") == 1332
    assert "2021-06-30: 1,332" in requests[("IND", 2021)]
    assert _half_year(requests[("AUS", 2021)], "2021-06-30") == 392
    assert _half_year(requests[("USA", 2010)], "2010-12-31") == 54
    assert _half_year(requests[("RUS", 2023)], "2023-12-31") == 25925
    # Google's world total for H1 2017 is 19,176, Europol's 2 among them (left out: not a country).
    parts = [_half_year(note, "2017-06-30") for note in requests.xs(2017, level="year")]
    assert sum(p for p in parts if p) == 19_176 - 2
    assert sorted(stored["year"].unique()) == list(range(2009, 2026))
    # And a reader finds them: the map's hover carries the half-years as Google published them.
    store = IndicatorStore(*load_store(DATA_DIR))
    frame = map_frame(store, "removal_requests", 2021, None, load_geometry(DATA_DIR.resolve())).set_index("iso3")
    assert "2021-06-30: 404" in frame.loc["USA", "hover"] and "2021-06-30: 1,332" in frame.loc["IND", "hover"]
    ranged = stored[stored["status"].isin(["fewer than 10", "fewer than 20"])]
    assert len(ranged) == 48 and ranged["value"].isna().all() and set(ranged["year"]) == {2009, 2010}
    assert stored.loc[~stored.index.isin(ranged.index), "value"].notna().all()


def _edit_sidecar(data_dir: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = data_dir / "indicators" / "removals.meta.yml"
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(fields)
    path.write_text(yaml.safe_dump(fields, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_check_reads_the_expected_half_years_in_the_notes(data_copy: Path) -> None:
    def expect(fields: dict[str, Any]) -> None:
        notes = {2010: {"USA": "2010-12-31: 54", "CAN": "2010-12-31: 5", "ATA": "2010-12-31: 1"}, 2009: {"USA": "123"}}
        fields["expect"] = {"removal_requests": {"source": "a test", "notes": notes}}

    _edit_sidecar(data_copy, expect)
    store, registry = load_store(data_copy)
    problems = [p for p in check_expectations(store, registry) if p.file == "indicators/removals.meta.yml"]
    assert {(p.column, p.message.split(" (it says")[0]) for p in problems} == {
        (
            "expect.removal_requests.notes.2010.CAN",
            "removal_requests, year 2010: CAN's note does not say '2010-12-31: 5'",
        ),
        (
            "expect.removal_requests.notes.2010.ATA",
            "removal_requests, year 2010: no row for ATA; expected a note saying '2010-12-31: 1'",
        ),
    }


def test_range_statuses_must_be_statuses_within_the_range(data_copy: Path) -> None:
    def misfit(fields: dict[str, Any]) -> None:
        fields["indicators"][0]["ranges"] = {"fewer than 10": [0, 9], "a few": [0, 3], "too many": [0, 300000]}
        fields["indicators"][0]["statuses"] = ["fewer than 10", "too many"]

    _edit_sidecar(data_copy, misfit)
    with pytest.raises(DataError) as caught:
        load_registry(data_copy)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("indicators/removals.meta.yml", 1, "ranges")
    assert "range 'a few' is not one of the statuses (fewer than 10, too many)" in problem.message
    assert "range 'too many' (0–300000) is outside the range 0–200000" in problem.message
