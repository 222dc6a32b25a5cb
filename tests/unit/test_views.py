"""View builders on a small made-up store (values invented for the test, never shipped): one frame per map view,
the region and themes honoured, the ranking order from the sidecar, the fallbacks for impossible link values."""

from __future__ import annotations

import pandas as pd
import pytest

from igf_explorer.geometry import load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_registry
from igf_explorer.links import load_links
from igf_explorer.statement import load_statement
from igf_explorer.views import ExplorerData
from igf_explorer.views import map as map_views
from igf_explorer.views.country import build_country_view
from igf_explorer.views.map import build_map_view
from igf_explorer.views.recommendation import build_recommendation_measures
from tests.conftest import DATA_DIR

ROWS = [
    # iso3, year, indicator, value (FOTN 2012 on the old scale, 2024 on the new one), status
    ("NGA", 2012, "fotn_total", 33, "Partly Free"),
    ("NGA", 2024, "fotn_total", 59, "Partly Free"),
    ("KEN", 2012, "fotn_total", 32, "Partly Free"),
    ("KEN", 2024, "fotn_total", 64, ""),
    ("FRA", 2012, "fotn_total", 20, "Free"),
    ("FRA", 2024, "fotn_total", 76, "Free"),
    ("PAK", 2024, "fotn_total", 27, "Not Free"),
    ("PAK", 2024, "fotn_obstacles", 6, ""),
    ("PAK", 2024, "fotn_limits", 13, ""),
    ("PAK", 2024, "fotn_violations", 8, ""),
    ("NGA", 2024, "fotn_obstacles", 14, ""),
    ("NGA", 2024, "fotn_limits", 25, ""),
    ("NGA", 2024, "fotn_violations", 20, ""),
    ("NGA", 2020, "internet_users", 35.5, ""),
    ("KEN", 2020, "internet_users", 29.0, ""),
    ("FRA", 2020, "internet_users", 84.8, ""),
    ("NGA", 2012, "internet_users", 16.0, ""),
    ("KEN", 2012, "internet_users", 12.0, ""),
    ("FRA", 2012, "internet_users", 81.0, ""),
    ("IND", 2022, "shutdowns", 84, ""),
    ("NGA", 2012, "wcit12_signed", 1, "signed"),
]


@pytest.fixture(scope="module")
def data() -> ExplorerData:
    frame = pd.DataFrame(ROWS, columns=["iso3", "year", "indicator", "value", "status"]).assign(note="", source="")
    frame = frame.astype({"value": float})
    registry = load_registry(DATA_DIR)
    return ExplorerData(
        load_statement(DATA_DIR), IndicatorStore(frame, registry), load_links(DATA_DIR), load_geometry(DATA_DIR)
    )


def test_one_map_frame_per_view_shared_by_the_figure_and_the_table(
    data: ExplorerData, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    real = map_views.map_frame

    def counting(store: IndicatorStore, indicator: str, year: int, region: object, geometry: object) -> pd.DataFrame:
        calls.append((indicator, year))
        return real(store, indicator, year, region, geometry)  # type: ignore[arg-type]

    monkeypatch.setattr(map_views, "map_frame", counting)
    shown = build_map_view(data, (), "africa", "fotn_total", 2024)
    assert calls == [("fotn_total", 2024)]
    assert shown.map is not None and len(shown.map.figure.data) > 0
    assert list(shown.map.table["Country"]) == ["Kenya", "Nigeria"]  # the table is the figure's frame, in Africa


def test_the_region_restricts_table_and_counts(data: ExplorerData) -> None:
    world = build_map_view(data, (), None, "fotn_total", 2024)
    africa = build_map_view(data, (), "africa", "fotn_total", 2024)
    assert world.map is not None and africa.map is not None
    assert world.map.with_figure == 4 and africa.map.with_figure == 2
    assert africa.map.total < world.map.total


def test_a_theme_narrows_the_indicators_and_an_unlinked_one_falls_back_with_a_notice(data: ExplorerData) -> None:
    shown = build_map_view(data, ("blocking",), None, "wcit12_signed", None)
    assert shown.indicators == ("fotn_limits", "shutdowns", "removal_requests")  # in link-file order
    assert shown.choice.indicator == "fotn_limits"
    assert any("does not measure the chosen themes" in n for n in shown.choice.notices)


def test_a_period_without_data_falls_back_to_the_best_covered_one(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "fotn_total", 1999)
    assert shown.choice.year == 2024  # 4 countries in 2024, 3 in 2012
    assert any("has no figures for 1999; showing 2024" in n for n in shown.choice.notices)
    quiet = build_map_view(data, (), None, "fotn_total", 1999, explain=False)
    assert quiet.choice.notices == ()


def test_old_editions_are_shown_higher_is_freer_and_said_so(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "fotn_total", 2012)
    assert shown.map is not None
    assert shown.map.table.set_index("Country").loc["France", "FOTN total"] == "80"  # 100 − 20
    assert any("published with 0 = most free" in n for n in shown.map.notes)


def test_the_ranking_follows_the_sidecars_order(data: ExplorerData) -> None:
    access = data.statement.recommendation("gov-access")
    assert access is not None
    measures = build_recommendation_measures(data, access, None, "internet_users", 2020)
    assert measures.ranking_title == data.store.registry.indicator("internet_users").display.ranking_title
    assert list(measures.ranking["Country"])[0] == "France"  # highest share first


def test_the_region_restricts_change_and_signatories_on_a_recommendation(data: ExplorerData) -> None:
    blocking = data.statement.recommendation("gov-blocking")
    assert blocking is not None
    world = build_recommendation_measures(data, blocking, None, "fotn_total", 2024)
    africa = build_recommendation_measures(data, blocking, "africa", "fotn_total", 2024)
    assert world.change is not None and africa.change is not None
    assert set(world.change["Country"]) == {"France", "Kenya", "Nigeria"}
    assert set(africa.change["Country"]) == {"Kenya", "Nigeria"}
    assert "France" not in set(africa.signatories["Country"])
    assert set(africa.signatories["Country"]) < set(world.signatories["Country"])
    # Change on one scale: Nigeria 2012 published 33 (lower = freer) is 67 on today's scale; 59 in 2024.
    assert africa.change.set_index("Country").loc["Nigeria", "Change"] == 59 - 67


def test_a_theme_changes_what_the_country_profile_leads_with(data: ExplorerData) -> None:
    plain = build_country_view(data, "PAK")
    privacy = build_country_view(data, "PAK", ("privacy-surveillance",))
    assert plain.lead == ()
    assert privacy.lead and "FOTN C: Violations of User Rights" in privacy.lead[0]
    assert "2024 edition" in privacy.lead[0]


def test_a_score_without_a_published_status_shows_its_band_labelled(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "fotn_total", 2024)
    assert shown.map is not None
    kenya = shown.map.table.set_index("Country").loc["Kenya", "Status"]
    assert kenya == "Partly Free (band)"  # 64 on the higher-is-freer scale, no status given


def test_a_country_never_covered_is_not_covered_and_the_view_has_no_made_up_figures(data: ExplorerData) -> None:
    profile = build_country_view(data, "SSD")  # a signatory's base, no figure in this store
    assert profile.title == "South Sudan"
    assert any(p.figure is None and "Not covered" in p.empty for p in profile.panels)
    assert profile.standings == ()


def test_uninhabited_territories_are_not_listed_or_counted_as_countries(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "fotn_total", 2024)
    assert shown.map is not None
    listed = {name for _, names in shown.map.absent for name in names}
    assert "Antarctica" not in listed and "Bouvet Island" not in listed
    assert shown.map.total == shown.map.with_figure + len(listed)  # one denominator: the countries the map counts
