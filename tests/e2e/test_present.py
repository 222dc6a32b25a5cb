"""Presenter mode in Chromium: walk the deck with the buttons and the keys, the URL tracks the slide, every slide's
main figure fits 1280×720 and 1920×1080 without scrolling, nothing is requested beyond localhost, notes show."""

from __future__ import annotations

from pathlib import Path

import pytest

from igf_explorer.slides import load_slides
from tests.conftest import DATA_DIR
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
SLIDES = load_slides(DATA_DIR, None)
MAIN = ".st-key-slide-main"
DRAWN = f"{MAIN} .js-plotly-plot .main-svg"
WITHOUT_CHART = ("title", "share")  # the kinds whose main element is not a plotly figure


def on_slide(page, number: int, figure: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Wait until the URL and the counter show slide ``number`` and (with ``figure``) its figure is drawn."""
    page.wait_for_function(
        "n => new URLSearchParams(location.search).get('slide') === n", arg=str(number), timeout=30_000
    )
    page.wait_for_selector(f'.st-key-present-bar strong:text-is("{number} / {len(SLIDES)}")', timeout=30_000)
    wait_for_app(page)
    if figure and SLIDES[number - 1].kind not in WITHOUT_CHART:
        page.wait_for_selector(DRAWN, timeout=30_000)


def assert_fits(page, width: int, height: int, number: int, shots: Path) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(MAIN).first.bounding_box()
    assert box is not None, f"slide {number}: no main figure"
    assert box["x"] >= 0 and box["y"] >= 0, (number, box)
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (number, width, height, box)
    if SLIDES[number - 1].kind not in WITHOUT_CHART:
        figure = page.locator(f"{MAIN} .js-plotly-plot").first.bounding_box()
        assert figure is not None and figure["y"] + figure["height"] <= height, (number, figure)
    page.screenshot(path=str(shots / f"slide-{width}x{height}-{number:02d}.png"))


def test_the_next_button_walks_the_deck_and_every_slide_fits_1280x720(sized_page, server, traffic, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = sized_page(1280, 720)
    page.goto(f"{server.url}/present?slide=1")
    on_slide(page, 1)
    # The app's chrome is hidden: no sidebar, no header, in the room.
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    for number in range(1, len(SLIDES) + 1):
        if number > 1:
            page.get_by_role("button", name="Next slide").click()
            on_slide(page, number)
        title = SLIDES[number - 1].title
        if title:
            assert page.locator("h1").first.inner_text().strip() == title
        assert_fits(page, 1280, 720, number, tmp_path)
    assert page.get_by_role("button", name="Next slide").is_disabled()
    assert traffic.requests and all(
        "127.0.0.1" in url or url.startswith(("data:", "blob:")) for url in traffic.requests
    )


def test_the_arrow_and_page_keys_walk_the_deck_and_every_slide_fits_1920x1080(sized_page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = sized_page(1920, 1080)
    page.goto(f"{server.url}/present")
    wait_for_app(page)
    page.wait_for_function("() => typeof document.__igfSlideKeys === 'function'", timeout=30_000)
    assert_fits(page, 1920, 1080, 1, tmp_path)
    for number in range(2, len(SLIDES) + 1):
        page.keyboard.press("ArrowRight" if number % 2 else "PageDown")
        on_slide(page, number)
        assert_fits(page, 1920, 1080, number, tmp_path)
    page.keyboard.press("ArrowLeft")
    on_slide(page, len(SLIDES) - 1)
    page.keyboard.press("PageUp")
    on_slide(page, len(SLIDES) - 2)


def test_notes_show_the_speaker_notes_and_the_next_title(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/present?slide=2&notes=1")
    wait_for_app(page)
    heading = page.locator("h1").first.inner_text()
    assert heading == f"Notes: {SLIDES[1].title}"
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert SLIDES[1].notes.split(".")[0] in main and str(SLIDES[2].title) in main
    page.get_by_role("button", name="Next slide").click()
    on_slide(page, 3, figure=False)
    assert "notes=1" in page.url and page.locator("h1").first.inner_text() == f"Notes: {SLIDES[2].title}"


def test_an_out_of_range_slide_shows_the_nearest_with_a_notice(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/present?slide=40")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == SLIDES[-1].title
    assert "There is no slide 40" in page.locator('[data-testid="stAlert"]').first.inner_text()


def test_a_share_slide_shows_a_qr_code_of_the_live_view(sized_page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import zxingcpp
    from PIL import Image

    number = next(i for i, slide in enumerate(SLIDES, start=1) if slide.kind == "share")
    page = sized_page(1280, 720)
    page.goto(f"{server.url}/present?slide={number}")
    on_slide(page, number)
    code = page.locator(".st-key-slide-qr img").first
    code.wait_for(state="visible", timeout=30_000)
    shot = tmp_path / "qr.png"
    code.screenshot(path=str(shot))
    [decoded] = zxingcpp.read_barcodes(Image.open(shot))
    assert decoded.text == server.url + SLIDES[number - 1].link
    assert_fits(page, 1280, 720, number, tmp_path)
