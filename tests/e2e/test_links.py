"""Links in a real browser: hostile values on every page, a page that does not exist, and Back and Forward.

Every wait is on the app's state (the script idle and the expected text, URL or slider value in place), never on
a fixed delay.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from igf_explorer.registry import PAGE_SPECS
from igf_explorer.url_state import ECHO_CHARS, MAX_QUERY_CHARS
from tests.e2e.conftest import Server, Traffic

pytestmark = pytest.mark.e2e

BEACON = "![x](http://198.51.100.7/beacon.png)"
HOSTILE = (BEACON, "[click](javascript:alert(1))", ":red[styled]", "$\\href{http://198.51.100.7}{x}$")
BAD_YEARS = ("²", "①")
HUGE_QUERY = ((BEACON + " ") * 3_000)[:100_000]
ERRORS = ("Traceback", "This app has encountered an error")
NOTICES = '[data-testid="stMain"] [data-testid="stAlert"]'
# What markdown would have made of the values: an image, a link, coloured text, LaTeX.
MARKUP = "img, a, span[style], .katex, .katex-display, math"
SLIDER = '[data-testid="stMain"] input[type="range"][aria-label="Edition"], [data-testid="stMain"] input[type="range"][aria-label="Year"]'
SHAPES = "path.choroplethlocation"
# The centre of the n-th largest country shape that is not too wide and lies clear of the signatory markers.
CLEAR_SHAPE = """(n) => {
    const markers = [...document.querySelectorAll('g.trace.scattergeo path.point')].map(m => m.getBoundingClientRect());
    const clear = (x, y) => markers.every(m => Math.hypot(m.x + m.width / 2 - x, m.y + m.height / 2 - y) > 40);
    const boxes = [...document.querySelectorAll('path.choroplethlocation')].map(s => s.getBoundingClientRect())
        .filter(r => r.width < 160 && clear(r.x + r.width / 2, r.y + r.height / 2))
        .sort((a, b) => b.width * b.height - a.width * a.height);
    const r = boxes[n];
    return [r.x + r.width / 2, r.y + r.height / 2];
}"""
ALL_SHOWN = f"arg.every(v => [...document.querySelectorAll({NOTICES!r})].some(e => e.innerText.includes(v)))"


def settle(page, condition: str = "true", arg: object = None, timeout: float = 90_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script is idle, the page has its title, and the JS expression ``condition`` holds."""
    page.wait_for_function(
        f"""(arg) => {{
            const app = document.querySelector('[data-testid="stApp"]');
            return !!app && app.dataset.testScriptState === 'notRunning'
                && !!document.querySelector('[data-testid="stMain"] h1') && ({condition});
        }}""",
        arg=arg,
        timeout=timeout,
    )


def notice_text(page) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(page.eval_on_selector_all(NOTICES, "els => els.map(e => e.innerText)"))


def travel(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``url`` in the running session the way Back and Forward do: the frontend reruns the app with its query."""
    page.evaluate("url => { history.pushState({}, '', url); dispatchEvent(new PopStateEvent('popstate')); }", url)


def assert_shown_as_text(page, where: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    body = page.inner_text("body")
    for error in ERRORS:
        assert error not in body, f"{where}: {error}"
    assert page.locator('[data-testid="stException"]').count() == 0, where
    shown = notice_text(page)
    for value in expected:
        assert value[:ECHO_CHARS] in shown, f"{where}: {value!r} is not shown as written in {shown!r}"
    made = page.eval_on_selector_all(NOTICES, f"els => els.flatMap(e => [...e.querySelectorAll('{MARKUP}')])")
    assert made == [], f"{where}: the notices hold markup made from the link"
    assert page.locator('[data-testid="stMain"] img[src*="198.51.100.7"], a[href^="javascript"], .katex').count() == 0


def test_hostile_values_are_shown_as_written_on_every_page(page, server: Server, traffic: Traffic) -> None:
    for spec in PAGE_SPECS:
        # Every parameter the page's URL holds (what it reads, and the sidebar's filters) gets the value at once.
        for index, value in enumerate(HOSTILE):
            url = f"{server.url}{spec.route}?{urlencode(dict.fromkeys(spec.url_params, value))}"
            if index == 0:
                page.goto(url)  # a fresh session, as a shared link opens
            else:
                travel(page, url)  # the same session, as Back and Forward open one: a rerun, no reload
            settle(page, ALL_SHOWN, [value])
            assert_shown_as_text(page, f"{spec.route} with {value}", [value])
        if "year" in spec.params:
            for year in BAD_YEARS:
                travel(page, f"{server.url}{spec.route}?year={year}")
                settle(page, ALL_SHOWN, [f"{year} in the link is not a year"])
                assert_shown_as_text(page, f"{spec.route}?year={year}", [year])
        if "q" in spec.params:
            # Not page.goto: the HTTP server (uvicorn with h11, which buffers 16 KiB of an incomplete request)
            # answers some 100 KB request lines with 400 before the app runs.
            travel(page, f"{server.url}{spec.route}?{urlencode({'q': HUGE_QUERY})}")
            settle(page, ALL_SHOWN, ["The search text in the link was cut"])
            assert_shown_as_text(page, f"{spec.route}?q=<100 KB>", [])
            box = page.get_by_role("textbox", name="Search the text")
            assert box.input_value() == HUGE_QUERY[:MAX_QUERY_CHARS].strip()
    assert len(traffic.requests) > 100  # the guard saw every page load, so the zero below is a real measurement
    assert traffic.external == []


def test_a_page_that_does_not_exist_says_so_on_the_home_page(page, server: Server) -> None:
    page.goto(f"{server.url}/nosuchpage")
    settle(page, "document.body.innerText.includes('does not exist')")
    assert "The page /nosuchpage does not exist; this is the Overview page." in notice_text(page)
    assert page.inner_text('[data-testid="stMain"] h1') != ""
    assert all(error not in page.inner_text("body") for error in ERRORS)


def slider_value(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(SLIDER).first.get_attribute("aria-valuetext"))


def location(page) -> tuple[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    # page.url lags behind history.pushState; the document's location does not.
    parsed = urlparse(page.evaluate("location.href"))
    return parsed.path, parse_qs(parsed.query)


def history_length(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("history.length"))


def at_map_with_period(period: str) -> str:
    """JS: the Map is shown with ``period`` on its slider."""
    return (
        "location.pathname.endsWith('/map') && "
        f"[...document.querySelectorAll({SLIDER!r})].some(s => s.getAttribute('aria-valuetext') === {period!r})"
    )


def click_a_country(page) -> None:  # type: ignore[no-untyped-def]
    """Click a country shape clear of the signatory markers (they take the click), once plotly answers its hover.

    Each try takes the next largest shape, found afresh: plotly may still be replacing the previous figure's.
    """
    for n in range(5):
        page.wait_for_function(f"() => document.querySelectorAll('{SHAPES}').length >= 100", timeout=60_000)
        point = page.evaluate(CLEAR_SHAPE, n)
        page.mouse.move(point[0], point[1])
        try:
            page.wait_for_selector(".hoverlayer .hovertext", timeout=5_000)
        except PlaywrightTimeout:
            page.mouse.move(0, 0)
            continue
        page.mouse.click(point[0], point[1])
        return
    raise AssertionError("no country on the map answered a hover")


def test_each_step_adds_one_history_entry_and_back_restores_it(page, server: Server) -> None:
    page.goto(f"{server.url}/map")
    settle(page, f"document.querySelectorAll({SLIDER!r}).length > 0")
    assert history_length(page) == 2, "a deep link adds one entry (after about:blank)"
    default = slider_value(page)
    assert location(page) == ("/map", {}), "the page's derived indicator and period stay out of the URL"

    page.locator(SLIDER).first.focus()
    page.keyboard.press("ArrowLeft")
    settle(page, f"!location.search.includes('year={default}') && location.search.includes('year=')")
    chosen = slider_value(page)
    assert chosen != default and location(page)[1]["year"] == [chosen]
    assert history_length(page) == 3, "a widget change adds one entry"

    link = page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a[href*="recommendations?"]').first
    link.click()
    settle(page, "location.pathname.endsWith('/recommendations')")
    assert history_length(page) == 4, "an in-app link adds one entry"

    page.go_back()
    settle(page, at_map_with_period(chosen))
    assert location(page)[1]["year"] == [chosen]
    page.go_back()
    settle(page, at_map_with_period(default))
    assert location(page) == ("/map", {}), "a parameter-less URL means the defaults"
    page.go_forward()
    settle(page, at_map_with_period(chosen))
    assert location(page)[1]["year"] == [chosen]

    click_a_country(page)
    settle(page, "location.pathname.endsWith('/country') && location.search.includes('country=')")
    # st.switch_page pushes its query string on the map's path, then the new path (README, "Back and Forward").
    assert history_length(page) == 5, "the map click adds the two entries the README describes"
    _, query = location(page)
    assert query["year"] == [chosen] and query["country"]  # the map's view travels with the profile's link
    page.go_back()
    settle(page, at_map_with_period(chosen))
    assert re.fullmatch(r"\d{4}", chosen) and location(page)[1]["year"] == [chosen]
