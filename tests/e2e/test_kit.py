"""The offline kit in Chromium through file://: every request that is not a file is aborted and counted (none may
happen), the maps are drawn from the TopoJSON registered in PlotlyGeoAssets, and the handout prints on one A4 page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from igf_explorer.kit import export_kit
from igf_explorer.views import load_data
from igf_explorer.views.country import build_country_view
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.e2e
SHAPES = "path.choroplethlocation"
ALL_DRAWN = """() => {
    const expected = Number(document.documentElement.getAttribute('data-charts'));
    const drawn = document.querySelectorAll('[data-drawn="true"]').length;
    const failed = document.querySelectorAll('[data-drawn="failed"]').length;
    return failed > 0 || (expected > 0 && drawn === expected);
}"""


@dataclass
class FileTraffic:
    """Every request a kit page made; those not to a file: URL were aborted and are listed in ``blocked``."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # page errors, console errors, CSP violations


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit-e2e") / "kit"
    export_kit(DATA_DIR, out, countries=["PAK", "NGA"])
    return out


@pytest.fixture
def offline(browser) -> Iterator[tuple[object, FileTraffic]]:  # type: ignore[no-untyped-def]
    """A page that may load files only: anything else (http, https, ws, even localhost) is aborted and counted."""
    traffic = FileTraffic()
    context = browser.new_context(viewport={"width": 1300, "height": 900})

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            traffic.blocked.append(request.url)
            route.abort()

    context.route("**/*", guard)
    context.on("request", lambda request: traffic.requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: traffic.blocked.append(ws.url))
    page.on("pageerror", lambda error: traffic.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            traffic.problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    # A CSP violation is an event, not always a console error: count those as well.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "{ (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    yield page, traffic
    violations = page.evaluate("window.__cspViolations || []")
    context.close()
    assert traffic.blocked == [], f"requests that were not files: {traffic.blocked}"
    assert violations == [] and traffic.problems == [], (violations, traffic.problems)


def open_kit_page(page, kit_dir: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto((kit_dir / name).as_uri())
    page.wait_for_load_state("load")


def wait_for_charts(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    assert page.locator('[data-drawn="failed"]').count() == 0


def test_index_opens_from_file_and_links_every_page(offline, kit_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page, traffic = offline
    open_kit_page(page, kit_dir, "index.html")
    assert "Seeking a More Free Internet" in page.title()
    hrefs = page.eval_on_selector_all("main a", "links => links.map(a => a.href)")
    assert all(href.startswith("file://") for href in hrefs)
    assert sum("/recommendations/" in h for h in hrefs) == 14 and sum("/countries/" in h for h in hrefs) == 2
    page.click("text=Pakistan")
    page.wait_for_selector("h1:has-text('Pakistan')")
    assert all(url.startswith("file://") for url in traffic.requests)


def test_a_recommendation_page_draws_its_world_map_offline(offline, kit_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page, traffic = offline
    open_kit_page(page, kit_dir, "recommendations/gov-blocking.html")
    page.wait_for_function(f"() => document.querySelectorAll('{SHAPES}').length >= 100", timeout=60_000)
    wait_for_charts(page)
    assert page.locator(SHAPES).count() >= 150
    # The TopoJSON came from the registered script, not a fetch of world_110m.json (blocked under file://).
    assert not any(url.endswith(".json") for url in traffic.requests)
    assert any(url.endswith("assets/world_110m.js") for url in traffic.requests)
    assert page.locator("table.data tbody tr").count() >= 60


def test_a_country_page_draws_its_map_and_every_series_offline(offline, kit_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page, _ = offline
    open_kit_page(page, kit_dir, "countries/PAK.html")
    wait_for_charts(page)
    # The map and one chart per dataset with a figure for Pakistan (its panels, as the country view builds them).
    view = build_country_view(load_data(DATA_DIR), "PAK", ())
    assert page.locator('[data-drawn="true"]').count() == 1 + len(view.panels)
    map_shapes = page.eval_on_selector_all(f"#map {SHAPES}", "shapes => shapes.length")
    assert map_shapes >= 100
    assert page.locator("#panel-1 .scatterlayer .trace").count() == 4  # FOTN total and its three pillars
    # Hover works too (plotly.js runs under the page's Content-Security-Policy): the centre of the regional map.
    box = page.locator("#map .geo").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#map .hoverlayer .hovertext", timeout=10_000)


def test_the_handout_prints_on_one_a4_page(offline, kit_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page, _ = offline
    open_kit_page(page, kit_dir, "handout.html")
    wait_for_charts(page)
    assert page.locator(f"#map {SHAPES}").count() >= 100
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('nav.kit')).display") == "none"
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None and (round(float(box.group(1))), round(float(box.group(2)))) == (595, 842)  # A4, points


def test_a_slide_page_draws_its_figure_offline_and_steps_to_the_next(offline, kit_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page, traffic = offline
    open_kit_page(page, kit_dir, "slides/slide-03.html")
    wait_for_charts(page)
    assert page.locator(f"#figure {SHAPES}").count() >= 100
    page.click("text=Next slide →")
    page.wait_for_selector("text=Slide 4 /")
    wait_for_charts(page)
    assert all(url.startswith("file://") for url in traffic.requests)
