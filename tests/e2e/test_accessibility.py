"""axe-core in Chromium on every main route: no serious or critical violation (findings and fixes in
docs/accessibility.md); the display switches and the low-bandwidth map reachable by keyboard and by name.

axe is the copy bundled with axe-playwright-python, injected from the local file (``page.evaluate``): nothing is
fetched, and the guarded page would fail the test if anything were.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Server, wait_for_app

pytestmark = pytest.mark.e2e

# Each route with what it needs to show its charts; /present is another team's page, checked the same way.
ROUTES = {
    "overview": "/",
    "map": "/map",
    "recommendations": "/recommendations?rec=gov-blocking",
    "country": "/country?country=PAK",
    "present": "/present",
}
CHARTS = "path.choroplethlocation, svg.igf-lite-map path, .js-plotly-plot"
SERIOUS = {"serious", "critical"}


def axe_violations(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    # The whole document, Streamlit's own chrome included: nothing needed excluding (docs/accessibility.md).
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def describe(violations: list[dict[str, object]]) -> str:
    lines = []
    for v in violations:
        nodes = v["nodes"]
        assert isinstance(nodes, list)
        targets = [(n["target"], (n.get("any") or [{}])[0].get("data")) for n in nodes[:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(nodes)} nodes): {v['help']} e.g. {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("mode", ["", "high_contrast=1", "lite=1"])
@pytest.mark.parametrize("name", list(ROUTES))
def test_no_serious_axe_violation(page, server: Server, name: str, mode: str) -> None:
    route = ROUTES[name]
    joiner = "&" if "?" in route else "?"
    page.goto(server.url + route + (joiner + mode if mode else ""))
    wait_for_app(page)
    if name in ("map", "recommendations", "country"):
        page.wait_for_selector(CHARTS, timeout=60_000)
        wait_for_app(page)
    found = axe_violations(page)
    assert found == [], describe(found)


def test_display_switches_are_reachable_by_keyboard(page, server: Server) -> None:
    page.goto(server.url + "/map")
    wait_for_app(page)
    switch = page.get_by_role("switch", name="Low-bandwidth mode")
    switch.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "switch"
    assert not switch.is_checked()
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('lite=1')", timeout=30_000)
    wait_for_app(page)
    page.wait_for_selector("svg.igf-lite-map", timeout=60_000)
    assert page.locator(".js-plotly-plot").count() == 0


def test_lite_map_countries_are_links_with_names(page, server: Server) -> None:
    page.goto(server.url + "/map?lite=1&indicator=internet_users&year=2020")
    wait_for_app(page)
    link = page.locator('svg.igf-lite-map a[aria-label^="Pakistan"]')
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/country?*", timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stMain"] h1').inner_text() == "Pakistan"
    assert "lite=1" in page.url and page.locator(".js-plotly-plot").count() == 0
