"""Overview: what the statement is, key numbers, and the ways into it."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.navigation import ViewLink, render_link_list
from components.tables import render_key_numbers
from igf_explorer.filters import addressee_counts, filter_recommendations, theme_counts
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown as md

statement = cached.statement()
recs_page = page_by_path("recommendations")
view = state.current_view()

st.title(md(statement.title))
# One markdown for what could be several: every element costs each new visitor's run (docs/PERFORMANCE.md).
st.markdown(
    f"*{md(statement.subtitle)}*  \n"
    + md(f"{statement.event} · {statement.place} · {statement.date_start} to {statement.date_end}")
)

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
        query_params=state.link_params(recs_page.params, view),
    )

by_addressee, by_theme = [], []
in_themes = filter_recommendations(statement, themes=view.themes)
for addressee_id, count in addressee_counts(statement).items():
    heading = statement.addressee(addressee_id).heading
    here = sum(r.addressee == addressee_id for r in in_themes)
    by_addressee.append(
        ViewLink(
            f"{heading} ({here} of {count} in the chosen themes)" if view.themes else f"{heading} ({count})",
            recs_page.url_path,
            state.link_params(recs_page.params, view, addressee=addressee_id, rec=None),
        )
    )
for theme_id, count in theme_counts(statement).items():
    theme = statement.theme(theme_id)
    by_theme.append(
        ViewLink(
            f"{theme.label} ({count})",
            recs_page.url_path,
            state.link_params(recs_page.params, view, themes=(theme_id,), rec=None),
            theme.description,
        )
    )
left, right = st.columns(2)
with left:
    st.subheader("By addressee")
    render_link_list(by_addressee, "Recommendations by addressee")
with right:
    st.subheader("By theme")
    render_link_list(by_theme, "Recommendations by theme")

st.subheader("The statement's preamble")
st.markdown("\n\n".join(md(paragraph) for paragraph in statement.preamble))
st.caption("Quoted verbatim. The full text, as received, is on About & sources.")
