"""AppTest for presenter mode: the page renders, the buttons move and write the URL, the slide and notes params."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from components import state
from components.slides import NEXT, PREVIOUS
from igf_explorer.registry import page_by_path
from igf_explorer.slides import load_slides
from tests.app.conftest import all_text, shown
from tests.conftest import DATA_DIR

PRESENT = page_by_path("present").script
SLIDES = load_slides(DATA_DIR, None)
Factory = Callable[..., AppTest]


def test_the_first_slide_renders_with_its_counter(app_at: Factory) -> None:
    at = app_at(PRESENT)
    assert [shown(t.value) for t in at.title] == ["Seeking a More Free Internet through Multi-Stakeholder Dialogue"]
    assert f"**1 / {len(SLIDES)}**" in all_text(at)
    assert at.button(key=PREVIOUS).disabled and not at.button(key=NEXT).disabled
    assert not at.error and not at.warning


def test_next_moves_one_slide_and_writes_it_to_the_url(app_at: Factory) -> None:
    at = app_at(PRESENT)
    at.button(key=NEXT).click().run()
    assert at.query_params["slide"] == "2" and shown(at.title[0].value) == SLIDES[1].title
    at.button(key=NEXT).click().run()
    assert at.query_params["slide"] == "3" and f"**3 / {len(SLIDES)}**" in all_text(at)
    at.button(key=PREVIOUS).click().run()
    assert at.query_params["slide"] == "2" and at.session_state[state.SLIDE] == 2


def test_the_slide_param_is_decoded(app_at: Factory) -> None:
    at = app_at(PRESENT, slide="4")
    assert shown(at.title[0].value) == SLIDES[3].title
    assert "To Governments" in all_text(at)
    assert at.query_params["slide"] == "4"  # a landing URL is left as it is


def test_an_out_of_range_slide_shows_the_last_with_a_notice(app_at: Factory) -> None:
    at = app_at(PRESENT, slide="99")
    assert shown(at.title[0].value) == SLIDES[-1].title
    assert any("no slide 99" in w.value for w in at.warning)
    assert at.button(key=NEXT).disabled
    at.button(key=PREVIOUS).click().run()
    assert at.query_params["slide"] == str(len(SLIDES) - 1)


def test_a_slide_param_that_is_no_number_is_ignored_with_a_notice(app_at: Factory) -> None:
    at = app_at(PRESENT, slide="three")
    assert shown(at.title[0].value) == "Seeking a More Free Internet through Multi-Stakeholder Dialogue"
    assert any("three" in w.value for w in at.warning)


def test_notes_show_the_speaker_notes_and_what_comes_next(app_at: Factory) -> None:
    at = app_at(PRESENT, slide="2", notes="1")
    assert shown(at.title[0].value) == f"Notes: {SLIDES[1].title}"
    text = all_text(at)
    assert SLIDES[1].notes.split(".")[0].replace("-", "\\-") in text
    assert SLIDES[2].title.split(":")[0] in text
    at.button(key=NEXT).click().run()
    assert at.query_params["slide"] == "3" and at.query_params["notes"] == "1"
