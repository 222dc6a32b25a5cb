"""The map in a real browser, offline: shapes, markers, filters, clicks, other pages' maps and a base URL path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from igf_explorer.countries import country_name
from igf_explorer.filters import filter_recommendations
from igf_explorer.statement import Statement
from tests.e2e.conftest import Server, Traffic, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.e2e
SHAPES = "path.choroplethlocation"
MARKERS = "g.trace.scattergeo path.point"


def wait_for_map(page, minimum: int = 1, timeout: float = 60_000) -> int:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"() => document.querySelectorAll('{SHAPES}').length >= {minimum}", timeout=timeout)
    wait_for_app(page)
    return int(page.locator(SHAPES).count())


def recommendation_links(page) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.eval_on_selector_all(
        '[data-testid="stMain"] [data-testid="stPageLink"] a', "els => els.map(e => e.href)"
    )
    return list(dict.fromkeys(hrefs))  # a link with a tooltip holds two anchors


def test_map_draws_the_world_with_signatory_markers(page, server: Server, traffic: Traffic) -> None:
    page.goto(f"{server.url}/map")
    assert wait_for_map(page, 150) >= 150
    assert page.locator(MARKERS).count() >= 10
    legend = page.evaluate("document.querySelector('.legend').textContent")
    assert "signatories: based here" in legend and "not covered" in legend
    assert any(url.endswith("/app/static/topojson/world_110m.json") for url in traffic.requests)
    assert traffic.external == []


def test_region_and_theme_change_the_map_and_the_list(page, server: Server, shipped_statement: Statement) -> None:
    page.goto(f"{server.url}/map")
    wait_for_map(page, 150)
    world_colours = page.eval_on_selector_all(SHAPES, "els => els.map(e => e.style.fill).join('|')")
    assert len(recommendation_links(page)) == 14
    page.goto(f"{server.url}/map?theme=blocking&region=africa")
    wait_for_map(page, 40)
    africa_colours = page.eval_on_selector_all(SHAPES, "els => els.map(e => e.style.fill).join('|')")
    assert africa_colours != world_colours
    expected = {r.id for r in filter_recommendations(shipped_statement, themes=["blocking"])}
    links = recommendation_links(page)
    assert {parse_qs(urlparse(link).query)["rec"][0] for link in links} == expected
    assert "outside the region" in page.evaluate("document.querySelector('.legend').textContent")
    table_text = page.inner_text('[data-testid="stMain"]')
    assert "Countries with a figure" in table_text


def test_choosing_a_region_in_the_sidebar_zooms_and_filters(page, server: Server) -> None:
    page.goto(f"{server.url}/map?indicator=internet_users&year=2020")
    wait_for_map(page, 150)
    world = page.inner_text('[data-testid="stMain"] .igf-number >> nth=0')
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.keyboard.type("Southern Asia")
    page.get_by_role("option", name="Asia › Southern Asia").click()
    page.wait_for_function("() => location.search.includes('region=southern-asia')", timeout=30_000)
    wait_for_map(page)
    region = page.inner_text('[data-testid="stMain"] .igf-number >> nth=0')
    total = int(region.split(" of ")[1].split()[0])
    assert 5 < total < 15 < int(world.split(" of ")[1].split()[0])  # counted over the region's countries only


def test_clicking_a_country_opens_its_profile(page, server: Server) -> None:
    page.goto(f"{server.url}/map?indicator=internet_users&year=2020")
    wait_for_map(page, 150)
    point = page.evaluate(
        """() => { const shapes = Array.from(document.querySelectorAll('g.trace.choropleth')).pop().querySelectorAll('path.choroplethlocation');
           const markers = Array.from(document.querySelectorAll('g.trace.scattergeo path.point')).map(m => m.getBoundingClientRect());
           const clear = (x, y) => markers.every(m => Math.hypot(m.x + m.width / 2 - x, m.y + m.height / 2 - y) > 40);
           let best = null, area = 0;
           for (const s of shapes) {
             const r = s.getBoundingClientRect(); const a = r.width * r.height;
             if (a > area && r.width < 160 && clear(r.x + r.width / 2, r.y + r.height / 2)) { area = a; best = r; }
           }
           return [best.x + best.width / 2, best.y + best.height / 2]; }"""
    )
    page.mouse.move(point[0], point[1])
    page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
    # SVG text: the hover label's first line (<b>Country</b>) is its first tspan.
    hovered = page.evaluate("document.querySelector('.hoverlayer .hovertext text tspan').textContent").strip()
    page.mouse.click(point[0], point[1])
    page.wait_for_function("() => location.pathname.endsWith('/country')", timeout=30_000)
    wait_for_app(page)
    code = parse_qs(urlparse(page.evaluate("location.href")).query)["country"][0]
    assert country_name(code) == hovered
    assert page.inner_text('[data-testid="stMain"] h1') == hovered


@pytest.mark.parametrize("path", ["/country?country=PAK", "/recommendations?rec=gov-blocking"])
def test_profile_and_recommendation_render_their_maps(page, server: Server, traffic: Traffic, path: str) -> None:
    page.goto(f"{server.url}{path}")
    assert wait_for_map(page, 5) >= 5
    assert traffic.external == []


@pytest.fixture(scope="module")
def prefixed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("prefixed"), extra_args=["--server.baseUrlPath", "igf"], base_path="igf"
    )
    yield running
    stop_server(running)


@pytest.mark.parametrize("path", ["/map", "/country?country=PAK", "/recommendations?rec=gov-blocking"])
def test_maps_work_under_a_base_url_path(page, prefixed_server: Server, traffic: Traffic, path: str) -> None:
    page.goto(f"{prefixed_server.url}{path}")
    assert wait_for_map(page, 5) >= 5
    topojson = [url for url in traffic.requests if url.endswith("world_110m.json")]
    assert topojson and all(urlparse(url).path == "/igf/app/static/topojson/world_110m.json" for url in topojson)


def test_vendored_topojson_is_what_is_served(server: Server) -> None:
    import urllib.request

    from tests.conftest import REPO_ROOT

    with urllib.request.urlopen(f"{server.url}/app/static/topojson/world_110m.json") as response:
        served = response.read()
    assert served == Path(REPO_ROOT / "static" / "topojson" / "world_110m.json").read_bytes()
    assert len(served) <= 300_000
