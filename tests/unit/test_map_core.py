"""Geometry, the map view model, figure builders, theme links and country profiles."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from igf_explorer.countries import region_by_slug
from igf_explorer.figures import build_map_figure, build_timeseries
from igf_explorer.geometry import extent, load_geometry, too_small_for_map, topojson_url
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_registry, load_store
from igf_explorer.links import Link, check_links, indicators_for, load_links, themes_for
from igf_explorer.statement import Statement
from igf_explorer.views import ExplorerData
from igf_explorer.views.country import pillar_standings
from igf_explorer.views.map import build_indicator_map
from igf_explorer.views.mapframe import DATA, NOT_COVERED, display_scale, map_frame, signatory_points, table_for
from igf_explorer.views.recommendation import change_between
from tests.conftest import DATA_DIR, FIXTURES

NO_DATA, NONE_RECORDED, UNKNOWN = "no data", "none recorded", "unknown"

# A few shipped rows (tests/fixtures/make_store_fixture.py): 8 FOTN countries with every 2018 figure, 2012 totals with
# pillars for 4 of them, 2019 totals; refreshing the shipped data does not move these numbers.
STORE = IndicatorStore(*load_store(FIXTURES / "store"))
REGISTRY = STORE.registry
GEOMETRY = load_geometry(DATA_DIR.resolve())


def frame_for(indicator: str, year: int, region: str | None = None) -> pd.DataFrame:
    return map_frame(STORE, indicator, year, region_by_slug(region) if region else None, GEOMETRY)


def test_geometry_knows_the_drawable_map_and_small_countries() -> None:
    assert len(GEOMETRY.drawable) >= 170
    assert {"BHR", "SGP", "MLT"} <= set(too_small_for_map(GEOMETRY, ["BHR", "SGP", "MLT", "NGA"]))
    assert "NGA" in GEOMETRY.drawable
    lon, lat = extent(GEOMETRY, ["PAK", "IND", "IRN", "BGD"])  # type: ignore[misc]
    assert 35 < lon[0] < 50 and 90 < lon[1] < 110 and 0 < lat[0] < 20 and 35 < lat[1] < 50


@pytest.mark.parametrize(
    ("base", "expected"),
    [("", "/app/static/topojson/"), ("igf", "/igf/app/static/topojson/"), ("/a/b/", "/a/b/app/static/topojson/")],
)
def test_topojson_url_follows_the_base_path(base: str, expected: str) -> None:
    assert topojson_url(base) == expected


def test_fotn_frame_converts_and_separates_no_data_from_not_covered() -> None:
    frame = frame_for("fotn_limits", 2018).set_index("iso3")
    assert (frame["state"] == DATA).sum() == 8
    assert frame.loc["CHN", "value"] == 4 and frame.loc["CHN", "published"] == 31  # 35 − 31
    assert frame.loc["NOR", "state"] == NOT_COVERED  # never in any FOTN edition
    pillars_2012 = frame_for("fotn_limits", 2012).set_index("iso3")
    totals_2012 = set(STORE.period_slice("fotn_total", 2012)["iso3"])
    unscored = sorted(totals_2012 - set(pillars_2012.index[pillars_2012["state"] == DATA]))
    assert len(unscored) == 8 - 4
    assert set(pillars_2012.loc[unscored, "state"]) == {NO_DATA}  # covered by FOTN, pillar not published in 2012
    assert "published as 31" in frame.loc["CHN", "hover"] and "source:" in frame.loc["CHN", "hover"]


def test_absent_values_are_never_zero() -> None:
    shutdowns = frame_for("shutdowns", 2022).set_index("iso3")
    assert shutdowns.loc["NOR", "state"] == NONE_RECORDED and pd.isna(shutdowns.loc["NOR", "value"])
    wcit = frame_for("wcit12_signed", 2012).set_index("iso3")
    assert wcit.loc["RUS", "value"] == 1 and wcit.loc["USA", "value"] == 0
    assert (wcit["state"] == UNKNOWN).sum() > 80


def test_region_marks_rows_and_table_keeps_only_the_region() -> None:
    frame = frame_for("internet_users", 2020, "africa")
    table = table_for(frame, REGISTRY.indicator("internet_users"), 2020)
    assert frame["in_region"].sum() > 40
    assert len(table) == int((frame["in_region"] & (frame["state"] == DATA)).sum())
    assert "Nigeria" in set(table["Country"]) and "France" not in set(table["Country"])


def test_default_period_is_the_best_covered() -> None:
    assert STORE.best_period("fotn_limits") == 2018
    assert STORE.best_period("fotn_total") == 2019


def test_scale_wording_and_conversion_note(shipped_statement: Statement) -> None:
    assert "higher = freer" in display_scale(REGISTRY.indicator("fotn_total"), None).title
    shutdowns = display_scale(REGISTRY.indicator("shutdowns"), 84)
    assert shutdowns.reverse and shutdowns.log and "darker = more" in shutdowns.title and "freer" not in shutdowns.title
    limits = display_scale(REGISTRY.indicator("fotn_limits"), None)
    assert (limits.cmin, limits.cmax) == (0, 35)
    data = ExplorerData(shipped_statement, STORE, load_links(DATA_DIR), GEOMETRY)
    assert build_indicator_map(data, "fotn_total", 2012, None).notes
    assert build_indicator_map(data, "fotn_total", 2019, None).notes == ()
    assert build_indicator_map(data, "internet_users", 2012, None).notes == ()


def test_map_figure_traces_locations_colour_bar_and_no_data(shipped_statement: Statement) -> None:
    frame = frame_for("fotn_total", 2019)
    markers = signatory_points(shipped_statement.signatories, GEOMETRY, None)
    figure = build_map_figure(frame, display_scale(REGISTRY.indicator("fotn_total"), None), GEOMETRY, markers)
    names = [trace.name for trace in figure.data]
    assert names == [
        "not covered",
        "value",
        "too small to draw (dot)",
        "signatories: based here",
        "signatories: works on this country",
    ]
    values = figure.data[1]
    with_data = set(frame.loc[frame["state"] == DATA, "iso3"])
    assert set(values.locations) == with_data & GEOMETRY.drawable
    assert set(figure.data[0].locations).isdisjoint(with_data)  # no-data countries are never in the value trace
    assert set(figure.data[0].z) == {0}
    assert "points (0–100)" in figure.layout.coloraxis.colorbar.title.text
    assert figure.layout.geo.projection.rotation.lon == 0
    based = figure.data[3]
    assert sum(based.marker.size) == sum(8 + 5 * c for c in markers.loc[markers["kind"] == "based here", "count"])


def test_regional_figure_dims_outside_and_zooms(shipped_statement: Statement) -> None:
    frame = frame_for("internet_users", 2020, "south-america")
    south_america = [c for c in frame.loc[frame["in_region"], "iso3"] if c in GEOMETRY.drawable]
    figure = build_map_figure(
        frame,
        display_scale(REGISTRY.indicator("internet_users"), None),
        GEOMETRY,
        None,
        extent(GEOMETRY, south_america),
    )
    assert figure.data[0].name == "outside the region" and "FRA" in set(figure.data[0].locations)
    assert -80 < figure.layout.geo.center.lon < -45
    assert figure.layout.geo.projection.rotation.lon == figure.layout.geo.center.lon


def test_categorical_colour_bar_names_the_categories() -> None:
    figure = build_map_figure(
        frame_for("wcit12_signed", 2012), display_scale(REGISTRY.indicator("wcit12_signed"), None), GEOMETRY
    )
    assert list(figure.layout.coloraxis.colorbar.ticktext) == ["did not sign", "signed"]


def test_timeseries_marks_the_break_starts_at_zero_and_keeps_gaps() -> None:
    frame = pd.DataFrame({"series": ["a"] * 3, "year": [2017, 2018, 2020], "value": [1, 2, 3]})
    assert len(build_timeseries(frame, "t", "u", 2019).layout.shapes) == 1
    figure = build_timeseries(frame, "t", "u", periods=[2017, 2018, 2019, 2020])
    assert len(figure.layout.shapes) == 0 and figure.layout.yaxis.rangemode == "tozero"
    assert (
        list(figure.data[0].x) == [2017, 2018, 2019, 2020]
        and pd.isna(figure.data[0].y[2])
        and not figure.data[0].connectgaps
    )


def test_colour_range_is_the_indicators_not_the_views() -> None:
    figure = build_map_figure(
        frame_for("fotn_total", 2025, "southern-asia"), display_scale(REGISTRY.indicator("fotn_total"), None), GEOMETRY
    )
    assert (figure.layout.coloraxis.cmin, figure.layout.coloraxis.cmax) == (0, 100)
    shutdowns = display_scale(REGISTRY.indicator("shutdowns"), 84)
    counts = build_map_figure(frame_for("shutdowns", 2022), shutdowns, GEOMETRY)
    assert list(counts.layout.coloraxis.colorbar.ticktext)[-1] == "50"
    value_trace = next(t for t in counts.data if t.name == "value")
    assert max(value_trace.z) == pytest.approx(math.log1p(84))


def test_links_resolve_and_agree_with_sidecars(shipped_statement: Statement) -> None:
    links = load_links(DATA_DIR)
    assert indicators_for(links, ["blocking"]) == ["fotn_limits", "shutdowns", "removal_requests"]
    assert indicators_for(links, ["access"]) == ["internet_users", "fotn_obstacles", "shutdowns"]
    assert indicators_for(links, ["surveillance-exports"]) == ["wassenaar_participating"]
    assert set(themes_for(links, "fotn_violations")) == {"privacy-surveillance", "safety", "anonymity", "due-process"}
    registry = load_registry(DATA_DIR)
    declared = {i.id: i.themes for i in (*registry.indicators.values(), *registry.company_indicators.values())}
    assert check_links(links, set(shipped_statement.theme_ids()), declared) == []
    broken = (*links, Link("nonsense", "fotn_total", "x", "y"), Link("access", "gdp", "x", "y"))
    messages = [p.message for p in check_links(broken, set(shipped_statement.theme_ids()), declared)]
    assert "unknown theme 'nonsense'" in messages and "unknown indicator 'gdp'" in messages


PILLARS = tuple(REGISTRY.indicator(i) for i in ("fotn_obstacles", "fotn_limits", "fotn_violations"))


def test_pillar_standings_use_the_fullest_edition() -> None:
    standings = pillar_standings(STORE, "PAK", PILLARS)
    assert {s.edition for s in standings} == {2018} and standings[0].covered == 8
    assert standings[0].indicator == "fotn_obstacles"  # ranks lowest against the others
    assert pillar_standings(STORE, "SSD", PILLARS) == []


def test_change_between_two_periods_on_one_scale(shipped_statement: Statement) -> None:
    data = ExplorerData(shipped_statement, STORE, load_links(DATA_DIR), GEOMETRY)
    change = change_between(data, "fotn_total", 2012, 2019, None).set_index("iso3")
    assert len(change) == 8  # every country of the 2012 edition is in the 2019 edition too
    assert change.loc["CHN", "start"] == 100 - 85  # 2012 published 85 on the old scale
    assert change.loc["CHN", "change"] == change.loc["CHN", "end"] - change.loc["CHN", "start"]


def test_check_reports_a_link_that_disagrees(data_copy: Path) -> None:
    from igf_explorer.check import check_data_dir

    path = data_copy / "links" / "theme_indicators.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  - theme: anonymity\n    indicator: fotn_violations", "  - theme: anonymity\n    indicator: fotn_limits"
        ),
        encoding="utf-8",
    )
    messages = [p.message for p in check_data_dir(data_copy)]
    assert any("links give 'fotn_limits' the themes" in m for m in messages)
