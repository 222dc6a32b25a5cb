"""Freedom in the World, user data requests and Wassenaar lists: recognised by content, read, and refused when broken."""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from igf_explorer.cli import main
from igf_explorer.indicators import load_store
from igf_explorer.ingest.formats import detect_format
from igf_explorer.ingest.history import read_log
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.reading import open_input
from tests.conftest import INGEST_FIXTURES, tree_digest

FIW = INGEST_FIXTURES / "fiw"
USER_DATA = INGEST_FIXTURES / "user_data"
WASSENAAR = INGEST_FIXTURES / "wassenaar"


def ingest(data_dir: Path, path: Path, *extra: str) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), "ingest", str(path), *extra])
    return code, out.getvalue(), err.getvalue()


def values(report_rows: pd.DataFrame) -> dict[tuple[str, int, str], float]:
    return {(r.iso3, int(r.year), r.indicator): r.value for r in report_rows.itertuples()}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (FIW / "fiw_small.xlsx", "fiw"),
        (FIW / "fiw_one_edition.csv", "fiw"),
        (USER_DATA / "user_data_small.csv", "user_data"),
        (WASSENAAR / "wassenaar_small.csv", "wassenaar"),
    ],
)
def test_each_layout_is_recognised_by_its_content(path: Path, name: str) -> None:
    source, problems = open_input(path)
    assert problems == [] and source is not None
    assert detect_format(source) == name


def test_the_fixture_workbooks_are_what_their_script_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fiw_fixtures", FIW / "make_fiw_fixtures.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, rows in (("fiw_small.xlsx", script.SMALL), ("fiw_broken.xlsx", script.BROKEN)):
        sheet = openpyxl.load_workbook(FIW / name)["FIW13-24"]
        assert [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)] == rows


# --- Freedom in the World ------------------------------------------------------------------------------------------


def test_fiw_files_each_edition_under_the_year_it_measures(data_copy: Path) -> None:
    report = run_ingest(FIW / "fiw_small.xlsx", data_copy, dry_run=True)
    assert report.ok and report.format == "fiw", report.problems
    rows = values(report.rows)
    assert rows[("NGA", 2012, "fiw_total")] == 46 and rows[("NGA", 2023, "fiw_total")] == 44
    assert rows[("NGA", 2012, "fiw_expression")] == 9
    assert rows[("NGA", 2012, "fiw_free_media")] == 2 and rows[("NGA", 2012, "fiw_private_discussion")] == 3
    assert rows[("SYR", 2014, "fiw_total")] == -1  # the discretionary question can take the total below 0
    assert set(report.rows["year"]) == {2012, 2014, 2023}
    note = report.rows.set_index(["iso3", "year", "indicator"]).loc[("NGA", 2012, "fiw_total")]
    assert note["status"] == "Partly Free" and note["note"] == "Freedom in the World 2013 (covers 2012)"
    assert set(report.rows.loc[report.rows.indicator != "fiw_total", "status"]) == {""}


def test_fiw_keeps_coded_territories_and_names_the_others(data_copy: Path) -> None:
    report = run_ingest(FIW / "fiw_small.xlsx", data_copy, dry_run=True)
    assert set(report.rows["iso3"]) == {"NGA", "TUR", "HKG", "SOM", "SYR"}
    assert "territories without an ISO 3166 code, left out: Tibet" in report.notes
    assert any(
        n.startswith("territories without an ISO 3166 code of their own, left out: Somaliland") for n in report.notes
    )
    assert values(report.rows)[("SOM", 2012, "fiw_total")] == 2  # Somalia's own score, not Somaliland's


def test_fiw_one_edition_needs_the_edition(data_copy: Path) -> None:
    missing = run_ingest(FIW / "fiw_one_edition.csv", data_copy, dry_run=True)
    assert [p.message for p in missing.problems] == [
        "has no 'Edition' column; pass --edition YEAR (the edition, not the year measured)"
    ]
    given = run_ingest(FIW / "fiw_one_edition.csv", data_copy, options=Options(edition=2013), dry_run=True)
    assert given.ok and set(given.rows["year"]) == {2012}


def test_fiw_is_written_with_history_and_a_diff(data_copy: Path) -> None:
    before = len(read_log(data_copy))
    report = run_ingest(FIW / "fiw_small.xlsx", data_copy)
    assert report.ok and report.written
    assert len(read_log(data_copy)) == before + 1
    store, _ = load_store(data_copy)
    nga = store[(store.iso3 == "NGA") & (store.year == 2012) & (store.indicator == "fiw_total")]
    assert nga["value"].tolist() == [46]
    again = run_ingest(FIW / "fiw_small.xlsx", data_copy, dry_run=True)
    assert again.diff is not None and len(again.diff.added) == 0 and len(again.diff.changed) == 0


def test_broken_fiw_workbook_gives_every_problem_located_and_stores_nothing(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, out, err = ingest(data_copy, FIW / "fiw_broken.xlsx")
    assert code == 1 and out == "" and "Traceback" not in err
    where = "fiw_broken.xlsx [FIW13-24]"
    for expected in (
        f"{where}, row 3, column 'Status': status 'Free-ish' is not F, PF or NF",
        f"{where}, row 4, column 'D': D1 + D2 + D3 + D4 add up to 9, not D 8",
        f"{where}, row 5, column 'Total': PR + CL add up to 91, not Total 90",
        f"{where}, row 6, column 'C/T': 'x' is neither c (country) nor t (territory)",
        f"{where}, row 7, column 'D1': value 5 is outside the range of fiw_free_media (0–4)",
        f"{where}, row 8, column 'Country/Territory': country name 'Atlantis' is not recognised",
        f"{where}, row 9, column 'Edition': edition 'twenty' is not a year",
    ):
        assert expected in err, expected
    assert tree_digest(data_copy) == before


# --- user data requests --------------------------------------------------------------------------------------------


def test_user_data_sums_companies_and_half_years_per_year(data_copy: Path) -> None:
    report = run_ingest(USER_DATA / "user_data_small.csv", data_copy, dry_run=True)
    assert report.ok and report.format == "user_data", report.problems
    rows = report.rows.set_index(["iso3", "year"])
    nigeria = rows.loc[("NGA", 2012)]
    # Google 12 + 30, Microsoft's annual 9 split by the compiler as 4.5 twice; Twitter's "<10" (5.5) is not counted.
    assert nigeria["value"] == 51 and nigeria["status"] == "at least"
    assert nigeria["note"] == (
        "sum of Google Jan–Jun 12 + Jul–Dec 30; Microsoft 9 for 2012 (given as two halves of 4.5); "
        "not counted: Twitter fewer than 10 in Jan–Jun (written 5.5 by the compiler, not a count)"
    )
    assert rows.loc[("CIV", 2013), "value"] == 1165  # "1,165", named "Ivory Coast"
    assert rows.loc[("KEN", 2013), "value"] == 12 and rows.loc[("KEN", 2013), "status"] == ""
    assert not (report.rows["value"] % 1).fillna(0).any()
    assert 5.5 not in set(report.rows["value"])
    assert any(
        "4 companies summed per country and year: Facebook, Google, Microsoft, Twitter" in n for n in report.notes
    )


def test_a_year_with_only_fewer_than_ten_is_a_range_without_a_value(data_copy: Path) -> None:
    report = run_ingest(USER_DATA / "user_data_small.csv", data_copy)
    assert report.ok and report.written, report.problems
    store, registry = load_store(data_copy)
    rows = store[store.indicator == "user_data_requests"].set_index(["iso3", "year"])
    assert math.isnan(rows.loc[("KEN", 2012), "value"]) and rows.loc[("KEN", 2012), "status"] == "fewer than 10"
    assert math.isnan(rows.loc[("GHA", 2012), "value"]) and rows.loc[("GHA", 2012), "status"] == "at most 18"
    ranges = registry.indicator("user_data_requests").ranges
    assert ranges["fewer than 10"] == (0, 9) and ranges["at most 18"] == (0, 18)


def test_without_declared_ranges_such_years_are_left_out_and_said(data_copy: Path) -> None:
    sidecar = data_copy / "indicators" / "user_data_requests.meta.yml"
    doc = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    del doc["indicators"][0]["ranges"]
    sidecar.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (data_copy / "indicators" / "user_data_requests.csv").unlink()  # its range rows need the ranges
    report = run_ingest(USER_DATA / "user_data_small.csv", data_copy, dry_run=True)
    assert report.ok, report.problems
    assert {("KEN", 2012), ("GHA", 2012)}.isdisjoint(zip(report.rows["iso3"], report.rows["year"], strict=True))
    assert any(n.endswith("the sidecar declaring no range for them: Kenya 2012, Ghana 2012") for n in report.notes)
    assert not report.rows["value"].isna().any()


def test_broken_user_data_gives_every_problem_located_and_stores_nothing(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, out, err = ingest(data_copy, USER_DATA / "user_data_broken.csv")
    assert code == 1 and out == "" and "Traceback" not in err
    for expected in (
        "user_data_broken.csv, row 2, column 'Period': period '2012 (first half)' is not 'YYYY (1st half)'",
        "user_data_broken.csv, row 3, column 'Year': year '2013' does not match the period '2012 (2nd half)'",
        "user_data_broken.csv, row 4, column 'User Data Requests': 'lots' is not a number of requests",
        "user_data_broken.csv, row 5, column 'User Data Requests': Microsoft, Kenya, 2012: the half-years add up to "
        "4.5, not a whole number of requests",
        "user_data_broken.csv, row 7, column 'Period': Google, Ghana, 2012 (1st half) is given twice (also row 6)",
        "user_data_broken.csv, row 8, column 'Country': country name 'Atlantis' is not recognised",
        "user_data_broken.csv, row 9, column 'Service Provider': Service Provider is empty",
    ):
        assert expected in err, expected
    assert tree_digest(data_copy) == before


# --- Wassenaar -----------------------------------------------------------------------------------------------------


def test_wassenaar_stores_each_dated_list_and_leaves_out_the_undated_one(data_copy: Path) -> None:
    report = run_ingest(WASSENAAR / "wassenaar_small.csv", data_copy, dry_run=True)
    assert report.ok and report.format == "wassenaar", report.problems
    by_year = report.rows.groupby("year")["iso3"].apply(set).to_dict()
    assert by_year == {
        2004: {"ARG", "TUR"},
        2012: {"ARG", "TUR", "EST", "MEX"},
        2017: {"ARG", "TUR", "EST", "MEX", "IND"},
    }
    assert set(report.rows["value"]) == {1}  # a state not listed is not stored (the lists are exhaustive)
    assert "list 'in_list_3' (3 states) names no year: left out" in report.notes
    assert "list 'participating_current_list_5' (5 states) stored as 2017: it holds from 8 Dec 2017" in report.notes


def test_wassenaar_current_list_needs_a_dated_accession_or_the_edition(data_copy: Path) -> None:
    path = WASSENAAR / "wassenaar_current_undated.csv"
    undated = run_ingest(path, data_copy, dry_run=True)
    assert [(p.column, p.message.split(":")[0]) for p in undated.problems] == [
        ("participating_current_list_3", "cannot tell the year of the current list")
    ]
    given = run_ingest(path, data_copy, options=Options(edition=2019), dry_run=True)
    assert given.ok and set(given.rows.loc[given.rows.iso3 == "IND", "year"]) == {2019}


def test_broken_wassenaar_list_gives_every_problem_located_and_stores_nothing(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, out, err = ingest(data_copy, WASSENAAR / "wassenaar_broken.csv")
    assert code == 1 and out == "" and "Traceback" not in err
    for expected in (
        "wassenaar_broken.csv, row 3, column 'in_2004_list_2': 'yes please' is neither 1 nor 0",
        "wassenaar_broken.csv, column 'participating_2012_list_2': the list holds 4 states; its header says 2",
        "wassenaar_broken.csv, row 4, column 'iso3': 'XYZ' is not an ISO 3166-1 alpha-3 code",
        "wassenaar_broken.csv, row 5, column 'country': country 'Mexico' is MEX (Mexico), but its iso3 says 'IND'",
    ):
        assert expected in err, expected
    assert tree_digest(data_copy) == before
