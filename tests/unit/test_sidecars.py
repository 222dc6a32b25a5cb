"""Typed indicator sidecars: located problems all at once, display defaults, computed partial editions, expectations."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from igf_explorer.check import check_indicators
from igf_explorer.indicators import Display, display_defaults, load_registry
from igf_explorer.problems import DataError, Problem
from tests.conftest import DATA_DIR, FIXTURES

STORE = FIXTURES / "store"
FOTN = "indicators/fotn.meta.yml"


@pytest.fixture
def store_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture store."""
    target = tmp_path / "store"
    shutil.copytree(STORE, target)
    return target


def edit(data_dir: Path, file: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one sidecar's fields in place."""
    path = data_dir / file
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(fields)
    path.write_text(yaml.safe_dump(fields, sort_keys=False, allow_unicode=True), encoding="utf-8")


def registry_problems(data_dir: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load_registry(data_dir)
    return caught.value.problems


def located(problems: list[Problem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.row, p.column) for p in problems}


def test_the_fixture_store_passes() -> None:
    assert check_indicators(STORE) == []


def test_a_bad_sidecar_gives_every_problem_located_at_once(store_copy: Path) -> None:
    def break_fotn(fields: dict[str, Any]) -> None:
        total, obstacles = fields["indicators"][0], fields["indicators"][1]
        total["decimals"] = "two"  # wrong type
        total["display"]["colour"] = "rainbow"  # unknown colour
        del obstacles["short_name"]  # missing field
        obstacles["colour"] = "log"  # a display key put beside it
        fields["editions"][2018]["size"] = -65

    edit(store_copy, FOTN, break_fotn)
    edit(store_copy, "indicators/wcit12.meta.yml", lambda f: f["indicators"][0].update(range=[1, 0]))
    problems = registry_problems(store_copy)
    assert located(problems) == {
        (FOTN, 1, "decimals"),
        (FOTN, 1, "display.colour"),
        (FOTN, 2, "short_name"),
        (FOTN, 2, "colour"),
        (FOTN, None, "editions.2018.size"),
        ("indicators/wcit12.meta.yml", 1, "range"),
    }
    messages = {(p.row, p.column): p.message for p in problems}
    assert messages[(1, "display.colour")].startswith("indicator 'fotn_total': input should be 'linear', 'log'")
    assert "'rainbow'" in messages[(1, "display.colour")]
    assert messages[(2, "short_name")] == "indicator 'fotn_obstacles': required field is missing"
    assert "unknown field 'colour'" in messages[(2, "colour")]
    # `check` reports the same problems, all of them, instead of stopping at the first.
    assert check_indicators(store_copy) == problems


def test_display_rules_across_fields_are_located_on_display(store_copy: Path) -> None:
    def misfit(fields: dict[str, Any]) -> None:
        total = fields["indicators"][0]["display"]
        total["status_bands"][0]["status"] = "Fre"
        total["status_bands"][1]["max"] = 75  # overlaps Free's 70–100
        total["scale_max"] = 120
        fields["indicators"][1]["display"]["colour"] = "categories"  # without categories
        fields["indicators"][2]["display"]["status_bands"] = [{"status": "Free", "min": 9, "max": 1}]

    edit(store_copy, FOTN, misfit)
    problems = registry_problems(store_copy)
    assert located(problems) == {(FOTN, 1, "display"), (FOTN, 2, "display"), (FOTN, 3, "display.status_bands.0")}
    total = next(p.message for p in problems if p.row == 1)
    assert "scale_max 120 is outside the range 0–100" in total
    assert "status band 'Fre' is not one of the statuses (Free, Partly Free, Not Free)" in total
    assert "overlap" in total
    assert "min 9 is above max 1" in next(p.message for p in problems if p.row == 3)


def test_expectations_must_name_declared_indicators(store_copy: Path) -> None:
    edit(store_copy, FOTN, lambda f: f["expect"].update(fotn_gdp={"source": "x"}))
    edit(store_copy, "indicators/shutdowns.meta.yml", lambda f: f["expect"]["shutdowns"].pop("source"))
    assert located(registry_problems(store_copy)) == {
        (FOTN, None, "expect"),
        ("indicators/shutdowns.meta.yml", None, "expect.shutdowns.source"),
    }


def test_display_defaults_are_derived_from_the_indicator(store_copy: Path) -> None:
    def strip(fields: dict[str, Any]) -> None:
        for item in fields["indicators"]:
            item.pop("display", None)

    for name in ("fotn.meta.yml", "wcit12.meta.yml", "shutdowns.meta.yml"):
        edit(store_copy, f"indicators/{name}", strip)
    edit(store_copy, "indicators/shutdowns.meta.yml", lambda f: f["indicators"][0].update(display={"colour": "log"}))
    registry = load_registry(store_copy)
    limits = registry.indicator("fotn_limits").display
    assert (limits.colour, limits.scale_max, limits.absent, limits.not_covered, limits.status_bands) == (
        "linear",
        35,
        "no data",
        False,
        (),
    )
    assert limits.absent_words == "no data for this edition"  # the dataset's periods are editions
    wcit = registry.indicator("wcit12_signed").display
    assert (wcit.colour, wcit.absent, wcit.absent_words) == ("categories", "unknown", "not known from the sources")
    shutdowns = registry.indicator("shutdowns").display
    assert (shutdowns.colour, shutdowns.scale_max, shutdowns.absent_words) == ("log", 1000, "no data for this year")
    assert Display(**display_defaults({"range": [0, 10]})).legend == "↑ higher = more"


def test_display_as_declared() -> None:
    registry = load_registry(STORE)
    total = registry.indicator("fotn_total").display
    assert total.not_covered and total.legend == "↑ higher = freer"
    assert [(b.status, b.min, b.max) for b in total.status_bands] == [
        ("Free", 70, 100),
        ("Partly Free", 40, 69),
        ("Not Free", 0, 39),
    ]
    shutdowns = registry.indicator("shutdowns").display
    assert (shutdowns.colour, shutdowns.scale_max, shutdowns.chart) == ("log", None, "bars")


def test_fotn_colour_ranges_are_the_sidecars_ranges() -> None:
    fotn = load_registry(DATA_DIR).dataset_of("fotn_total").indicators
    assert [i.display.scale_max for i in fotn] == [i.range_max for i in fotn] == [100, 25, 35, 40]


def test_registry_indicators_are_built_once() -> None:
    registry = load_registry(STORE)
    assert registry.indicators is registry.indicators
    assert registry.dataset_of("fotn_limits").id == "fotn" and registry.by_source_code("IT.NET.USER.ZS") is not None


def test_editions_parse_with_year_scale_period_and_size() -> None:
    edition = load_registry(STORE).dataset_of("fotn_total").editions[2012]
    assert (edition.year, edition.scale, edition.coverage_period, edition.size) == (
        2012,
        "lower_is_freer",
        "Jan 2011 - May 2012",
        47,
    )


def test_partial_is_computed_from_the_editions_size() -> None:
    registry = load_registry(STORE)
    fotn = registry.dataset_of("fotn_total")
    assert fotn.partial(2018, 8) and not fotn.partial(2018, 65)
    assert not fotn.partial(2014, 1)  # no such edition in the fixture's sidecar: its size is unknown
    assert not registry.dataset_of("shutdowns").partial(2022, 1)  # a yearly series has no sizes


def test_check_compares_editions_with_their_size(store_copy: Path) -> None:
    def change(fields: dict[str, Any]) -> None:
        fields["editions"][2018]["size"] = 5  # the fixture holds 8 countries for 2018
        del fields["editions"][2019]

    edit(store_copy, FOTN, change)
    problems = check_indicators(store_copy)
    assert {(p.column, p.message) for p in problems} == {
        ("editions.2018.size", "edition 2018 holds 8 countries, more than the 5 the producer assessed"),
        (
            "editions.2019",
            "edition 2019 is stored but has no entry in 'editions', so the scale it was published on is unknown",
        ),
    }


def test_check_reports_a_located_problem_per_expectation_mismatch(store_copy: Path) -> None:
    edit(store_copy, FOTN, lambda f: f["expect"]["fotn_total"]["countries"].update({2018: 9}))
    edit(
        store_copy,
        FOTN,
        lambda f: f["expect"]["fotn_total"].update(periods=[2018, 2020], figures={2018: {"CHN": 12, "NOR": 50}}),
    )

    def shutdowns(fields: dict[str, Any]) -> None:
        fields["expect"]["shutdowns"].update(sums={2022: 130}, countries={2022: 4, 2021: 4})

    edit(store_copy, "indicators/shutdowns.meta.yml", shutdowns)
    edit(store_copy, "indicators/wcit12.meta.yml", lambda f: f["expect"]["wcit12_signed"].update(value_counts={1: 2}))
    problems = check_indicators(store_copy)
    assert {(p.file, p.column, p.message) for p in problems} == {
        (FOTN, "expect.fotn_total.countries.2018", "fotn_total, edition 2018: 8 countries have a figure; expected 9"),
        (
            FOTN,
            "expect.fotn_total.periods",
            "fotn_total: no figures for edition 2020 (expected every edition 2018–2020)",
        ),
        (FOTN, "expect.fotn_total.periods", "fotn_total: edition 2012 is stored, outside the expected 2018–2020"),
        (FOTN, "expect.fotn_total.periods", "fotn_total: edition 2025 is stored, outside the expected 2018–2020"),
        (FOTN, "expect.fotn_total.figures.2018.CHN", "fotn_total, edition 2018: CHN is 88; expected 12"),
        (FOTN, "expect.fotn_total.figures.2018.NOR", "fotn_total, edition 2018: no figure for NOR; expected 50"),
        (
            "indicators/shutdowns.meta.yml",
            "expect.shutdowns.sums.2022",
            "shutdowns, year 2022: the figures add up to 131; expected 130",
        ),
        (
            "indicators/shutdowns.meta.yml",
            "expect.shutdowns.countries.2021",
            "shutdowns, year 2021: 3 countries have a figure; expected 4",
        ),
        (
            "indicators/wcit12.meta.yml",
            "expect.wcit12_signed.value_counts",
            "wcit12_signed: 3 rows have the value 1; expected 2",
        ),
        (
            "indicators/wcit12.meta.yml",
            "expect.wcit12_signed.value_counts",
            "wcit12_signed: 3 rows have the value 0; expected 0",
        ),
    }
