"""Presenter mode: the deck of data/slides/slides.yaml, one slide per screen, or the speaker's notes (?notes=1)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import cached, state
from components.slides import (
    render_deck_notices,
    render_notes,
    render_present_style,
    render_slide,
    render_slide_keys,
    render_slide_nav,
)
from components.tables import render_table
from igf_explorer.problems import DataError
from igf_explorer.views.slides import slide_position

render_present_style()
try:
    deck = cached.slide_deck()
except DataError as error:
    st.title("Present")
    st.error(f"The slides cannot be shown: {len(error.problems)} problem(s). Run `igf-explorer check`.")
    render_table(pd.DataFrame([p.as_dict() for p in error.problems]), key="present-problems")
    st.stop()

view = state.current_view()
number, notice = slide_position(view.slide, len(deck))
if notice:
    render_deck_notices([notice])
# The buttons move from the slide shown, also when the link asked for one out of range.
st.session_state[state.SLIDE] = number
slide = deck[number - 1]
render_slide_nav(slide, view.notes)
if view.notes:
    render_notes(slide)
else:
    render_slide(slide)
render_slide_keys()
