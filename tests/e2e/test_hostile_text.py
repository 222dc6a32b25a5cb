"""Hostile text in the data and in an upload's name is shown as written: nothing in it runs, links or fetches.

One server on a copy of the data whose WCIT-12 sidecar, CSV cells and a signatory's name hold markdown, Streamlit
directives, LaTeX and HTML; every page is opened in one browser context, the map is hovered and a file with a
hostile name is uploaded. No element may be made from a payload (an image, a link, a coloured span, KaTeX), no
request may leave localhost, and the payloads' text must be on the page as written.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from igf_explorer.registry import PAGE_SPECS
from igf_explorer.statement import load_statement
from tests.conftest import DATA_DIR, INGEST_FIXTURES
from tests.e2e.conftest import Server, Traffic, guarded_page, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.e2e
MAIN = '[data-testid="stMain"]'
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
HOST = "198.51.100.7"
IMAGE = f"![x](http://{HOST}/b.png)"
SCRIPT_LINK = "[x](javascript:alert(1))"
DIRECTIVES = ":red[tinted] $x^2$ :smile: :material/bug_report: www.example.org"
HTML = f'<a href="http://{HOST}/h">x</a><span style="color:red">r</span><img src=x onerror=alert(1)>'
NOTE = f"{IMAGE} {SCRIPT_LINK} {DIRECTIVES}"
SOURCE = HTML
NAME = f"Hostile {IMAGE}"
SHORT = "WCIT <b>bold</b> :red[s]"
FILE_NAME = f"{SCRIPT_LINK}.csv"
COUNTRY = "RUS"

# Elements a payload must never become, counted on the whole document (sidebar and dialogs too).
MADE_FROM_PAYLOAD = f"""() => {{
    const all = (selector) => [...document.querySelectorAll(selector)];
    return {{
        images: all('img[src*="{HOST}"], img[src="x"], image[href*="{HOST}"]').length,
        links: all('a[href^="javascript:" i], a[href*="{HOST}"], a[href*="example.org"]').length,
        katex: all('.katex, .katex-display').length,
        coloured: all('[class*="stMarkdownColored"], span[style*="color"]')
            .filter((e) => /tinted|^r$/.test(e.textContent)).length,
        bold: all('b, strong, tspan[style*="bold"]').filter((e) => e.textContent.trim() === "bold").length,
        scripts: all('script').filter((e) => e.textContent.includes("alert(1)")).length,
        icons: all('[data-testid="stIconMaterial"]').filter((e) => e.textContent === "bug_report").length,
    }};
}}"""
NOTHING = {"images": 0, "links": 0, "katex": 0, "coloured": 0, "bold": 0, "scripts": 0, "icons": 0}


def _rewrite_csv(path: Path, change: dict[str, dict[str, str]], key: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows and all(any(r[key] == k for r in rows) for k in change), f"{path.name}: rows to change not found"
    for row in rows:
        row.update(change.get(row[key], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def hostile_copy(data: Path) -> None:
    """Put the payloads into a copy of the data and record the new checksums (``igf-explorer rehash``).

    The renamed signatory is no longer one of the statement's (``igf-explorer check`` says so); the app still shows
    the data it is given.
    """
    shutil.copytree(DATA_DIR, data)
    sidecar_path = data / "indicators" / "wcit12.meta.yml"
    sidecar = yaml.safe_load(sidecar_path.read_text(encoding="utf-8"))
    sidecar.update(title=f"WCIT-12 {IMAGE}", producer=SCRIPT_LINK, licence=DIRECTIVES, coverage=HTML, note=NOTE)
    indicator = sidecar["indicators"][0]
    indicator.update(short_name=SHORT, unit=f"signed {IMAGE}", description=NOTE)
    indicator["display"].update(legend=HTML, ranking_title=f"Ranked {SCRIPT_LINK}")
    sidecar_path.write_text(yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _rewrite_csv(data / "indicators" / "wcit12.csv", {COUNTRY: {"note": NOTE, "source": SOURCE}}, "iso3")
    signatories = data / "statement" / "signatories.csv"
    renamed = next(csv.DictReader(signatories.open(encoding="utf-8")))["name"]
    _rewrite_csv(signatories, {renamed: {"name": NAME, "description": NOTE, "source": SOURCE}}, "name")
    command = [sys.executable, "-m", "igf_explorer", "--data-dir", str(data), "rehash"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("hostile")
    hostile_copy(root / "data")
    running = start_server(root, env_extra={"IGF_EXPLORER_DATA_DIR": str(root / "data")})
    yield running, root / "data"
    stop_server(running)


def shown_text(page: Page) -> str:
    """Every text in the document (collapsed expanders included), without the invisible joiners escaping adds."""
    return str(page.evaluate("() => document.body.textContent.replaceAll('\\u2060', '')"))


def assert_inert(page: Page, where: str) -> None:
    found = page.evaluate(MADE_FROM_PAYLOAD)
    shown = page.evaluate(
        f'() => [...document.querySelectorAll(\'img[src*="{HOST}"], img[src="x"], image[href*="{HOST}"]\')].map(e => e.parentElement.outerHTML.slice(0, 300))'
    )
    assert found == NOTHING, f"{where}: {found} {shown}"
    assert page.locator('[data-testid="stException"]').count() == 0, f"{where}: {page.inner_text(MAIN)[:500]}"


def visit(page: Page, server: Server, path: str) -> str:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    assert_inert(page, path)
    return shown_text(page)


def hover_country(page: Page, iso3: str) -> str:
    """Move the mouse to a country on the plotly map and return the hover label's text."""
    # plotly draws after the script has finished: wait for the country's shape, then pick a point inside it away
    # from its centre (where a signatory's marker may sit, and whose hover would answer instead).
    handle = page.wait_for_function(
        """(iso3) => {
            const path = [...document.querySelectorAll('path.choroplethlocation')]
                .find((p) => p.__data__ && p.__data__.loc === iso3 && p.getBoundingClientRect().width > 0);
            if (!path) return null;
            const r = path.getBoundingClientRect();
            const toPath = path.getScreenCTM().inverse();
            const inside = [];
            for (let i = 1; i < 40; i++) for (let j = 1; j < 20; j++) {
                const x = r.x + r.width * i / 40, y = r.y + r.height * j / 20;
                if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath))) inside.push({x, y});
            }
            inside.sort((a, b) => a.x - b.x);
            return inside.length ? inside[Math.floor(inside.length * 0.7)] : null;
        }""",
        arg=iso3,
        timeout=30_000,
    )
    box = handle.json_value()
    # Two moves: plotly reads the hover from mouse movement over the plot, not from a jump to a point.
    page.mouse.move(box["x"] - 5, box["y"] - 5)
    page.mouse.move(box["x"], box["y"], steps=5)
    page.wait_for_function(
        "() => (document.querySelector('.hoverlayer')?.textContent || '').includes('source:')", timeout=15_000
    )
    return str(page.evaluate("() => document.querySelector('.hoverlayer').textContent"))


def test_hostile_text_is_shown_as_written(browser: Browser, hostile_server: tuple[Server, Path]) -> None:
    server, data = hostile_server
    traffic = Traffic()
    page = guarded_page(browser, traffic)
    statement = load_statement(data)
    chosen = next(r for r in statement.recommendations if "free-expression" in r.themes)
    try:
        seen = {spec.url_path: visit(page, server, spec.url_path) for spec in PAGE_SPECS}
        country = visit(page, server, f"country?country={COUNTRY}")
        visit(page, server, f"recommendations?rec={chosen.id}")
        for slide in range(1, 4):
            visit(page, server, f"present?slide={slide}")

        # The profile's vote, its note and source; the sidecar's fields on the Data page.
        for text in (NOTE, SOURCE):
            assert text in country, text
        assert all(text in seen["data"] for text in (f"WCIT-12 {IMAGE}", SCRIPT_LINK, DIRECTIVES, HTML, NOTE))

        visit(page, server, "map?indicator=wcit12_signed&year=2012")
        hover = hover_country(page, COUNTRY)
        assert SOURCE[:80] in hover, hover  # the hover cuts a source at 90 characters
        assert_inert(page, "map hover")
        assert page.locator(".hoverlayer a, .hoverlayer [style*='color: red'], .hoverlayer image").count() == 0

        page.goto(f"{server.url}/data")
        wait_for_app(page)
        tidy = (INGEST_FIXTURES / "tidy_utf8.csv").read_bytes()
        page.set_input_files(UPLOAD, files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": tidy}])
        page.wait_for_selector(f'{MAIN} [data-testid="stFileChipName"]', timeout=30_000)
        page.get_by_role("textbox", name="Vintage", exact=True).fill("2024-06")
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_function(
            "() => /problem\\(s\\)\\. Nothing would be stored|read as/.test(document.querySelector('[data-testid=\"stMain\"]').textContent)",
            timeout=60_000,
        )
        wait_for_app(page)
        assert_inert(page, "upload")
        assert f"{FILE_NAME}: " in shown_text(page)
    finally:
        page.context.close()
    assert traffic.external == [], f"requests left localhost: {traffic.external}"
