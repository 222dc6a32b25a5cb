"""Plain tables and key figures."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import display, state
from igf_explorer.text import escape_markdown


def inert_html(text: str) -> str:
    """Text for an HTML block in markdown, shown as written.

    HTML-escaped, and the colon and dollar (from which Streamlit's markdown makes icons, emoji and LaTeX) written
    as character references.
    """
    return html.escape(text).replace(":", "&#58;").replace("$", "&#36;")


def key_numbers_html(numbers: Mapping[str, tuple[str, str | None]]) -> str:
    """Key figures as one description list: label, value and, when given, a note under the value."""
    items = []
    for label, (value, note) in numbers.items():
        extra = f'<dd class="igf-number-note">{inert_html(note)}</dd>' if note else ""
        items.append(
            f'<div class="igf-number"><dt>{inert_html(label)}</dt>'
            f'<dd class="igf-number-value">{inert_html(value)}</dd>{extra}</div>'
        )
    return f'<dl class="igf-numbers">{"".join(items)}</dl>'


def render_key_numbers(numbers: Mapping[str, tuple[str, str | None]]) -> None:
    """A row of key figures: label → (value, note), each shown as written.

    One element, not a metric per figure in columns of their own: each element costs every new visitor's run
    about 0.3 ms of server CPU (docs/PERFORMANCE.md), and the Overview's four figures were nine elements.
    """
    st.markdown(key_numbers_html(numbers), unsafe_allow_html=True)


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
            # hide_index given: for Arrow data Streamlit would otherwise convert it back to pandas to look.
            st.table(_arrow_table(frame), hide_index=False)


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The table ``st.table`` draws for a view's frame, escaped and converted to Arrow once per frame.

    The views' frames are shared by every visitor: escaping every cell and converting to Arrow on each run was a
    tenth of a /map visitor's CPU. A frame built for one run only is converted again each time, as before.
    """
    return display.derived(
        frame,
        "st.table",
        lambda: pa.Table.from_pandas(markdown_safe(frame).set_index(escape_markdown(frame.columns[0]))),
    )


def markdown_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header escaped: ``st.table`` renders its cells as markdown."""
    shown = frame.map(lambda v: escape_markdown(v) if isinstance(v, str) else v)
    shown.columns = [escape_markdown(c) for c in frame.columns]
    return shown


def render_html_table(frame: pd.DataFrame, label: str) -> None:
    """A table as plain HTML in the page; every cell escaped by pandas.

    The wrapper scrolls sideways on a phone and takes focus, so a keyboard can scroll it too.
    """
    table = frame.to_html(index=False, escape=True, border=0, classes="igf-table", na_rep="")
    st.markdown(
        f'<div class="igf-table-wrap" role="region" tabindex="0" aria-label="{html.escape(label)}">{table}</div>',
        unsafe_allow_html=True,
    )
