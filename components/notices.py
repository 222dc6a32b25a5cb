"""Friendly notices, e.g. about link values that were ignored."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st


def render_notices(notices: Iterable[str]) -> None:
    """One warning per notice."""
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
