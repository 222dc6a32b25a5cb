"""Plain tables and key figures."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st


def render_key_numbers(numbers: Mapping[str, tuple[str, str | None]]) -> None:
    """A row of metrics: label → (value, help)."""
    columns = st.columns(len(numbers))
    for column, (label, (value, help_text)) in zip(columns, numbers.items(), strict=True):
        column.metric(label, value, help=help_text)


def render_table(frame: pd.DataFrame, key: str) -> None:
    """A full-width table without the index."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def render_static_table(frame: pd.DataFrame, key: str) -> None:
    """A plain HTML table: readable by screen readers and by Ctrl-F, and no grid code for the browser to load."""
    with st.container(key=key, height=420 if len(frame) > 12 else "content"):
        st.table(frame.set_index(frame.columns[0]))
