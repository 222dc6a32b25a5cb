"""Recommendations: filter by addressee, themes and text, or open one with the indicators that measure it."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.filters import render_addressee_filter, render_search_box
from components.linked import render_indicator_choice, render_linked_view, render_period_range
from components.notices import render_notices
from components.recommendation import render_recommendation_card, render_recommendation_detail
from igf_explorer.filters import addressee_counts, filter_recommendations
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown

statement = cached.statement()
country_page = page_by_path("country")
START = "recs.start"
view = state.current_view()
group_sizes = addressee_counts(statement)

st.title("Recommendations")
rec = statement.recommendation(view.rec) if view.rec else None
if rec is not None:
    if render_recommendation_detail(
        rec,
        statement.addressee(rec.addressee).heading,
        group_sizes[rec.addressee],
        [statement.theme(t) for t in rec.themes],
    ):
        state.open_recommendation(None)
    st.subheader("Measured by")
    start = st.session_state.get(START)
    measures = cached.recommendation_measures(
        rec.id, view.region, view.indicator, view.year, start, explain=state.from_link(state.YEAR)
    )
    if measures.unmeasured:
        companies = ", ".join(measures.for_companies)
        st.info(
            f"No country indicator measures: {escape_markdown(', '.join(measures.unmeasured))}."
            + (f" Company series measure {escape_markdown(companies)}." if companies else "")
        )
        if companies:
            st.page_link(
                page_by_path("companies").script,
                label="Companies: GNI membership and Ranking Digital Rights scores",
                icon=":material/domain:",
                query_params=state.link_params(page_by_path("companies").params, view),
            )
    if measures.map is not None:
        st.session_state[state.INDICATOR] = measures.choice.indicator
        render_notices(list(measures.choice.notices))
        render_indicator_choice(
            measures.indicators, measures.names, measures.rationales, key=state.INDICATOR, caveats=measures.caveats
        )
        end = int(str(measures.choice.year))
        first, last = render_period_range(
            measures.periods, measures.start, end, key=f"recs.range.{measures.choice.indicator}"
        )
        if (first, last) != (measures.start, end):
            st.session_state[START], st.session_state[state.YEAR] = first, last
            st.rerun()
        clicked = render_linked_view(measures, key=f"recs.linked.{measures.choice.indicator}")
        if clicked:
            state.open_country(country_page.script, clicked)
else:
    left, right = st.columns([1, 2])
    with left:
        render_addressee_filter({a.id: a.label for a in statement.addressees}, group_sizes, key=state.ADDRESSEE)
    with right:
        render_search_box(key=state.QUERY)
    view = state.current_view()
    matching = filter_recommendations(statement, view.addressee, view.themes, view.q)
    st.markdown(f"**Showing {len(matching)} of {len(statement.recommendations)} recommendations**")
    if view.region:
        st.caption(
            "The region filter applies to countries; the recommendations are addressed to everyone in every region."
        )
    if not matching:
        st.info("No recommendation matches these filters. Clear the search or choose other themes.")
    for addressee in statement.addressees:
        group = [r for r in matching if r.addressee == addressee.id]
        if not group:
            continue
        st.subheader(escape_markdown(addressee.heading))
        for item in group:
            if render_recommendation_card(
                item, addressee.label, group_sizes[addressee.id], [statement.theme(t) for t in item.themes]
            ):
                state.open_recommendation(item.id)
