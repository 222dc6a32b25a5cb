"""Signatory parsing, regions and counts."""

from __future__ import annotations

from igf_explorer.countries import all_regions, in_region, region_by_slug
from igf_explorer.signatories import counts_by_country, counts_by_region, parse_signatory_block, signatories_in_region
from igf_explorer.statement import Statement

WRAPPED = """#### ***Signatories:***

|  |  |
|--|--|
| - Alpha                   | - Delta part one |
| - Beta, wrapped           | part two         |
| across two lines          | - Epsilon        |
| - Gamma                   |  |
"""


def test_wrapped_cells_join_into_one_name_per_column() -> None:
    assert parse_signatory_block(WRAPPED) == [
        "Alpha",
        "Beta, wrapped across two lines",
        "Gamma",
        "Delta part one part two",
        "Epsilon",
    ]


def test_no_signatory_block_gives_no_names() -> None:
    assert parse_signatory_block("no table here") == []


def test_regions_are_m49_continents_with_subregions() -> None:
    continents = [r.name for r in all_regions() if r.kind == "continent"]
    assert continents == ["Africa", "Americas", "Asia", "Europe", "Oceania"]
    africa = region_by_slug("africa")
    east = region_by_slug("eastern-africa")
    assert africa is not None and east is not None and east.continent == "Africa"
    assert in_region("SSD", africa) and in_region("SSD", east) and not in_region("NGA", east)


def test_region_filter_leaves_out_unknown_origins(shipped_statement: Statement) -> None:
    africa = signatories_in_region(shipped_statement.signatories, region_by_slug("africa"))
    assert sorted(s.base_iso3 for s in africa) == ["EGY", "NGA", "SSD", "UGA"]
    assert len(signatories_in_region(shipped_statement.signatories, None)) == 17


def test_counts_by_country_keep_unknown_as_its_own_row(shipped_statement: Statement) -> None:
    table = counts_by_country(shipped_statement.signatories)
    assert table["Signatories"].sum() == 17
    assert int(table.loc[table["Country"] == "origin unknown", "Signatories"].iloc[0]) == 2
    assert int(table.loc[table["iso3"] == "BLR", "Signatories"].iloc[0]) == 2
    assert table["iso3"].ne("").sum() == 13


def test_counts_by_continent(shipped_statement: Statement) -> None:
    table = counts_by_region(shipped_statement.signatories, "Continent").set_index("Continent")["Signatories"].to_dict()
    assert table == {"Asia": 5, "Africa": 4, "Americas": 3, "Europe": 3, "unknown": 2}
