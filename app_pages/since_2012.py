"""Since 2012: for every recommendation, how the countries and companies measuring it moved since the statement."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.scorecard import render_scorecard

view = state.current_view()

st.title("Since 2012")
render_scorecard(cached.since2012_view(view.themes, view.region), view)
