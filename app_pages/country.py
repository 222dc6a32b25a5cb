"""Country profile: what the chosen themes' measures say, every indicator over time, the signatories, the asks."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.maps import render_map
from components.profile import render_country_figures, render_panel, render_people_and_votes, render_weakest
from igf_explorer.countries import country_name
from igf_explorer.text import escape_markdown
from igf_explorer.views.country import CountryView

PENDING = "country.pending"


def render_profile(profile: CountryView) -> None:
    """Everything the profile holds for the chosen country."""
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
            clicked = render_map(
                profile.map.figure,
                key=f"country.map.{profile.iso3}",
                title=profile.map_title,
                summary=profile.map.summary,
            )
            st.caption("In words: " + escape_markdown(profile.map.summary))
            if clicked and clicked != profile.iso3 and clicked in profile.options:
                st.session_state[PENDING] = clicked
                st.rerun()
        render_people_and_votes(profile)
    with left:
        for number, panel in enumerate(profile.panels):
            render_panel(panel, key=f"country.panel.{number}.{profile.iso3}")
            if number == 0:
                render_weakest(profile, profile.weakest_recommendations)
        render_country_figures(profile, key="country.table")


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
st.title(escape_markdown(profile.title))
# No st.stop() without a country: the router still draws the share panel and writes the URL after the page.
if profile.iso3 is None:
    st.info("Choose a country above, or click a country on the Map page.")
else:
    render_profile(profile)
