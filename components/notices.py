"""The one renderer of notices, e.g. about link values that were cut, ignored or replaced."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from igf_explorer.url_state import Notice, notice_markdown


def render_notices(notices: Iterable[str | Notice]) -> None:
    """One warning per notice, showing exactly its text.

    A notice is plain text, never markdown: its wording is escaped and the link's values it echoes are code spans,
    so no markdown, link, image, ``:color[…]`` directive or ``$…$`` LaTeX in a link can reach the page.
    """
    for notice in notices:
        st.warning(notice_markdown(notice), icon=":material/link_off:")
