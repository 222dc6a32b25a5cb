"""Each format adapter on small fixtures, in every encoding and delimiter variant, through the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from igf_explorer.cli import main
from igf_explorer.indicators import load_store
from igf_explorer.ingest.formats import detect_format
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.reading import open_input
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest

TIDY_VARIANTS = [
    "tidy_utf8.csv",
    "tidy_utf8_bom.csv",
    "tidy_utf16.csv",
    "tidy_latin1.csv",
    "tidy_semicolon.csv",
    "tidy_tab.tsv",
]


@pytest.mark.parametrize("name", TIDY_VARIANTS)
def test_tidy_variants_read_the_same(name: str, data_copy: Path) -> None:
    source, problems = open_input(INGEST_FIXTURES / name)
    assert problems == [] and source is not None
    assert detect_format(source) == "tidy"
    report = run_ingest(INGEST_FIXTURES / name, data_copy)
    assert report.ok, report.problems
    store, _ = load_store(data_copy)
    nga = store[(store.iso3 == "NGA") & (store.year == 2021) & (store.indicator == "internet_users")]
    assert nga["value"].tolist() == [35.5]
    assert nga["note"].tolist() == ["café note"]
    assert report.summary()["changed"] == 3 and report.summary()["removed"] == 0


def test_tidy_country_names_resolve(data_copy: Path) -> None:
    report = run_ingest(INGEST_FIXTURES / "tidy_country_names.csv", data_copy, dry_run=True)
    assert report.ok
    assert sorted(report.rows["iso3"]) == ["IRN", "LKA", "NGA"]


@pytest.mark.parametrize("name", ["API_TEST_WDI.csv", "wdi_with_preamble.csv"])
def test_worldbank_drops_aggregates_with_or_without_preamble(name: str, data_copy: Path) -> None:
    before = tree_digest(data_copy)
    options = Options(vintage="2024-11") if name == "API_TEST_WDI.csv" else Options()
    report = run_ingest(INGEST_FIXTURES / name, data_copy, options=options, dry_run=True)
    assert report.ok and report.format == "worldbank", report.problems
    assert "2 aggregates dropped, 3 economies kept" in report.notes
    assert set(report.rows["iso3"]) == {"NGA", "KEN"}
    assert len(report.rows) == 4
    assert tree_digest(data_copy) == before  # dry run writes nothing


def test_worldbank_replaces_the_whole_series(data_copy: Path) -> None:
    report = run_ingest(
        INGEST_FIXTURES / "API_TEST_WDI.csv", data_copy, options=Options(vintage="2025-06", replace="series")
    )
    assert report.ok and report.written
    store, _ = load_store(data_copy)
    assert len(store[store.indicator == "internet_users"]) == 4  # never a mix of two vintages


def test_shipped_wdi_file_has_217_economies(tmp_path: Path, data_copy: Path) -> None:
    shared = DATA_DIR.parent.parent / "shared" / "data-sources"
    original = shared / "API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"
    if not original.exists():
        pytest.skip("shared data sources are not beside this checkout")
    report = run_ingest(original, data_copy, options=Options(vintage="2024-11"), dry_run=True)
    assert report.ok, report.problems
    assert "49 aggregates dropped, 217 economies kept" in report.notes
    with_preamble = tmp_path / "wdi.csv"
    with_preamble.write_bytes(
        b'"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-11-13",\n\n'
        + original.read_bytes()
    )
    (tmp_path / ("Metadata_Country_" + with_preamble.name)).write_bytes(
        (shared / ("Metadata_Country_" + original.name)).read_bytes()
    )
    again = run_ingest(with_preamble, data_copy, dry_run=True)
    assert again.ok, again.problems
    assert [n for n in again.notes if "vintage" not in n] == [n for n in report.notes if "vintage" not in n]
    # The same figures; only the source each row names (the file and its checksum) differs.
    pd.testing.assert_frame_equal(again.rows.drop(columns="source"), report.rows.drop(columns="source"))


def test_fotn_spreadsheet_edition_from_header(data_copy: Path) -> None:
    report = run_ingest(INGEST_FIXTURES / "fotn_2018.xlsx", data_copy, dry_run=True)
    assert report.ok and report.format == "fotn"
    rows = report.rows.set_index(["iso3", "indicator"])["value"]
    assert rows[("NGA", "fotn_total")] == 39 and rows[("PAK", "fotn_violations")] == 34
    statuses = report.rows[report.rows.indicator == "fotn_total"].set_index("iso3")["status"]
    assert statuses.to_dict() == {"NGA": "Partly Free", "PAK": "Not Free"}
    assert set(report.rows["year"]) == {2018}


def test_fotn_needs_an_edition_and_checks_pillar_sums(data_copy: Path) -> None:
    missing = run_ingest(INGEST_FIXTURES / "fotn_no_edition_bad_sum.xlsx", data_copy, dry_run=True)
    assert [p.message for p in missing.problems] == [
        "cannot tell the edition: the headers do not name it; pass --edition YEAR (or choose it on the form)"
    ]
    bad_sum = run_ingest(
        INGEST_FIXTURES / "fotn_no_edition_bad_sum.xlsx", data_copy, options=Options(edition=2016), dry_run=True
    )
    assert any("pillars A + B + C add up to 39, not the total 38" in p.message and p.row == 2 for p in bad_sum.problems)


def test_keepiton_counts_per_country_and_year_across_sheet_layouts(data_copy: Path) -> None:
    report = run_ingest(INGEST_FIXTURES / "keepiton_small.xlsx", data_copy, dry_run=True)
    assert report.ok and report.format == "keepiton"
    counts = {(r.iso3, r.year): r.value for r in report.rows.itertuples()}
    assert counts == {("IND", 2016): 1, ("IRN", 2016): 1, ("IRN", 2017): 1, ("LKA", 2019): 2, ("COD", 2019): 1}
    assert any("Need more details" in note for note in report.notes)


def test_signatures_yes_no(data_copy: Path) -> None:
    report = run_ingest(INGEST_FIXTURES / "signatures.csv", data_copy, dry_run=True)
    assert report.ok and report.format == "signatures"
    assert report.rows.set_index("iso3")["status"].to_dict() == {"NGA": "signed", "KEN": "did not sign"}


def test_overrides_resolve_an_unknown_name(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = INGEST_FIXTURES / "bad_unknown_country.csv"
    code = main(["--data-dir", str(data_copy), "ingest", str(path), "--dry-run", "--override", "Atlantis=ATA"])
    out = capsys.readouterr().out
    assert code == 0 and "Atlantis → ATA Antarctica (override, 1 row)" in out


def test_cli_success_summary(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(data_copy), "ingest", str(INGEST_FIXTURES / "tidy_utf8.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "rows: 3 (0 added, 3 changed, 0 unchanged, 0 removed)" in out
    # The stored figure and source come from the shipped WDI vintage; the line names each field that changes.
    assert re.search(
        r"NGA 2021 internet_users: value [0-9.]+ → 35\.5; note '' → 'café note'; "
        r"source '[^']*' → 'World Bank: tidy_utf8\.csv \(sha256 ",
        out,
    )
    assert "history entry" in out
