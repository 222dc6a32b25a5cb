"""Provenance: where each data file comes from, shown as a source note or a full table."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from igf_explorer.text import escape_markdown


def source_line(text: str) -> str:
    """The 'Source:' line as caption markdown, the text shown as written."""
    return f"Source: {escape_markdown(text)}"


def render_source_note(text: str) -> None:
    """A short 'Source:' line under a table or chart; the text is shown as written, never as markdown."""
    st.caption(source_line(text))


def render_provenance_table(rows: Sequence[dict[str, str]]) -> None:
    """Every data file with producer, source, licence, dates, coverage and checksum."""
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
