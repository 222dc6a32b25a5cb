"""AppTest: the display switches are in the sidebar on every page, bound to the URL both ways, and change the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from components import state
from igf_explorer.registry import PAGE_SPECS, page_by_path

MAP = page_by_path("map").script
COUNTRY = page_by_path("country").script
RECS = page_by_path("recommendations").script
Factory = Callable[..., AppTest]


def html_tables(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if 'class="igf-table-wrap"' in str(m.value)]


def lite_map_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if '<svg class="igf-lite-map"' in str(m.value)]


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_every_page_has_both_switches_with_labels(app_at: Factory, spec) -> None:
    at = app_at(spec.script)
    lite, contrast = at.toggle(key=state.LITE), at.toggle(key=state.HIGH_CONTRAST)
    assert (lite.label, contrast.label) == ("Low-bandwidth mode", "High contrast")
    assert lite.value is False and contrast.value is False
    assert lite.help and contrast.help


def test_turning_a_switch_on_writes_it_to_the_url_and_off_removes_it(app_at: Factory) -> None:
    at = app_at(MAP)
    at.toggle(key=state.LITE).set_value(True).run()
    assert at.query_params["lite"] in ("1", ["1"])  # AppTest keeps a value or a list
    at.toggle(key=state.HIGH_CONTRAST).set_value(True).run()
    assert "high_contrast" in at.query_params
    at.toggle(key=state.LITE).set_value(False).run()
    assert "lite" not in at.query_params and "high_contrast" in at.query_params


@pytest.mark.parametrize("word", ["1", "true", "on"])
def test_a_link_with_the_switches_lands_with_them_on(app_at: Factory, word: str) -> None:
    at = app_at(MAP, lite=word, high_contrast=word)
    assert at.toggle(key=state.LITE).value is True
    assert at.toggle(key=state.HIGH_CONTRAST).value is True


def test_the_switches_survive_a_move_to_another_page(app_at: Factory) -> None:
    at = app_at(MAP, lite="1")
    at.switch_page(COUNTRY).run()
    assert at.toggle(key=state.LITE).value is True


def test_lite_map_is_an_svg_with_links_and_no_plotly_chart(app_at: Factory) -> None:
    at = app_at(MAP, lite="1")
    assert not at.get("plotly_chart")
    (svg,) = lite_map_markdown(at)
    assert svg.count("<path") > 150 and 'href="country?' in svg and "lite=1" in svg
    assert "<title" in svg and "<desc" in svg
    assert html_tables(at), "the map's table is still there, as plain HTML (no Arrow code to download)"


def test_normal_map_is_plotly_with_a_text_alternative(app_at: Factory) -> None:
    at = app_at(MAP)
    assert at.get("plotly_chart") and not lite_map_markdown(at)
    assert any(str(c.value).startswith("In words: Map of") for c in at.caption)


def test_lite_country_profile_draws_no_chart_but_every_figure(app_at: Factory) -> None:
    at = app_at(COUNTRY, country="PAK", lite="1")
    assert not at.get("plotly_chart")
    assert lite_map_markdown(at)
    assert any("Line chart of the total and its parts" in str(c.value) for c in at.caption)
    assert len(html_tables(at)) >= 4  # each chart's figures and the whole profile, as plain HTML tables


def test_lite_recommendation_draws_its_map_as_svg(app_at: Factory) -> None:
    at = app_at(RECS, rec="gov-blocking", lite="1")
    assert not at.get("plotly_chart")
    assert lite_map_markdown(at)


def test_high_contrast_swaps_the_map_palette(app_at: Factory) -> None:
    normal = app_at(MAP, indicator="fotn_total")
    contrast = app_at(MAP, indicator="fotn_total", high_contrast="1")

    def colours(at: AppTest) -> str:
        return str(at.get("plotly_chart")[0].proto.spec)

    assert "#00224e" in colours(normal)  # cividis, the sidecar's palette
    assert "#000004" in colours(contrast) and "#00224e" not in colours(contrast)  # inferno
