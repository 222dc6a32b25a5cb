"""Updates a maintainer can trust: no wrong country, no silent loss, every problem in one run (issue 7)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from igf_explorer.cli import main
from igf_explorer.indicators import load_store
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.report import report_lines
from tests.conftest import INGEST_FIXTURES, tree_digest

SHARED = Path(__file__).resolve().parents[3] / "shared"


def ingest(data_dir: Path, path: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), "ingest", str(path), *extra])
    return code, out.getvalue(), err.getvalue()


def test_typos_and_names_of_two_countries_stop_the_ingest_with_candidates(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, out, err = ingest(data_copy, INGEST_FIXTURES / "names_strict.csv")
    assert code == 1 and out == ""
    assert "row 2, column 'country': country name 'Nigera' is not recognised (did you mean" in err
    assert "NGA (Nigeria)" in err and "NER (Niger)" in err
    assert "row 3, column 'country': country name 'Congo' is ambiguous (COG" in err and "COD" in err
    assert "row 4, column 'country': country name 'Korea' is ambiguous (KOR" in err and "PRK" in err
    # The names that did resolve are listed with the code and the way they were matched.
    assert "Niger → NER Niger (exact name, 1 row)" in err and "Nigeria → NGA Nigeria (exact name, 1 row)" in err
    assert tree_digest(data_copy) == before


def test_niger_and_nigeria_in_one_file_land_on_their_own_countries(data_copy: Path) -> None:
    report = run_ingest(INGEST_FIXTURES / "names_niger_nigeria.csv", data_copy, dry_run=True)
    assert report.ok, report.problems
    assert report.rows.set_index("iso3")["value"].to_dict() == {"NER": 16.6, "NGA": 35.5}
    assert {(m.name, m.iso3, m.how) for m in report.names} == {
        ("Niger", "NER", "exact name"),
        ("Nigeria", "NGA", "exact name"),
    }


def test_an_override_settles_an_ambiguous_name_and_says_so(data_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "congo.csv"
    path.write_text("country,year,indicator,value\nCongo,2021,internet_users,20\n", encoding="utf-8")
    code, out, _ = ingest(data_copy, path, "--dry-run", "--override", "Congo=COG")
    assert code == 0 and "Congo → COG" in out and "(override, 1 row)" in out


def _stored(data_dir: Path, indicator: str, year: int) -> set[str]:
    store, _ = load_store(data_dir)
    return set(store.loc[(store.indicator == indicator) & (store.year == year), "iso3"])


def test_a_partial_edition_adds_and_updates_and_removes_nothing_by_default(data_copy: Path) -> None:
    fixture = INGEST_FIXTURES / "fotn_2024_five_countries.csv"
    stored_2024 = _stored(data_copy, "fotn_total", 2024)
    before = tree_digest(data_copy)
    refused = run_ingest(fixture, data_copy, dry_run=True)
    assert not refused.ok and "cannot tell the edition" in refused.problems[0].message
    assert tree_digest(data_copy) == before
    report = run_ingest(fixture, data_copy, options=Options(edition=2024))
    assert report.ok and report.written, report.problems
    assert report.summary()["removed"] == 0
    assert _stored(data_copy, "fotn_total", 2024) == stored_2024 | {"AGO", "ARG", "ARM", "AUS", "AZE"}


def test_replace_edition_removes_the_rest_of_the_edition_and_says_which(data_copy: Path) -> None:
    fixture = INGEST_FIXTURES / "fotn_2024_five_countries.csv"
    store, registry = load_store(data_copy)
    fotn = [i.id for i in registry.dataset_of("fotn_total").indicators]
    five = {"AGO", "ARG", "ARM", "AUS", "AZE"}
    going = store[store.indicator.isin(fotn) & (store.year == 2024) & ~store.iso3.isin(five)]
    going = going[~(going.iso3.isin(five))]
    assert len(going) > 0  # the stored edition has other countries, so the test can see them go
    report = run_ingest(fixture, data_copy, options=Options(edition=2024, replace="edition"), dry_run=True)
    assert report.ok, report.problems
    assert report.replace == "edition"
    removed = report.diff.removed if report.diff is not None else pd.DataFrame()
    assert set(zip(removed.iso3, removed.indicator, strict=True)) == set(zip(going.iso3, going.indicator, strict=True))
    text = "\n".join(report_lines(report, dry_run=True))
    assert "merge: replace the whole edition(s) in the file" in text
    first = going.sort_values(["iso3", "indicator"]).iloc[0]
    assert f"{first.iso3} 2024 {first.indicator}: removed" in text or "… " in text


def test_short_pillar_headers_are_detected_read_and_every_problem_reported_in_one_run(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, _, err = ingest(data_copy, INGEST_FIXTURES / "bad_fotn_short_headers.csv", "--edition", "2024")
    assert code == 1
    assert "format not recognised" not in err
    assert "row 2, column 'B': value '2g' is not a number" in err
    assert "row 3, column 'B': value 53 is outside the range of fotn_limits (0–35)" in err
    assert "row 3, column 'Total': pillars A + B + C add up to 97" not in err  # 19 + 53 + 25 = 97 = its total
    assert "row 4, column 'Total': pillars A + B + C add up to 74, not the total 70" in err
    assert "row 5, column 'status': status 'Fre' is not one of Free, Partly Free, Not Free" in err
    assert tree_digest(data_copy) == before


def test_the_short_header_file_is_read_with_its_pillars(data_copy: Path) -> None:
    report = run_ingest(
        INGEST_FIXTURES / "fotn_2024_five_countries.csv", data_copy, options=Options(edition=2024), dry_run=True
    )
    assert report.ok and report.format == "fotn"
    rows = report.rows.set_index(["iso3", "indicator"])["value"]
    assert rows[("AGO", "fotn_obstacles")] == 12 and rows[("AGO", "fotn_limits")] == 28
    assert rows[("AGO", "fotn_violations")] == 19 and rows[("AGO", "fotn_total")] == 59


@pytest.mark.parametrize(
    ("edition", "why"),
    [
        ("2042", "edition 2042 is in the future (fotn)"),
        ("1999", "edition 1999 is before the first one the producer published (2009) (fotn)"),
        ("2010", "the producer published no 2010 edition (fotn)"),
    ],
)
def test_editions_freedom_house_never_published_are_refused(data_copy: Path, edition: str, why: str) -> None:
    before = tree_digest(data_copy)
    code, _, err = ingest(data_copy, INGEST_FIXTURES / "fotn_2024_five_countries.csv", "--edition", edition)
    assert code == 1 and why in err
    assert tree_digest(data_copy) == before


def test_an_older_wdi_vintage_is_refused_unless_asked_for(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, _, err = ingest(data_copy, INGEST_FIXTURES / "wdi_2019_vintage.csv")
    assert code == 1
    assert "is an older vintage (2019-10-02) than the stored one (2024-11); the stored one is newer" in err
    assert tree_digest(data_copy) == before
    code, out, err = ingest(
        data_copy, INGEST_FIXTURES / "wdi_2019_vintage.csv", "--allow-older", "--replace", "series", "--dry-run"
    )
    assert code == 0, err
    assert "vintage 2019-10-02 is older than the stored one (2024-11)" in out


def test_a_newer_vintage_replaces_the_series_only_when_asked_and_records_the_date_cleanly(
    data_copy: Path, tmp_path: Path
) -> None:
    fixture = tmp_path / "wdi_newer.csv"
    text = (INGEST_FIXTURES / "wdi_with_preamble.csv").read_text(encoding="utf-8-sig")
    fixture.write_text(text.replace('"2024-11-13"', '"2025-06-30"'), encoding="utf-8")
    code, _, err = ingest(data_copy, fixture)
    assert code == 1 and "another vintage (2025-06-30) of a series that must not mix vintages" in err
    code, out, err = ingest(data_copy, fixture, "--replace", "series")
    assert code == 0, err
    assert "vintage 2025-06-30 is newer than the stored one (2024-11)" in out
    sidecar = (data_copy / "indicators" / "internet_users.meta.yml").read_text(encoding="utf-8")
    assert "vintage: '2025-06-30'\n" in sidecar


def test_the_period_of_interest_is_kept_by_a_plain_reingest(data_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "wdi.csv"
    path.write_text(
        '"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-11-13",\n\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","1995","2005",\n'
        '"Nigeria","NGA","Individuals using the Internet (% of population)","IT.NET.USER.ZS","0.1","3.5",\n',
        encoding="utf-8",
    )
    report = run_ingest(path, data_copy, options=Options(replace="series"), dry_run=True)
    assert report.ok, report.problems
    assert set(report.rows["year"]) == {2005}
    assert any("1 values before 2005 left out" in n for n in report.notes)


def test_statuses_are_put_in_the_vocabulary(data_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "fotn.csv"
    path.write_text("Country,Status,A,B,C,Total\nAngola,PARTLY FREE,12,28,19,59\n", encoding="utf-8")
    report = run_ingest(path, data_copy, options=Options(edition=2024), dry_run=True)
    assert report.ok, report.problems
    assert report.rows.loc[report.rows.indicator == "fotn_total", "status"].tolist() == ["Partly Free"]


def test_a_file_on_todays_scale_for_an_old_edition_is_stored_as_published(data_copy: Path, tmp_path: Path) -> None:
    # China 2018 was published as 88 (0 = most free); Freedom House's site shows it as 12 today. Its status tells.
    path = tmp_path / "fotn.csv"
    path.write_text("Country,Status,A,B,C,Total\nChina,Not Free,2,5,5,12\n", encoding="utf-8")
    report = run_ingest(path, data_copy, options=Options(edition=2018), dry_run=True)
    assert report.ok, report.problems
    assert report.rows.set_index("indicator")["value"].to_dict()["fotn_total"] == 88
    assert any("stored converted" in n for n in report.notes)


def test_rows_without_a_source_get_one_naming_the_file_and_its_checksum(data_copy: Path, tmp_path: Path) -> None:
    # A deliberately altered figure (this file never lands in data/): a changed value takes the file as its source,
    # while an unchanged one keeps the source stored with it.
    path = tmp_path / "fotn_altered.csv"
    path.write_text("Country,Status,A,B,C,Total\nAngola,Partly Free,11,28,19,58\n", encoding="utf-8")
    report = run_ingest(path, data_copy, options=Options(edition=2024), dry_run=True)
    assert report.ok, report.problems
    rows = report.rows.set_index("indicator")["source"]
    assert rows["fotn_total"].startswith("Freedom House: fotn_altered.csv (sha256 ")
    store, _ = load_store(data_copy)
    stored = store[(store.iso3 == "AGO") & (store.year == 2024)].set_index("indicator")["source"]
    if "fotn_limits" in stored:  # B = 28 as stored: its source stays
        assert rows["fotn_limits"] == stored["fotn_limits"]


def test_freedom_houses_2018_spreadsheet_keeps_a_source_on_every_row_and_the_vocabulary(data_copy: Path) -> None:
    original = SHARED / "data-sources" / "FINAL_DATA_FOTN2018_TOTAL_and_CATEGORY_SCORES.xlsx"
    if not original.exists():
        pytest.skip("shared data sources are not beside this checkout")
    report = run_ingest(original, data_copy)
    assert report.ok and report.written, report.problems
    store, _ = load_store(data_copy)
    edition = store[(store.year == 2018) & store.indicator.str.startswith("fotn")]
    assert len(edition) == 260
    assert edition["source"].str.strip().ne("").all()
    assert set(edition.loc[edition.indicator == "fotn_total", "status"]) <= {"Free", "Partly Free", "Not Free"}


def test_an_unrecognised_file_is_told_what_each_format_expects(data_copy: Path) -> None:
    _, _, err = ingest(data_copy, INGEST_FIXTURES / "bad_wrong_columns.csv")
    for expected in ("worldbank:", "fotn:", "keepiton:", "signatures:", "tidy:", "--edition"):
        assert expected in err


def test_diffs_name_the_field_that_changed(data_copy: Path, tmp_path: Path) -> None:
    store, _ = load_store(data_copy)
    row = store[(store.indicator == "internet_users")].iloc[0]
    path = tmp_path / "edit.csv"
    path.write_text(
        f"iso3,year,indicator,value,note,source\n{row.iso3},{row.year},internet_users,{float(row.value)!r},a new note,{row.source}\n",
        encoding="utf-8",
    )
    _, out, _ = ingest(data_copy, path, "--dry-run")
    assert f"{row.iso3} {row.year} internet_users: note '' → 'a new note'" in out


@pytest.mark.parametrize(
    ("fixture", "extra", "expected"),
    [
        ("tidy_country_names.csv", (), "SriLanka → LKA Sri Lanka (exact name, 1 row)"),
        ("tidy_utf8.csv", (), "given as ISO3 codes (3): KEN Kenya, NGA Nigeria, PAK Pakistan"),
        ("API_TEST_WDI.csv", ("--vintage", "2024-11"), "Nigeria → NGA Nigeria (exact name, 2 rows)"),
        ("fotn_2018.xlsx", (), "Nigeria → NGA Nigeria (exact name, 4 rows)"),
        ("keepiton_small.xlsx", (), "Iran (Islamic Republic of) → IRN Iran (alias"),
        ("signatures.csv", (), "Kenya → KEN Kenya (exact name, 1 row)"),
    ],
)
def test_every_format_reports_each_name_and_the_code_it_became(
    data_copy: Path, fixture: str, extra: tuple[str, ...], expected: str
) -> None:
    code, out, err = ingest(data_copy, INGEST_FIXTURES / fixture, "--dry-run", *extra)
    assert code == 0, err
    assert "  names → countries:" in out
    assert expected in out
