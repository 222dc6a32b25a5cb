"""Browser: the QR code on a page decodes to that page's deep link, and the link, opened, shows the same view."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from igf_explorer.share import PUBLIC_URL_ENV
from tests.e2e.conftest import Server, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.e2e

QR = '[data-testid="stSidebar"] .st-key-share-qr img'
LINK = '[data-testid="stSidebar"] .st-key-share-link code'
# Canonical links (parameters in table order, values as the app writes them), so the link equals the address;
# each with what shows its view has arrived.
VIEWS = {
    "/map?theme=blocking&indicator=fotn_limits&year=2019": ".st-key-map-table table",
    "/country?country=PAK": '[data-testid="stMain"] .js-plotly-plot',
    "/": '[data-testid="stMain"] .igf-links a',
    "/recommendations?theme=privacy-surveillance&addressee=governments": '[data-testid="stMain"] .stVerticalBlock',
}
SLIDER = '[data-testid="stSlider"] input[type="range"]'
# Counts of what the main area holds; the view has settled when they stay the same over several polls.
SETTLED = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const sig = ['h1', 'h2', 'h3', '[data-testid="stSelectbox"]', '[data-testid="stTable"]', 'input[type="range"]',
                 '.js-plotly-plot', '[data-testid="stCaptionContainer"]'].map(s => main.querySelectorAll(s).length).join();
    window.__igfSig = window.__igfSig === sig ? sig : (window.__igfStable = 0, sig);
    window.__igfStable = (window.__igfStable || 0) + 1;
    return window.__igfStable >= 5;
}"""


def open_share(page) -> str:  # type: ignore[no-untyped-def]
    """Open the sidebar's share panel (a rerun builds it); return the link it shows."""
    page.get_by_text("Share this view", exact=True).click()
    page.wait_for_selector(QR)
    wait_for_app(page)
    return str(page.locator(LINK).inner_text()).strip()


def decode_qr(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What a barcode reader reads in a screenshot of the QR code as the page shows it."""
    shot = page.locator(QR).screenshot()
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


def view_of(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """What the main area shows: headings, chosen values, slider positions and every table's text."""
    main = page.locator('[data-testid="stMain"]')

    def texts(selector: str) -> list[str]:
        return [str(t).strip() for t in main.locator(selector).all_inner_texts()]

    return {
        "headings": texts("h1, h2, h3"),
        "choices": texts('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]'),
        "sliders": [str(s.get_attribute("aria-valuetext")) for s in main.locator('input[type="range"]').all()],
        "tables": texts('[data-testid="stTable"]'),
        "captions": texts('[data-testid="stCaptionContainer"]'),
    }


def settle(page, ready: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script is idle, ``ready`` is drawn and the main area has stopped changing."""
    wait_for_app(page)
    page.wait_for_selector(ready)
    page.evaluate("window.__igfStable = 0; window.__igfSig = null")
    page.wait_for_function(SETTLED, polling=100, timeout=30_000)


@pytest.mark.parametrize("path", VIEWS, ids=["map", "country", "overview", "recommendations"])
def test_the_qr_code_decodes_to_the_deep_link_which_reproduces_the_view(server: Server, page, sized_page, path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + path)
    settle(page, VIEWS[path])
    shown = view_of(page)
    link = open_share(page)
    assert link == server.url + path == page.url
    assert decode_qr(page) == [link]
    other = sized_page(1400, 1000)
    other.goto(decode_qr(page)[0])
    settle(other, VIEWS[path])
    assert view_of(other) == shown
    assert other.url == link


def test_the_open_panel_follows_the_maps_period_slider(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/map?theme=blocking&indicator=fotn_limits&year=2019")
    wait_for_app(page)
    open_share(page)
    # The slider sits in the Map's fragment, which reruns alone: the panel must follow anyway.
    page.wait_for_selector(SLIDER)
    page.locator(SLIDER).first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "sel => !document.querySelector(sel).innerText.includes('year=2019')", arg=LINK, polling=100, timeout=30_000
    )
    wait_for_app(page)
    link = str(page.locator(LINK).inner_text()).strip()
    assert "year=2019" not in link and "indicator=fotn_limits" in link
    assert decode_qr(page) == [link] == [page.url]


@pytest.fixture
def public_server(tmp_path: Path) -> Iterator[Server]:
    running = start_server(tmp_path, env_extra={PUBLIC_URL_ENV: "https://igf.example.org/explorer/"})
    yield running
    stop_server(running)


def test_with_a_public_base_the_qr_code_holds_it(public_server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(public_server.url + "/map?theme=blocking&indicator=fotn_limits&year=2019")
    wait_for_app(page)
    link = open_share(page)
    expected = "https://igf.example.org/explorer/map?theme=blocking&indicator=fotn_limits&year=2019"
    assert link == expected
    assert decode_qr(page) == [expected]
