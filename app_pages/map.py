"""Map: an internet-freedom indicator by country, the signatories' origins, and the recommendations on the theme."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.indicator_map import render_indicator_map
from components.maps import render_map, render_period_slider
from components.notices import render_notices
from components.recommendation import render_recommendation_links
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown

page, country_page = page_by_path("map"), page_by_path("country")
view = state.current_view()

st.title("Map")


@st.fragment
def map_panel() -> None:
    """Indicator, period, map and table: moving the period slider reruns only this panel."""
    current = state.current_view()
    shown = cached.map_view(
        current.themes, current.region, current.indicator, current.year, explain=state.from_link(state.YEAR)
    )
    if shown.unmeasured:
        st.info(
            f"No country indicator measures {escape_markdown(', '.join(shown.unmeasured))}. "
            "The explorer shows no proxy for it."
            + (
                f" Company series measure {escape_markdown(', '.join(shown.for_companies))}: see Companies."
                if shown.for_companies
                else ""
            ),
            icon=":material/info:",
        )
    if shown.map is None:
        render_map(shown.blank, key="map.chart.blank", selectable=False, title="Map: no indicator")
        return
    st.session_state[state.INDICATOR] = shown.choice.indicator
    st.session_state[state.YEAR] = shown.choice.year
    render_notices(list(shown.choice.notices))
    # Side by side, so that the map starts above the fold on a 1280 × 720 projector (they stack on a phone).
    pick, period = st.columns([3, 2], vertical_alignment="bottom")
    with pick:
        st.selectbox("Indicator", options=shown.indicators, format_func=shown.names.__getitem__, key=state.INDICATOR)
    with period:
        render_period_slider(list(shown.periods), key=state.YEAR, label=shown.period_label)
    scope = "in the chosen region" if current.region else "on the map"
    clicked = render_indicator_map(
        shown.map,
        key=f"map.chart.{shown.map.indicator}.{shown.map.year}.{current.region}",
        scope=scope,
        extra={"Themes it measures": (str(shown.themes_measured.count(",") + 1), shown.themes_measured)},
        title=shown.names[shown.map.indicator],
    )
    if shown.rationale:
        cannot = f" What it cannot show: {escape_markdown(shown.caveat)}" if shown.caveat else ""
        st.caption("Why this indicator: " + escape_markdown(shown.rationale) + cannot)
    if clicked:
        state.open_country(country_page.script, clicked)
    state.write_url(page.params)


left, right = st.columns([5, 2])
# The map is drawn first: the browser starts on plotly while the rest of the page arrives.
with left:
    map_panel()
with right:
    shown = cached.map_view(view.themes, view.region, view.indicator, view.year, explain=False)
    st.subheader(f"Recommendations ({len(shown.recommendations)})")
    st.caption("On the chosen themes" if view.themes else "All of them; choose a theme to narrow")
    render_recommendation_links(cached.statement(), shown.recommendations, whole=bool(view.themes))
st.caption(escape_markdown(shown.markers_note))
