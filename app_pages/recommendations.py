"""Recommendations: filter by addressee, themes and text, or open one by id."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.filters import render_addressee_filter, render_search_box
from components.recommendation import render_recommendation_card, render_recommendation_detail
from igf_explorer.filters import addressee_counts, filter_recommendations
from igf_explorer.registry import page_by_path

statement = cached.statement()
page = page_by_path("recommendations")
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
        st.subheader(addressee.heading)
        for item in group:
            chosen = render_recommendation_card(
                item, addressee.label, group_sizes[addressee.id], [statement.theme(t) for t in item.themes]
            )
            if chosen:
                state.open_recommendation(item.id)
