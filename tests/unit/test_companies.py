"""Companies beside countries: the company list, strict names, the company store, RDR and GNI ingest, check, export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from igf_explorer.check import check_indicators
from igf_explorer.companies import Companies, CompanyStore, load_companies, load_company_data
from igf_explorer.export import render_indicators
from igf_explorer.indicators import COMPANY_TIDY_COLUMNS, load_company_store, load_registry
from igf_explorer.ingest.formats import FORMATS, detect_format
from igf_explorer.ingest.history import read_log
from igf_explorer.ingest.pipeline import IngestReport, run_ingest
from igf_explorer.ingest.reading import open_input
from igf_explorer.ingest.report import report_lines
from igf_explorer.problems import DataError, Problem
from tests.conftest import FIXTURES, tree_digest

HERE = FIXTURES / "companies"
STORE = HERE / "store"
LIST = "companies/companies.yaml"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A writable copy of the small company store (company list and two company sidecars, no rows yet)."""
    target = tmp_path / "data"
    shutil.copytree(STORE, target)
    return target


def ingest(data_dir: Path, name: str, dry_run: bool = False) -> IngestReport:
    return run_ingest(HERE / name, data_dir, dry_run=dry_run)


def located(problems: list[Problem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.row, p.column) for p in problems}


# --- the company list ---------------------------------------------------------------------------------------------


def test_the_company_list_loads_with_unknown_headquarters_as_none() -> None:
    companies = load_companies(STORE)
    assert [c.id for c in companies.items] == ["google", "meta", "yahoo", "america-movil", "vodafone", "evoca"]
    assert companies.by_id["america-movil"].hq_iso3 == "MEX"
    assert companies.by_id["evoca"].hq_iso3 is None  # unknown, never guessed
    assert companies.name_of("meta") == "Meta (Facebook)" and companies.name_of("nobody") == "nobody"


def test_names_resolve_by_name_or_alias_with_case_and_spaces_folded_only() -> None:
    companies = load_companies(STORE)
    assert companies.resolve("Google").company == "google" and companies.resolve("Google").how == "name"
    assert companies.resolve("AmericaMovil").company == "america-movil"
    assert companies.resolve("  verizon   MEDIA ").company == "yahoo"
    assert companies.resolve("facebook (meta)").how == "alias"
    for near in ("Gogle", "Google Inc", "America Movil", "Verizon", "Facebook Meta", "Vodafone Grp"):
        assert companies.resolve(near).company is None, near  # never a similar name


def test_a_broken_company_list_gives_every_problem_located_at_once(tmp_path: Path) -> None:
    (tmp_path / "companies").mkdir()
    shutil.copy(HERE / "companies_broken.yaml", tmp_path / LIST)
    with pytest.raises(DataError) as caught:
        load_companies(tmp_path)
    problems = caught.value.problems
    assert located(problems) >= {
        (LIST, 2, "hq_iso3"),
        (LIST, 3, "id"),
        (LIST, 3, "kind"),
        (LIST, 4, "hq_iso3"),
    }
    messages = " | ".join(p.message for p in problems)
    assert "'XXX' is not an ISO 3166-1 alpha-3 code (use null" in messages
    assert "company 'evoca': required field is missing" in messages
    assert all(p.file == LIST for p in problems)


def test_duplicate_ids_and_shared_spellings_are_problems(tmp_path: Path) -> None:
    (tmp_path / "companies").mkdir()
    (tmp_path / LIST).write_text(
        "companies:\n"
        "  - {id: google, name: Google, hq_iso3: USA, kind: platform, source: a}\n"
        "  - {id: google, name: Alphabet, hq_iso3: USA, kind: platform, source: b}\n"
        "  - {id: meta, name: Meta, aliases: [GOOGLE], hq_iso3: USA, kind: platform, source: c}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_companies(tmp_path)
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "id"), (3, "aliases")}
    assert any("belongs to both 'google' (row 1) and 'meta'" in p.message for p in caught.value.problems)


def test_the_shipped_company_list_names_every_company_of_the_shipped_rows() -> None:
    from tests.conftest import DATA_DIR

    companies = load_companies(DATA_DIR)
    assert len(companies.items) == 34
    store = load_company_data(DATA_DIR)
    assert store.with_data <= companies.ids
    unknown = [c.id for c in companies.items if c.hq_iso3 is None]
    assert sorted(unknown) == [
        "afilias",
        "evoca",
        "linkedin",
        "millicom",
        "nokia",
        "procera-networks",
        "telia-company",
        "websense",
    ]


# --- registry: company datasets beside country datasets --------------------------------------------------------------


def test_company_datasets_are_kept_apart_from_country_datasets() -> None:
    registry = load_registry(STORE)
    assert registry.datasets == ()  # nothing that reads country datasets sees a company one
    assert [d.id for d in registry.company_datasets] == ["gni", "rdr"]
    assert all(d.kind == "company" for d in registry.company_datasets)
    assert "rdr_total" in registry.company_indicators and "rdr_total" not in registry.indicators
    assert registry.company_dataset_of("gni_member").id == "gni"
    assert [d.id for d in registry.companies_only.datasets] == ["gni", "rdr"]


def test_country_and_company_datasets_may_not_share_an_indicator_id(store: Path) -> None:
    text = (store / "indicators/gni.meta.yml").read_text(encoding="utf-8").replace("id: gni_member", "id: rdr_total")
    (store / "indicators/gni.meta.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_registry(store)
    assert any("'rdr_total' is declared by more than one sidecar" in p.message for p in caught.value.problems)


# --- ingest: RDR ---------------------------------------------------------------------------------------------------


def test_year_over_year_dry_run_resolves_names_and_writes_nothing(store: Path) -> None:
    before = tree_digest(store)
    report = ingest(store, "rdr-year-over-year.csv", dry_run=True)
    assert report.ok, report.problems
    assert (report.format, report.dataset, report.entity) == ("rdr", "rdr", "company")
    assert list(report.rows.columns) == list(COMPANY_TIDY_COLUMNS)
    assert {(m.name, m.iso3, m.how) for m in report.names} == {
        ("Google", "google", "exact name"),
        ("Meta", "meta", "alias"),
        ("Yahoo", "yahoo", "alias"),
    }
    assert report.summary()["companies"] == 3 and report.summary()["rows"] == 12
    meta_2020 = report.rows.query("company == 'meta' and year == 2020 and indicator == 'rdr_total'").iloc[0]
    assert meta_2020["value"] == 45 and "(2020DiffAdjusted): +0.89" in meta_2020["note"]
    lines = report_lines(report, dry_run=True)
    assert "  companies: 3" in lines and "    Meta → meta Meta (Facebook) (alias, 3 rows)" in lines
    assert tree_digest(store) == before


def test_ingest_writes_a_recorded_company_file_that_the_store_reads(store: Path) -> None:
    report = ingest(store, "rdr-year-over-year.csv")
    assert report.written and report.history_id
    assert read_log(store)[-1]["dataset"] == "rdr"
    header = (store / "indicators/rdr.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(COMPANY_TIDY_COLUMNS)
    frame, _ = load_company_store(store)
    assert len(frame) == 12 and set(frame["company"]) == {"google", "meta", "yahoo"}
    assert frame["source"].str.startswith("Ranking Digital Rights: rdr-year-over-year.csv (sha256 ").all()
    sidecar = (store / "indicators/rdr.meta.yml").read_text(encoding="utf-8")
    assert "rdr_total: 3 companies, 2019–2022, 9 rows" in sidecar
    # A second ingest of the same file changes nothing.
    again = ingest(store, "rdr-year-over-year.csv", dry_run=True)
    assert again.diff is not None and again.diff.unchanged == 12 and again.diff.added.empty


def test_totals_keep_only_the_files_own_index_and_say_why(store: Path) -> None:
    report = ingest(store, "rdr-totals.csv", dry_run=True)
    assert report.ok, report.problems
    assert sorted(report.rows["year"].unique()) == [2020]
    assert set(report.rows["company"]) == {"america-movil", "google", "yahoo"}  # Vodafone's NA is no row
    assert any("2 rows of earlier Indexes left out" in n for n in report.notes)
    assert any("1 of the 2020 Index scores are NA" in n for n in report.notes)


def test_levels_give_the_group_score_or_the_mean_of_scored_services(store: Path) -> None:
    report = ingest(store, "rdr-levels.csv", dry_run=True)
    assert report.ok, report.problems
    rows = report.rows.set_index("company")
    assert set(report.rows["indicator"]) == {"rdr_content_demands"}  # F07 is in no sidecar
    assert rows.at["google", "value"] == 82.5
    assert (
        "mean of the 2 scored services" in rows.at["google", "note"]
        and "not scored: Gmail" in rows.at["google", "note"]
    )
    assert rows.at["america-movil", "value"] == 25 and "Group" in rows.at["america-movil", "note"]
    assert "yahoo" not in rows.index and any("Yahoo F06 2020" in n for n in report.notes)


def test_specification_files_are_recognised_and_refused_with_a_reason(store: Path) -> None:
    source, _ = open_input(HERE / "rdr-company-specs.csv")
    assert source is not None and detect_format(source) == "rdr-specs"
    report = ingest(store, "rdr-company-specs.csv")
    assert not report.ok and "carry no scores" in report.problems[0].message
    assert FORMATS["rdr"].entity == "company" and FORMATS["gni"].entity == "company"


def test_a_broken_file_gives_every_problem_located_in_one_pass_and_stores_nothing(store: Path) -> None:
    ingest(store, "rdr-year-over-year.csv")
    before = tree_digest(store)
    report = ingest(store, "rdr-year-over-year-broken.csv")
    assert not report.written and tree_digest(store) == before
    name = "rdr-year-over-year-broken.csv"
    assert located(report.problems) == {
        (name, 2, "Company"),
        (name, 3, "2019"),
        (name, 4, "2020"),
        (name, 5, "Scope"),
        (name, 6, "Company"),
    }
    messages = {p.row: p.message for p in report.problems}
    assert messages[3] == "value 'abc' is not a number"
    assert messages[4] == "value 120 is outside the range of rdr_total (0–100)"
    assert messages[2].startswith("company 'Gogle' is not in companies/companies.yaml (row 2)")
    assert "never matched by similarity" in messages[2]
    assert "company 'Google Inc' is not in" in messages[6]  # not taken for Google
    assert {m.name for m in report.names if m.how == "unknown"} == {"Gogle", "Google Inc"}


def test_an_unknown_company_alone_stops_the_ingest(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "totals.csv"
    path.write_text("Index,Company,Score\n2020,Google,48\n2020,Alphabet,48\n", encoding="utf-8")
    report = run_ingest(path, store)
    assert [(p.row, p.column) for p in report.problems] == [(3, "Company")]
    assert not (store / "indicators/rdr.csv").exists()


# --- ingest: GNI ---------------------------------------------------------------------------------------------------


def test_gni_membership_runs_to_the_last_year_the_research_covers_and_no_gap_is_filled(store: Path) -> None:
    report = ingest(store, "gni.csv")
    assert report.ok and report.written, report.problems
    rows = report.rows
    google = rows[rows["company"] == "google"]
    assert sorted(google["year"]) == list(range(2008, 2018)) and set(google["status"]) == {"full member"}
    evoca = rows[rows["company"] == "evoca"]
    assert evoca["year"].tolist() == [2011]  # left "before 2017": only the year the table names
    assert "left before 2017" in evoca["note"].iloc[0]
    meta = rows[rows["company"] == "meta"].set_index("year")
    assert (meta.at[2012, "value"], meta.at[2012, "status"]) == (0, "observer")
    assert (meta.at[2013, "value"], meta.at[2017, "status"]) == (1, "full member")
    vodafone = rows[rows["company"] == "vodafone"]
    assert set(vodafone["source"]) == {"https://example.org/facebook"}  # "same as Facebook (Meta)"
    assert sorted(vodafone["year"]) == [2016, 2017]


def test_a_broken_gni_table_gives_every_problem_located(store: Path) -> None:
    before = tree_digest(store)
    report = ingest(store, "gni-broken.csv")
    name = "gni-broken.csv"
    assert located(report.problems) == {
        (name, 2, "company"),
        (name, 3, "full_member_from_year"),
        (name, 4, "full_member_from_year"),
        (name, 5, "full_member_from_year"),
        (name, 6, "observer_from_year"),
        (name, 7, "sources"),
    }
    assert tree_digest(store) == before


def test_gni_needs_the_last_year_in_its_sidecar(store: Path) -> None:
    path = store / "indicators/gni.meta.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("last_year: 2017\n", ""), encoding="utf-8")
    report = ingest(store, "gni.csv", dry_run=True)
    assert [(p.file, p.column) for p in report.problems] == [("gni.meta.yml", "last_year")]


# --- the company store ----------------------------------------------------------------------------------------------


def test_the_company_store_answers_without_callers_indexing_frames(store: Path) -> None:
    for name in ("rdr-totals.csv", "rdr-year-over-year.csv", "gni.csv"):
        assert ingest(store, name).written
    data = load_company_data(store)
    assert isinstance(data, CompanyStore) and isinstance(data.companies, Companies)
    assert data.periods("rdr_total") == [2019, 2020, 2022]
    assert data.coverage("rdr_total").to_dict() == {2019: 3, 2020: 4, 2022: 3}
    assert data.series("google", "rdr_total")["value"].tolist() == [61, 48, 47]
    latest = data.latest("rdr_total").set_index("company")
    assert latest.at["america-movil", "year"] == 2020 and latest.at["google", "year"] == 2022
    assert data.with_data == {"google", "meta", "yahoo", "america-movil", "vodafone", "evoca"}
    assert data.company_rows("evoca")["indicator"].tolist() == ["gni_member"]
    assert data.rows("nothing").empty and list(data.tidy(["rdr_total"]).columns) == list(COMPANY_TIDY_COLUMNS)
    assert data.indicator("gni_member").categories == {0: "observer", 1: "full member"}


def test_a_broken_stored_company_file_is_refused_with_located_problems(store: Path) -> None:
    (store / "indicators/rdr.csv").write_text(
        "company,year,indicator,value,status,note,source\n"
        "google,2020,rdr_total,48,,,x\n"
        "alphabet,2020,rdr_total,48,,,x\n"
        "meta,2020,rdr_total,145,,,x\n"
        "meta,2020,gni_member,1,,,x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_company_store(store)
    problems = caught.value.problems
    assert all(p.file == "indicators/rdr.csv" for p in problems)
    assert (2, "company") in {(p.row, p.column) for p in problems}  # alphabet: not in the company list
    assert any("value_within_indicator_range" in p.message for p in problems)


# --- check and export -------------------------------------------------------------------------------------------------


def test_check_compares_company_expectations_in_company_words(store: Path) -> None:
    for name in ("rdr-totals.csv", "rdr-year-over-year.csv"):
        ingest(store, name)
    problems = check_indicators(store)
    assert {(p.file, p.column, p.message) for p in problems} == {
        (
            "indicators/rdr.meta.yml",
            "expect.rdr_total.countries.2020",
            "rdr_total, edition 2020: 4 companies have a figure; expected 3",
        ),
        ("indicators/gni.csv", None, "is declared by a sidecar but missing; run igf-explorer ingest"),
    }


def test_check_reports_a_broken_company_list(store: Path) -> None:
    shutil.copy(HERE / "companies_broken.yaml", store / LIST)
    assert any(p.file == LIST for p in check_indicators(store))


def test_export_gives_company_indicators_their_own_columns(store: Path) -> None:
    ingest(store, "rdr-totals.csv")
    csv = render_indicators(store, "rdr_total", "csv").splitlines()
    assert csv[0] == "company,year,indicator,value,status,note,source"
    assert csv[1].startswith("america-movil,2020,rdr_total,22,")
    whole = pd.read_csv(__import__("io").StringIO(render_indicators(store, None, "csv")), keep_default_na=False)
    assert list(whole.columns) == ["iso3", "company", "year", "indicator", "value", "status", "note", "source"]
    assert set(whole["company"]) == {"america-movil", "google", "yahoo"} and set(whole["iso3"]) == {""}
    with pytest.raises(DataError, match="unknown indicator 'nope'; known: .*rdr_total"):
        render_indicators(store, "nope", "csv")


def test_a_later_file_that_adds_notes_to_equal_figures_becomes_their_source(store: Path) -> None:
    ingest(store, "rdr-totals.csv")
    report = ingest(store, "rdr-year-over-year.csv")
    assert report.diff is not None and len(report.diff.changed) == 2  # Google's and Yahoo's 2020 totals gain notes
    frame, _ = load_company_store(store)
    rows = frame[(frame["year"] == 2020) & (frame["indicator"] == "rdr_total")].set_index("company")
    assert rows.at["google", "source"].startswith("Ranking Digital Rights: rdr-year-over-year.csv")
    assert "(2020DiffAdjusted): -0.8" in rows.at["google", "note"]
    assert rows.at["america-movil", "source"].startswith("Ranking Digital Rights: rdr-totals.csv")
