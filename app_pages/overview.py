"""Overview: what the statement is, key numbers, and the ways into it."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.tables import render_key_numbers
from igf_explorer.filters import addressee_counts, filter_recommendations, theme_counts
from igf_explorer.registry import page_by_path

statement = cached.statement()
recs_page = page_by_path("recommendations")
view = state.current_view()

st.title(statement.title)
st.markdown(f"*{statement.subtitle}*")
st.caption(f"{statement.event} · {statement.place} · {statement.date_start} to {statement.date_end}")

known = [s for s in statement.signatories if s.origin_known]
render_key_numbers(
    {
        "Recommendations": (str(len(statement.recommendations)), "Verbatim from the statement"),
        "Addressee groups": (str(len(statement.addressees)), None),
        "Signatories": (str(len(statement.signatories)), None),
        "Countries of origin": (
            str(len({s.base_iso3 for s in known})),
            f"{len(statement.signatories) - len(known)} signatories have no known origin",
        ),
    }
)

if view.themes:
    matching = filter_recommendations(statement, themes=view.themes)
    st.page_link(
        recs_page.script,
        label=f"{len(matching)} recommendation(s) match the chosen themes",
        icon=":material/filter_alt:",
        query_params=state.link_params(recs_page.params),
    )

left, right = st.columns(2)
with left:
    st.subheader("By addressee")
    in_themes = filter_recommendations(statement, themes=view.themes)
    for addressee_id, count in addressee_counts(statement).items():
        matching_here = sum(r.addressee == addressee_id for r in in_themes)
        label = f"{statement.addressee(addressee_id).heading} ({count})"
        if view.themes:
            label = f"{statement.addressee(addressee_id).heading} ({matching_here} of {count} in the chosen themes)"
        st.page_link(
            recs_page.script,
            label=label,
            query_params=state.link_params(recs_page.params, addressee=addressee_id, rec=None),
        )
with right:
    st.subheader("By theme")
    for theme_id, count in theme_counts(statement).items():
        st.page_link(
            recs_page.script,
            label=f"{statement.theme(theme_id).label} ({count})",
            help=statement.theme(theme_id).description,
            query_params=state.link_params(recs_page.params, themes=(theme_id,), rec=None),
        )

st.subheader("The statement's preamble")
for paragraph in statement.preamble:
    st.markdown(paragraph)
st.caption("Quoted verbatim. The full text, as received, is on About & sources.")
