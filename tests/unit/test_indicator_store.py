"""The shipped indicator store, the FOTN scale conversion, history/restore and the ingest/export round trip."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igf_explorer.check import check_data_dir
from igf_explorer.cli import main
from igf_explorer.fotn import FOTN_MAXIMA, convert_value, crosses_scale_break, published_scale, to_display_scale
from igf_explorer.indicators import load_store
from igf_explorer.ingest.history import read_log, restore
from igf_explorer.ingest.pipeline import run_ingest
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest


def export(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["export", "indicators", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_fotn_editions_have_the_documented_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    rows = export(capsys, "--indicator", "fotn_total")
    per_edition = pd.Series([r["year"] for r in rows]).value_counts()
    assert per_edition["2018"] == 65 and per_edition["2012"] == 47
    assert per_edition["2011"] == 37 and per_edition["2013"] == 60
    assert all(per_edition[str(y)] == 65 for y in range(2014, 2020))


def test_shutdown_totals_match_access_now(capsys: pytest.CaptureFixture[str]) -> None:
    rows = export(capsys, "--indicator", "shutdowns")
    totals = pd.DataFrame(rows).astype({"value": int}).groupby("year")["value"].sum().to_dict()
    assert totals == {"2016": 75, "2017": 106, "2018": 196, "2019": 213, "2020": 159, "2021": 182, "2022": 187}
    y2022 = {r["iso3"]: int(r["value"]) for r in rows if r["year"] == "2022"}
    assert len(y2022) == 35 and y2022["IND"] == 84 and y2022["UKR"] == 22 and y2022["IRN"] == 18 and y2022["MMR"] == 7


def test_internet_users_and_wcit(capsys: pytest.CaptureFixture[str]) -> None:
    users = export(capsys, "--indicator", "internet_users")
    assert {int(r["year"]) for r in users} == set(range(2005, 2024))
    assert len({r["iso3"] for r in users if r["year"] == "2023"}) == 59
    wcit = export(capsys, "--indicator", "wcit12_signed")
    assert sum(r["value"] == "1" for r in wcit) == 45 and sum(r["value"] == "0" for r in wcit) == 28


def test_fotn_rows_keep_their_sources_and_published_scale() -> None:
    store, registry = load_store(DATA_DIR)
    china_2018 = store[(store.iso3 == "CHN") & (store.year == 2018) & (store.indicator == "fotn_total")]
    assert china_2018["value"].tolist() == [88]  # as published in 2018 (0 = most free)
    assert (store.loc[store.indicator.str.startswith("fotn"), "source"] != "").all()
    assert registry.dataset_of("fotn_total").editions[2012].coverage_period == "Jan 2011 - May 2012"


@pytest.mark.parametrize(
    ("value", "indicator", "scale", "expected"),
    [
        (88, "fotn_total", "lower_is_freer", 12),
        (12, "fotn_total", "higher_is_freer", 12),
        (5, "fotn_obstacles", "lower_is_freer", 20),
        (30, "fotn_limits", "lower_is_freer", 5),
        (40, "fotn_violations", "lower_is_freer", 0),
    ],
)
def test_convert_value(value: float, indicator: str, scale: str, expected: float) -> None:
    assert convert_value(value, indicator, scale) == expected


@given(st.sampled_from(sorted(FOTN_MAXIMA)), st.integers(min_value=2009, max_value=2030), st.data())
def test_conversion_is_its_own_inverse(indicator: str, edition: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(min_value=0, max_value=int(FOTN_MAXIMA[indicator])))
    scale = published_scale(edition)
    shown = convert_value(value, indicator, scale)
    assert 0 <= shown <= FOTN_MAXIMA[indicator]
    assert convert_value(shown, indicator, "higher_is_freer", scale) == value


def test_to_display_scale_and_break_detection() -> None:
    frame = pd.DataFrame(
        {
            "iso3": ["CHN", "CHN", "NGA"],
            "year": [2018, 2019, 2018],
            "indicator": ["fotn_total", "fotn_total", "internet_users"],
            "value": [88.0, 10.0, 42.0],
        }
    )
    shown = to_display_scale(frame)
    assert shown["value"].tolist() == [12.0, 10.0, 42.0]
    assert shown["converted"].tolist() == [True, False, False]
    assert crosses_scale_break(frame["year"]) and not crosses_scale_break(pd.Series([2012, 2018]))


def test_history_and_restore(data_copy: Path) -> None:
    shipped = tree_digest(data_copy / "indicators")
    entries_before = read_log(data_copy)
    report = run_ingest(INGEST_FIXTURES / "tidy_utf8.csv", data_copy)
    assert report.written
    assert tree_digest(data_copy / "indicators") != shipped
    assert check_data_dir(data_copy) == []  # the sidecar checksum follows the write
    restore(data_copy, entries_before[-1]["id"])
    log = read_log(data_copy)
    assert [e["action"] for e in log[-2:]] == ["ingest", "restore"]
    store, _ = load_store(data_copy)
    original, _ = load_store(DATA_DIR)
    pd.testing.assert_frame_equal(store, original)


def test_changed_data_file_fails_the_checksum_check(data_copy: Path) -> None:
    path = data_copy / "indicators" / "wcit12.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    assert any("sha256 does not match" in p.message for p in check_data_dir(data_copy))


def test_out_of_range_stored_value_fails_check(data_copy: Path) -> None:
    path = data_copy / "indicators" / "wcit12.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",wcit12_signed,1,", ",wcit12_signed,7,", 1), encoding="utf-8")
    problems = check_data_dir(data_copy)
    assert any(p.file == "indicators/wcit12.csv" and "value_within_indicator_range" in p.message for p in problems)


CODES = ["NGA", "KEN", "PAK", "BRA", "IND", "DEU", "XKX"]
row_strategy = st.tuples(
    st.sampled_from(CODES),
    # Within the series' period of interest (its sidecar's keep_from) and not in the future.
    st.integers(min_value=2005, max_value=2025),
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
    st.text(alphabet="abc xyz,;\"'é", max_size=12),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(row_strategy, min_size=1, max_size=30, unique_by=lambda r: (r[0], r[1])))
def test_random_tidy_frames_round_trip(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int, float, str]]
) -> None:
    import shutil

    data_dir = tmp_path_factory.mktemp("rt") / "data"
    shutil.copytree(DATA_DIR, data_dir)
    frame = pd.DataFrame(
        {
            "iso3": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "indicator": "internet_users",
            "value": [r[2] for r in rows],
            "status": "",
            "note": [r[3].strip() for r in rows],
            "source": "",
        }
    )
    path = data_dir.parent / "input.csv"
    frame.to_csv(path, index=False)
    report = run_ingest(path, data_dir)
    assert report.ok, report.problems
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(data_dir), "export", "indicators", "--indicator", "internet_users"]) == 0
    exported = pd.read_csv(
        io.StringIO(out.getvalue()),
        dtype={"status": str, "note": str, "source": str},
        keep_default_na=False,
        float_precision="round_trip",
    )
    keys = ["iso3", "year", "indicator"]
    merged = frame.merge(exported, on=keys, suffixes=("_in", "_out"))
    assert len(merged) == len(frame)
    assert (merged["value_in"] == merged["value_out"]).all()
    assert (merged["note_in"] == merged["note_out"]).all()
