"""How a recommendation is drawn: a card in a list, or the full detail view."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import state
from igf_explorer.registry import page_by_path
from igf_explorer.statement import Recommendation, Statement, Theme
from igf_explorer.text import escape_markdown


def render_theme_badges(themes: Sequence[Theme]) -> None:
    """Themes as small badges on one line."""
    st.markdown(" ".join(f":blue-badge[{escape_markdown(theme.label)}]" for theme in themes))


def render_recommendation_card(
    rec: Recommendation,
    addressee_label: str,
    group_size: int,
    themes: Sequence[Theme],
) -> bool:
    """One recommendation in a list: position, verbatim text, themes; returns True when the user opens it."""
    with st.container(border=True, key=f"rec-card-{rec.id}"):
        st.caption(f"{escape_markdown(addressee_label)} · {rec.order} of {group_size} · `{rec.id}`")
        st.markdown(f"“{escape_markdown(rec.text)}”")
        render_theme_badges(themes)
        # A button, not a page link: it changes this page's state, and the URL follows from the state.
        return st.button(
            "Open this recommendation", icon=":material/open_in_new:", key=f"open-{rec.id}", type="tertiary"
        )


def render_recommendation_detail(
    rec: Recommendation, addressee_heading: str, group_size: int, themes: Sequence[Theme]
) -> bool:
    """A single recommendation with its heading as the statement gives it; returns True when the user goes back."""
    back = st.button("All recommendations", icon=":material/arrow_back:", key="back-to-list", type="tertiary")
    st.subheader(escape_markdown(addressee_heading))
    st.caption(f"Recommendation {rec.order} of {group_size} in this group · id `{rec.id}`")
    st.markdown(f"#### “{escape_markdown(rec.text)}”")
    st.markdown("**Themes**")
    for theme in themes:
        st.markdown(f"- **{escape_markdown(theme.label)}**: {escape_markdown(theme.description)}")
    return back


def render_recommendation_links(statement: Statement, recommendations: Sequence[Recommendation], whole: bool) -> None:
    """Each recommendation's words (whole, or cut at 160 characters) and a link that opens it."""
    page = page_by_path("recommendations")
    view = state.current_view()
    for rec in recommendations:
        # Page-link labels do not wrap, so the words go in a caption.
        words = rec.text if whole or len(rec.text) <= 160 else rec.text[:160] + "…"
        st.caption(f"**{escape_markdown(statement.addressee(rec.addressee).label)}:** “{escape_markdown(words)}”")
        st.page_link(
            page.script,
            label="Open this recommendation",
            icon=":material/open_in_new:",
            query_params=state.link_params(page.params, view, rec=rec.id),
        )
