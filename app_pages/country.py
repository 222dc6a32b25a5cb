"""Country profile: what the chosen themes' measures say, every indicator over time, the signatories, the asks."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components import cached, display, state
from components.maps import render_map
from components.profile import render_panel, render_people_and_votes, render_weakest
from components.tables import render_table
from igf_explorer.countries import country_name
from igf_explorer.text import escape_markdown

PENDING = "country.pending"
# A click on the map arrives after the select box exists; it is applied here, on the rerun, before the box is drawn.
if st.session_state.get(PENDING):
    st.session_state[state.COUNTRY] = st.session_state.pop(PENDING)
view = state.current_view()
profile = cached.country_view(view.country, view.themes)
if st.session_state.get(state.COUNTRY) not in profile.options:
    st.session_state[state.COUNTRY] = None
st.selectbox(
    "Country",
    options=profile.options,
    format_func=country_name,
    key=state.COUNTRY,
    index=None,
    placeholder="Choose a country, or click one on the map",
)
st.title(profile.title)
if profile.iso3 is None:
    st.info("Choose a country above, or click a country on the Map page.")
    st.stop()
st.caption(escape_markdown(profile.subtitle))
if profile.lead:
    with st.container(border=True, key="country-lead"):
        st.markdown("**On the chosen themes**")
        for line in profile.lead:
            st.markdown(f"- {escape_markdown(line)}")
left, right = st.columns([3, 2])
with right:
    if profile.map is not None:
        st.markdown(f"**{escape_markdown(profile.map_title)}**")
        if display.is_lite():
            display.render_svg_map(profile.map.figure, profile.map_title, profile.map.summary)
        else:
            clicked = render_map(display.styled(profile.map.figure), key=f"country.map.{profile.iso3}")
            if clicked and clicked != profile.iso3 and clicked in profile.options:
                st.session_state[PENDING] = clicked
                st.rerun()
        st.caption("In words: " + escape_markdown(profile.map.summary))
    render_people_and_votes(profile)
lite_note = "Chart left out in low-bandwidth mode: its figures are in the table below."
with left:
    for number, panel in enumerate(profile.panels):
        shown = replace(panel, figure=None, empty=lite_note) if display.is_lite() and panel.figure else panel
        render_panel(display.styled_panel(shown), key=f"country.panel.{number}.{profile.iso3}")
        display.render_panel_figures(panel, key=f"country-panel-{number}")
        if number == 0:
            render_weakest(profile, profile.weakest_recommendations)
    with st.expander("All figures for this country"):
        # A plain table in low-bandwidth mode: the interactive grid and Arrow are large scripts to download.
        if display.is_lite():
            display.render_html_table(profile.rows, f"All figures for {profile.title}")
        else:
            render_table(profile.rows, key="country.table")
