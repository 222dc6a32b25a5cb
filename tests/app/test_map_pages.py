"""AppTest for the map, the country profile and the recommendation's indicators: widgets and query parameters."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from components import state
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.links import indicators_for, load_links
from igf_explorer.registry import page_by_path
from igf_explorer.statement import load_statement
from tests.app.conftest import all_text, key_numbers
from tests.conftest import DATA_DIR

STORE = IndicatorStore(*load_store(DATA_DIR))
MAP = page_by_path("map").script
COUNTRY = page_by_path("country").script
RECS = page_by_path("recommendations").script
Factory = Callable[..., AppTest]


def test_theme_picks_the_linked_indicators_and_writes_the_url(app_at: Factory) -> None:
    at = app_at(MAP, theme="blocking")
    picker = at.selectbox(key=state.INDICATOR)
    assert picker.options == [
        "Freedom on the Net B: Limits on Content",
        "Internet shutdowns recorded by Access Now #KeepItOn",
        "Government requests to Google to remove content",
    ]
    assert picker.value == "fotn_limits"
    best = STORE.best_period("fotn_limits")
    assert at.select_slider(key=state.YEAR).value == best
    # The landing URL stays as it was (what the page derived from it is not written: no second history entry);
    # a choice the user makes is written.
    assert "indicator" not in at.query_params and at.query_params["theme"] == "blocking"
    at.select_slider(key=state.YEAR).set_value(2019).run()
    assert at.query_params["indicator"] == "fotn_limits" and at.query_params["year"] == "2019"
    assert any(s.value == "Recommendations (2)" for s in at.subheader)


def test_indicator_and_year_from_the_link(app_at: Factory) -> None:
    at = app_at(MAP, indicator="shutdowns", year="2022")
    assert at.selectbox(key=state.INDICATOR).value == "shutdowns"
    assert at.select_slider(key=state.YEAR).value == 2022
    assert "Countries with a figure" in key_numbers(at)


def test_changing_indicator_and_period(app_at: Factory) -> None:
    at = app_at(MAP)
    assert at.select_slider(key=state.YEAR).value == STORE.best_period("fotn_total")
    at.select_slider(key=state.YEAR).set_value(2019).run()
    at.selectbox(key=state.INDICATOR).set_value("internet_users").run()
    assert at.select_slider(key=state.YEAR).value == 2019  # the period is kept when the new indicator has it
    at.selectbox(key=state.INDICATOR).set_value("shutdowns").run()
    assert at.select_slider(key=state.YEAR).value == 2019
    at.selectbox(key=state.INDICATOR).set_value("wcit12_signed").run()
    assert at.query_params["year"] == "2012"  # the only period this indicator has
    at.selectbox(key=state.INDICATOR).set_value("internet_users").run()
    at.select_slider(key=state.YEAR).set_value(2012).run()
    assert not at.exception
    assert at.query_params["indicator"] == "internet_users" and at.query_params["year"] == "2012"


def test_year_without_data_falls_back_to_the_best_period(app_at: Factory) -> None:
    at = app_at(MAP, indicator="fotn_limits", year="1999")
    assert at.select_slider(key=state.YEAR).value == STORE.best_period("fotn_limits")


def test_unmeasured_theme_is_said_plainly(app_at: Factory) -> None:
    # Only company series (GNI, Ranking Digital Rights) measure corporate responsibility: the map has none.
    at = app_at(MAP, theme="corporate-responsibility")
    assert any("No country indicator measures Corporate responsibility" in i.value for i in at.info)


def test_region_restricts_the_table(app_at: Factory) -> None:
    world = app_at(MAP, indicator="internet_users", year="2020")
    africa = app_at(MAP, indicator="internet_users", year="2020", region="africa")
    assert len(africa.table[0].value) < len(world.table[0].value)
    countries = set(africa.table[0].value.index)
    assert "Nigeria" in countries and "France" not in countries


def test_country_profile_from_the_link(app_at: Factory) -> None:
    at = app_at(COUNTRY, country="PAK")
    assert at.selectbox(key=state.COUNTRY).value == "PAK"
    assert at.title[0].value == "Pakistan"
    text = all_text(at)
    assert "Weakest relative to the others: **FOTN" in text
    assert "Digital Rights Foundation, Pakistan" in text
    assert at.query_params["country"] == "PAK"


def test_country_without_fotn_says_not_covered(app_at: Factory) -> None:
    at = app_at(COUNTRY, country="SSD")
    assert any("Not covered by Freedom on the Net in any edition" in i.value for i in at.info)
    assert "No edition scores every pillar for this country" in all_text(at)


def test_country_widget_changes_the_profile(app_at: Factory) -> None:
    at = app_at(COUNTRY)
    assert any("Choose a country" in i.value for i in at.info)
    at.selectbox(key=state.COUNTRY).set_value("AZE").run()
    assert at.title[0].value == "Azerbaijan" and at.query_params["country"] == "AZE"


def test_recommendation_shows_its_indicators(app_at: Factory) -> None:
    at = app_at(RECS, rec="gov-blocking")
    radio = at.radio(key=state.INDICATOR)
    themes = next(r for r in load_statement(DATA_DIR).recommendations if r.id == "gov-blocking").themes
    linked = [i for i in indicators_for(load_links(DATA_DIR), themes) if i in STORE.registry.indicators]
    assert radio.value == "fotn_limits" and len(radio.options) == len(linked) > 4
    radio.set_value("shutdowns").run()
    text = all_text(at)
    assert "has no figures for 2012" in text and "2016 is its first period with data" in text
    assert at.query_params["indicator"] == "shutdowns" and at.query_params["rec"] == "gov-blocking"


def test_recommendation_without_indicator(app_at: Factory) -> None:
    at = app_at(RECS, rec="companies-gni")  # measured by company series only
    assert any("Corporate responsibility" in i.value for i in at.info)


def test_link_values_the_view_cannot_use_are_announced(app_at: Factory) -> None:
    at = app_at(MAP, indicator="wcit12_signed", theme="blocking")
    assert at.selectbox(key=state.INDICATOR).value == "fotn_limits"
    assert any("does not measure" in w.value for w in at.warning)
    at = app_at(MAP, indicator="shutdowns", year="2012")
    assert at.select_slider(key=state.YEAR).value == STORE.best_period("shutdowns")
    assert any("no figures for 2012" in w.value for w in at.warning)


def test_a_recommendation_measured_by_a_single_period_indicator_finishes_its_run(app_at: Factory) -> None:
    # WCIT-12 has one period: the change range had nothing to choose and used to ask for a rerun on every run.
    at = app_at(RECS, rec="gov-wcit-delegations")
    assert at.radio(key=state.INDICATOR).value == "wcit12_signed"
    assert at.query_params["rec"] == "gov-wcit-delegations"
