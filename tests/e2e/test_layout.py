"""Layout for rooms and phones, and low-bandwidth mode, in Chromium.

At 1280 × 720 (a projector) the map starts above the fold; at 390 × 844 (a phone) no page scrolls sideways and the
map is visible; the Overview's addressee headings are read whole; ``lite=1`` loads a page a fraction of the normal
one's weight (a ratio measured in the same run); the switches round-trip through the URL.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from igf_explorer.registry import PAGE_SPECS
from tests.e2e.conftest import Server, wait_for_app

pytestmark = pytest.mark.e2e
MAP = "path.choroplethlocation, svg.igf-lite-map path"
MAP_BOX = ".js-plotly-plot, svg.igf-lite-map"
# Deep links that give each page its charts; the others open bare.
PHONE_ROUTES = {"country": "?country=PAK", "recommendations": "?rec=gov-blocking"}


def wait_for_map(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"() => document.querySelectorAll('{MAP}').length >= 150", timeout=60_000)
    wait_for_app(page)


def box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    found = page.evaluate(f"() => document.querySelector('{selector}')?.getBoundingClientRect().toJSON() ?? null")
    assert found is not None, f"nothing matches {selector}"
    return dict(found)


@pytest.mark.parametrize("query", ["", "?lite=1"])
def test_map_starts_above_the_fold_on_a_projector(sized_page, server: Server, query: str) -> None:
    page = sized_page(1280, 720)
    page.goto(f"{server.url}/map{query}")
    wait_for_map(page)
    assert box(page, MAP_BOX)["top"] < 720 - 200, "at least 200 px of the map in the first screen"


@pytest.mark.parametrize("query", ["", "?lite=1"])
@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_no_page_scrolls_sideways_on_a_phone(sized_page, server: Server, spec, query: str) -> None:
    page = sized_page(390, 844)
    extra = PHONE_ROUTES.get(spec.url_path, "")
    joined = extra + ("&" + query[1:] if extra and query else query)
    page.goto(server.url + spec.route + joined)
    wait_for_app(page)
    if spec.url_path in ("map", "country", "recommendations"):
        page.wait_for_selector(MAP_BOX, timeout=60_000)
        wait_for_app(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth,"
        " document.querySelector('[data-testid=\"stMain\"]').scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths


@pytest.mark.parametrize("query", ["", "?lite=1"])
def test_map_is_visible_and_usable_on_a_phone(sized_page, server: Server, query: str) -> None:
    page = sized_page(390, 844)
    page.goto(f"{server.url}/map{query}")
    wait_for_map(page)
    page.locator(MAP_BOX).first.scroll_into_view_if_needed()
    shown = box(page, MAP_BOX)
    assert shown["left"] >= 0 and shown["right"] <= 390
    assert shown["width"] >= 300 and 150 <= shown["height"] <= 844
    drawn = page.evaluate(
        f"() => {{ const r = [...document.querySelectorAll('{MAP}')].map(p => p.getBoundingClientRect());"
        " return Math.max(...r.map(b => b.right)) - Math.min(...r.map(b => b.left)); }"
    )
    assert drawn >= 200, "the world spans most of the phone's width, beside the colour bar"


def test_overview_addressee_headings_are_read_whole(sized_page, server: Server) -> None:
    for width, height in ((1280, 720), (390, 844)):
        page = sized_page(width, height)
        page.goto(server.url + "/")
        wait_for_app(page)
        label = page.locator('[data-testid="stMain"] a[href*="addressee=itu"]').first
        assert "To the International Telecommunications Union & Member States (1)" in label.inner_text()
        clipped = label.evaluate(
            "a => [a, ...a.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1"
            " && getComputedStyle(e).overflow !== 'visible').map(e => e.tagName)"
        )
        assert clipped == [], f"cut off at {width}px in {clipped}"
        edge = label.bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= width


def transferred(page, url: str) -> int:  # type: ignore[no-untyped-def]
    """Bytes the page received until the map is drawn: HTTP bodies on the wire plus the server's WebSocket frames."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    total = [0]

    def finished(event: dict[str, object]) -> None:
        total[0] += int(float(str(event.get("encodedDataLength", 0))))

    def frame(event: dict[str, object]) -> None:
        response = event.get("response")
        if isinstance(response, dict):
            payload = str(response.get("payloadData", ""))
            total[0] += len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload)

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(url)
    wait_for_map(page)
    return total[0]


def test_lite_map_page_weighs_a_fraction_of_the_normal_one(sized_page, server: Server) -> None:
    warm = sized_page(390, 844)
    warm.goto(f"{server.url}/map")  # fills the server's view caches, so both loads below see the same server
    wait_for_map(warm)
    normal = transferred(sized_page(390, 844), f"{server.url}/map")
    lite_page = sized_page(390, 844)
    lite = transferred(lite_page, f"{server.url}/map?lite=1")
    assert lite_page.locator(".js-plotly-plot").count() == 0
    assert normal > 1_000_000, "the measurement saw the page load"
    assert lite < 0.6 * normal, (lite, normal)


def test_switches_round_trip_through_the_url(sized_page, server: Server) -> None:
    page = sized_page(1280, 720)
    page.goto(f"{server.url}/map?lite=1&high_contrast=1")
    wait_for_map(page)
    assert page.get_by_role("switch", name="Low-bandwidth mode").is_checked()
    assert page.get_by_role("switch", name="High contrast").is_checked()
    page.get_by_role("switch", name="High contrast").click(force=True)
    page.wait_for_function("() => !location.search.includes('high_contrast')", timeout=30_000)
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query).get("lite") == ["1"]
    page.get_by_role("switch", name="Low-bandwidth mode").click(force=True)
    page.wait_for_function("() => !location.search.includes('lite')", timeout=30_000)
    # Wait for plotly's own shapes: the low-bandwidth SVG's paths may still be on the page until the rerun ends.
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length >= 150", timeout=60_000
    )
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator("svg.igf-lite-map").count() == 0
    page.goto(f"{server.url}/signatories?lite=1")
    wait_for_app(page)
    page.get_by_role("link", name="Map").first.click()
    page.wait_for_url("**/map**", timeout=30_000)
    wait_for_map(page)
    assert page.get_by_role("switch", name="Low-bandwidth mode").is_checked(), "kept across pages"
