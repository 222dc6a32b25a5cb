"""Plain tables and key figures."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import state


def render_key_numbers(numbers: Mapping[str, tuple[str, str | None]]) -> None:
    """A row of metrics: label → (value, help)."""
    columns = st.columns(len(numbers))
    for column, (label, (value, help_text)) in zip(columns, numbers.items(), strict=True):
        column.metric(label, value, help=help_text)


def render_table(frame: pd.DataFrame, key: str) -> None:
    """A full-width table without the index."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def render_static_table(frame: pd.DataFrame, key: str, label: str = "") -> None:
    """A plain table: readable by screen readers and by Ctrl-F, and no grid code for the browser to load.

    It takes its full height: a fixed-height box would scroll, and a keyboard cannot reach a scrolling box that
    holds nothing focusable (axe ``scrollable-region-focusable``). In low-bandwidth mode it is HTML in the page,
    which needs none of ``st.table``'s Arrow code (about 1 MB).
    """
    with st.container(key=key):
        if state.is_lite():
            render_html_table(frame, label or "Table")
        else:
            st.table(frame.set_index(frame.columns[0]))


def render_html_table(frame: pd.DataFrame, label: str) -> None:
    """A table as plain HTML in the page; every cell escaped by pandas.

    The wrapper scrolls sideways on a phone and takes focus, so a keyboard can scroll it too.
    """
    table = frame.to_html(index=False, escape=True, border=0, classes="igf-table", na_rep="")
    st.markdown(
        f'<div class="igf-table-wrap" role="region" tabindex="0" aria-label="{html.escape(label)}">{table}</div>',
        unsafe_allow_html=True,
    )
