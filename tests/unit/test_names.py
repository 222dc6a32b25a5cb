"""Country names resolve by code, exact name or alias only; misspellings and shared names never resolve by themselves."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from igf_explorer.names import ALIASES_FILE, candidates_text, check_aliases, resolve_name, resolve_names
from igf_explorer.problems import DataError
from tests.conftest import DATA_DIR, REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"


def test_a_misspelling_is_unknown_with_close_spellings_as_candidates() -> None:
    result = resolve_name("Nigera")
    assert (result.status, result.how, result.iso3) == ("unknown", "unknown", None)
    assert {"NGA", "NER"} <= set(result.candidates) and len(result.candidates) <= 3
    assert candidates_text(result) == "Nigeria (NGA) or Niger (NER)"


def test_a_name_with_no_close_spelling_has_no_candidates() -> None:
    result = resolve_name("Atlantis")
    assert result.status == "unknown" and result.candidates == () and candidates_text(result) == ""


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Congo", {"COG", "COD"}),
        ("Korea", {"KOR", "PRK"}),
        ("Virgin Islands", {"VGB", "VIR"}),
        ("congo", {"COG", "COD"}),
    ],
)
def test_a_name_of_two_states_is_ambiguous(name: str, codes: set[str]) -> None:
    result = resolve_name(name)
    assert (result.status, result.how, result.iso3) == ("ambiguous", "ambiguous", None)
    assert set(result.candidates) == codes


def test_an_unknown_name_containing_an_ambiguous_one_is_ambiguous() -> None:
    result = resolve_name("Virgin Islands British US")
    assert result.status == "ambiguous" and result.candidates == ("VGB", "VIR") and result.matched == "Virgin Islands"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Republic of the Congo", "COG"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_exact_names_resolve(name: str, iso3: str) -> None:
    result = resolve_name(name)
    assert (result.iso3, result.how, result.status) == (iso3, "exact", "resolved")


@pytest.mark.parametrize(
    "name", ["Côte d'Ivoire", "Cote d'Ivoire", "Côte d’Ivoire", "  CÔTE  D'IVOIRE ", "Ivory Coast"]
)
def test_cote_divoire_in_every_spelling(name: str) -> None:
    assert resolve_name(name).iso3 == "CIV"


def test_dropped_spaces_are_put_back() -> None:
    result = resolve_name("SriLanka")
    assert (result.iso3, result.how, result.matched) == ("LKA", "exact", "Sri Lanka")


def test_a_producers_spelling_resolves_through_the_alias_file() -> None:
    result = resolve_name("Iran (Islamic Republic of)")
    assert (result.iso3, result.how, result.matched) == ("IRN", "alias", "Iran (Islamic Republic of)")
    assert resolve_name("DemocraticRepublicCongo").iso3 == "COD"
    assert resolve_name("Somaliland").iso3 == "SOM"


def test_an_override_beats_everything() -> None:
    overrides = {"Congo": "COG", "Nigeria": "NER", "NGA": "GHA", "Atlantis ": "ATA"}
    resolved = resolve_names(["Congo", "Nigeria", "NGA", "Atlantis", "Niger"], overrides)
    assert {n: (r.iso3, r.how) for n, r in resolved.items()} == {
        "Congo": ("COG", "override"),
        "Nigeria": ("NER", "override"),
        "NGA": ("GHA", "override"),
        "Atlantis": ("ATA", "override"),
        "Niger": ("NER", "exact"),
    }
    assert resolved["Congo"].via_override and resolved["Congo"].status == "resolved"
    assert not resolved["Niger"].via_override


@pytest.mark.parametrize("code", ["NGA", "XKX", "CHI"])
def test_a_code_passes_through(code: str) -> None:
    result = resolve_name(code)
    assert (result.iso3, result.how) == (code, "code")


def test_only_upper_case_valid_codes_are_codes() -> None:
    assert resolve_name("nga").status == "unknown"
    assert resolve_name("QQQ").status == "unknown"


def test_resolve_names_keys_are_the_names_as_given_each_once() -> None:
    resolved = resolve_names(["Yemen ", "Yemen", "Yemen ", "Nigera"])
    assert list(resolved) == ["Yemen ", "Yemen", "Nigera"]
    assert resolved["Yemen "].name == "Yemen" and resolved["Yemen "].iso3 == "YEM"


def test_the_shipped_alias_file_is_sound() -> None:
    assert check_aliases(DATA_DIR) == []


def _alias_dir(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ALIASES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path


BROKEN = """\
aliases:
- {name: Atlantis, iso3: XYZ, producer: Someone}
- {iso3: NGA, producer: Someone}
- {name: Nigerie, iso3: NGA}
- {name: Nigerie, iso3: NGA, producer: Someone}
- {name: Korea, iso3: KOR, producer: Someone}
- {name: Niger, iso3: NGA, producer: Someone}
- {name: Narnia, iso3: NGA, producer: Someone, cod: x}
- just text
ambiguous:
- {name: Korea, iso3: [KOR, PRK]}
- {name: Sudan, iso3: [SDN, SDN]}
- {name: Guinea, iso3: GIN}
"""


def test_a_malformed_alias_file_gives_located_problems(tmp_path: Path) -> None:
    data_dir = _alias_dir(tmp_path, BROKEN)
    located = {(p.row, p.column, p.message.split(": ", 1)[0]) for p in check_aliases(data_dir)}
    assert located == {
        (1, "iso3", "'aliases' entry 1"),  # not a code
        (2, "name", "'aliases' entry 2"),  # no name
        (3, "producer", "'aliases' entry 3"),  # no producer
        (4, "name", "'aliases' entry 4"),  # listed twice
        (5, "name", "'aliases' entry 5"),  # both alias and ambiguous
        (6, "iso3", "'aliases' entry 6"),  # "Niger" is NER's listed name
        (7, "cod", "'aliases' entry 7"),  # unknown field
        (8, None, "'aliases' entry 8 is not a mapping"),
        (2, "iso3", "'ambiguous' entry 2"),  # one code twice
        (3, "iso3", "'ambiguous' entry 3"),  # not a list
    }
    assert all(p.file == ALIASES_FILE for p in check_aliases(data_dir))
    with pytest.raises(DataError) as raised:
        resolve_name("Nigeria", data_dir=data_dir)
    assert any("'XYZ' is not an ISO 3166-1 alpha-3 code" in str(p) for p in raised.value.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("aliases: [\n  {name: x\n", "invalid YAML"),
        ("", "expected a mapping with the lists 'aliases' and 'ambiguous'"),
        ("aliases: []\nambiguous: {}\nextra: []\n", "unknown section 'extra'"),
        ("aliases: []\nambiguous: {}\n", "expected a list under 'ambiguous'"),
    ],
)
def test_a_broken_alias_file_layout_is_reported(tmp_path: Path, text: str, message: str) -> None:
    problems = check_aliases(_alias_dir(tmp_path, text))
    assert any(message in p.message for p in problems), problems


def test_a_missing_alias_file_stops_resolution(tmp_path: Path) -> None:
    assert [p.message for p in check_aliases(tmp_path)] == ["file is missing"]
    with pytest.raises(DataError):
        resolve_names(["Nigeria"], data_dir=tmp_path)


def test_an_edited_alias_file_is_read_again(tmp_path: Path) -> None:
    data_dir = _alias_dir(tmp_path, "aliases: []\nambiguous: []\n")
    assert resolve_name("Narnia", data_dir=data_dir).status == "unknown"
    _alias_dir(tmp_path, "aliases:\n- {name: Narnia, iso3: NGA, producer: Someone}\nambiguous: []\n")
    assert resolve_name("Narnia", data_dir=data_dir).iso3 == "NGA"
    # Without the shipped ambiguity list, a listed name resolves: the list, not the code, keeps "Congo" ambiguous.
    assert resolve_name("Congo", data_dir=data_dir).iso3 == "COG"


# The producers' own files (in the shared folder beside the repository). The names that stay unresolved are the
# rows that are not countries: Freedom in the World's territories without an ISO code, Access Now's "Congo" (ambiguous
# by rule; the ingest passes an override) and the research file's "unknown" origin.
FIW_TERRITORIES = {
    "Abkhazia",
    "Crimea",
    "Eastern Donbas",
    "Gaza Strip",
    "Indian Kashmir",
    "Nagorno-Karabakh",
    "Northern Cyprus",
    "Pakistani Kashmir",
    "South Ossetia",
    "Tibet",
    "Transnistria",
    "West Bank",
}
PRODUCER_FILES: dict[str, tuple[str, tuple[str, ...], set[str]]] = {
    "research/fotn_scores.csv": ("csv", ("country",), set()),
    "research/fotn_sources.csv": ("csv", ("country",), set()),
    "research/wcit12_signatures.csv": ("csv", ("country",), set()),
    "research/wassenaar_participating_states.csv": ("csv", ("country",), set()),
    "research/signatories.csv": ("csv", ("base_country",), {"unknown"}),
    "data-sources/transparency-reports-user-data-requests-2009-2013.csv": ("csv", ("Country",), set()),
    "data-sources/FINAL_DATA_FOTN2018_TOTAL_and_CATEGORY_SCORES.xlsx": ("xlsx", ("country",), set()),
    "data-sources/Keepiton_raw_dataset.xlsx": ("xlsx", ("country",), {"Congo"}),
    "data-sources/All_data_FIW_2013-2024.xlsx": ("xlsx", ("country/territory",), FIW_TERRITORIES),
}


def _csv_names(path: Path, columns: tuple[str, ...]) -> Iterator[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            yield from (row[c] for c in columns if row.get(c))


def _xlsx_names(path: Path, columns: tuple[str, ...]) -> Iterator[str]:
    """The named column of every sheet, found in whichever row holds it (FIW has a title row above its header)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            index = None
            for row in sheet.iter_rows(values_only=True):
                if index is None:
                    cells = [str(c).strip().lower() if c is not None else "" for c in row]
                    index = next((cells.index(c) for c in columns if c in cells), None)
                elif index < len(row) and row[index] is not None and str(row[index]).strip():
                    yield str(row[index])
    finally:
        workbook.close()


@pytest.mark.parametrize("relative", sorted(PRODUCER_FILES))
def test_the_producers_names_all_resolve(relative: str) -> None:
    path = SHARED / relative
    if not path.is_file():
        pytest.skip(f"producer file {path} is not here (the shared folder sits beside the repository)")
    kind, columns, expected_unresolved = PRODUCER_FILES[relative]
    names = list((_csv_names if kind == "csv" else _xlsx_names)(path, columns))
    assert names, f"no names read from {relative}"
    resolved = resolve_names(names)
    unresolved = {name for name, r in resolved.items() if r.status != "resolved"}
    assert unresolved == expected_unresolved
    assert all(r.how in ("code", "exact", "alias") for r in resolved.values() if r.status == "resolved")
