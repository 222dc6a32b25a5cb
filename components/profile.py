"""The country profile's parts: the series panels, the categorical votes, the signatories, the weakest pillar."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import display, state
from components.exports import render_chart_exports, render_csv_download
from components.provenance import render_source_note
from components.tables import render_static_table, render_table
from igf_explorer.exports import file_stem
from igf_explorer.registry import page_by_path
from igf_explorer.statement import Recommendation
from igf_explorer.text import escape_markdown
from igf_explorer.views.country import CountryView, SeriesPanel


def render_panel(panel: SeriesPanel, key: str) -> None:
    """One indicator (or a total with its parts) over time, or why there is nothing to show.

    Every chart has its text alternative and its figures as a table; in low-bandwidth mode the table stands in for
    the chart (plotly.js is the page's largest download).
    """
    st.subheader(escape_markdown(panel.title))
    if panel.figure is None:
        st.info(escape_markdown(panel.empty), icon=":material/info:")
        return
    stem = file_stem(key, panel.title)
    lite = state.is_lite()
    if lite:
        st.caption("Chart left out in low-bandwidth mode: its figures are in the table below.")
    else:
        # One container per chart: the export buttons find their chart as the plot inside it.
        with st.container(key=f"{key}-box"):
            st.plotly_chart(display.styled(panel.figure), key=key, width="stretch", config={"displaylogo": False})
            render_chart_exports(stem, key=f"{key}-export", label=f"the chart of {panel.title} as an image")
    if panel.caption:
        st.caption(escape_markdown(panel.caption))
    if panel.summary:
        st.caption(escape_markdown(panel.summary))
    if panel.table is not None and not panel.table.empty:
        with st.expander(f"Figures of this chart ({len(panel.table)} periods)", expanded=lite):
            render_static_table(panel.table, key=f"{key}-figures", label=f"{panel.title}: figures")
    if panel.notes is not None:
        with st.expander(f"Notes on {len(panel.notes)} of these figures (revisions, conversions, disagreeing sources)"):
            render_table(panel.notes, key=f"{key}.notes")
            render_csv_download(panel.notes, panel.source, f"{stem}-notes", key=f"{key}.notes-csv", what="these notes")
    render_source_note(panel.source)


def render_country_figures(view: CountryView, key: str) -> None:
    """Every figure held for the country, in an expander, with its CSV (each row names its own source)."""
    producers = "; ".join(dict.fromkeys(p.source for p in view.panels if p.source))
    with st.expander("All figures for this country"):
        if state.is_lite():
            render_static_table(view.rows, key=key, label="All figures for this country")
        else:
            render_table(view.rows, key=key)
        render_csv_download(
            view.rows,
            f"{producers} (each row's source column names its own)",
            file_stem("country", view.iso3, "figures"),
            key=f"{key}-csv",
            what="all figures",
        )


def render_people_and_votes(view: CountryView) -> None:
    """The signatories based in or working on the country, and each categorical indicator (the WCIT-12 vote)."""
    st.subheader("Signatories")
    if not view.based and not view.focused:
        st.write("No signatory is based in or works on this country.")
    for line in (*view.based, *view.focused):
        st.markdown(f"- {escape_markdown(line)}")
    for title, text, note, source in view.categorical:
        st.subheader(escape_markdown(title))
        st.write(escape_markdown(text))
        if note:
            st.caption(f"Note on this figure: {escape_markdown(note)}")
        if source:
            render_source_note(source)


def render_weakest(view: CountryView, recommendations: Sequence[Recommendation]) -> None:
    """Where the country ranks lowest, and the recommendations on that pillar's themes."""
    st.subheader("What the statement asks, where this country is weakest")
    if not view.standings:
        st.write("No edition scores every pillar for this country, so no weakest pillar can be named.")
        return
    for line in view.standings:
        st.markdown(f"- {escape_markdown(line)}")
    st.markdown(
        f"Weakest relative to the others: **{escape_markdown(view.weakest)}**. The recommendations on its themes:"
    )
    page = page_by_path("recommendations")
    for rec in recommendations:
        st.page_link(
            page.script,
            label=f"{escape_markdown(rec.text[:110])}…",
            query_params=state.link_params(page.params, rec=rec.id),
        )
