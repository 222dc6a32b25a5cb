"""About & sources: the full original text, the documents it cites, the theme taxonomy and every file's provenance."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import cached
from components.provenance import render_provenance_table
from components.tables import render_table
from igf_explorer.filters import theme_counts

statement = cached.statement()

st.title("About & sources")
st.markdown(
    "This explorer presents the *Joint Statement of Civil Society Delegates to the 2012 Internet Governance Forum*. "
    "Recommendation and preamble texts are quoted verbatim; a check fails the build if they drift from the original. "
    "Every figure names its source; where data is missing the app says so instead of guessing."
)

st.header("Documents the statement cites")
render_table(
    pd.DataFrame(
        [
            {
                "The statement says": d.mentioned_as,
                "Document": d.title,
                "Issued by": d.issuer,
                "Identifier": d.identifier,
                "Date": d.date or "not stated",
                "Note": d.note,
            }
            for d in statement.cited_documents
        ]
    ),
    key="about.cited",
)

st.header("Themes")
counts = theme_counts(statement)
render_table(
    pd.DataFrame(
        [
            {"Theme": t.label, "id": t.id, "Recommendations": counts[t.id], "Description": t.description}
            for t in statement.themes
        ]
    ),
    key="about.themes",
)
st.caption("The theme tags are this project's reading of the text, not part of the statement.")

st.header("Data files and their provenance")
render_provenance_table(cached.provenance_rows())

st.header("The full statement, as received")
st.download_button(
    "Download the original text (markdown)",
    statement.original_text,
    file_name="igf2012-joint-statement.md",
    mime="text/markdown",
)
st.caption(
    "Shown exactly as received, as markdown source: its signatory block is a two-column table whose cells wrap "
    "across rows, and its four links point nowhere ('#'). The Signatories page lists the 17 names as read from it."
)
with st.container(border=True, key="about-original"):
    st.code(statement.original_text.strip("\n"), language=None, wrap_lines=True)
