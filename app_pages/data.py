"""Data: the indicator catalogue with provenance and coverage; check, preview and publish an update; the history."""

from __future__ import annotations

import streamlit as st

from components import cached
from components.companies import company_store
from components.ingest_check import (
    already_published,
    checked_report,
    render_form,
    render_history,
    render_outcome,
    render_publish,
)
from components.ingest_report import render_problems, render_summary
from components.preview import render_preview_toggle
from components.provenance import render_source_note
from components.tables import render_table
from igf_explorer.catalogue import catalogue_table, company_catalogue_table, coverage_by_period
from igf_explorer.export import indicators_csv
from igf_explorer.text import escape_markdown as md

statement = cached.statement()
store = cached.indicator_store()
registry = store.registry
theme_labels = {t.id: t.label for t in statement.themes}

st.title("Data")
st.markdown("Every indicator the explorer shows, where it comes from, and how much of the world and of time it covers.")
render_table(catalogue_table(store, theme_labels), key="data.catalogue")
render_source_note("each dataset's sidecar in data/indicators/ (producer, licence, vintage, checksum)")
st.markdown("**Company indicators** (one row per company and period; see the Companies page)")
render_table(company_catalogue_table(company_store(), theme_labels), key="data.company-catalogue")

for dataset in registry.datasets:
    # Every sidecar field is shown as written: no markdown, link or image in a data file reaches the page.
    with st.expander(md(dataset.field("title")), expanded=False):
        st.markdown(
            f"**Producer:** {md(dataset.field('producer'))}  \n**Licence:** {md(dataset.field('licence'))}  \n"
            f"**URL:** {md(dataset.field('url'))}"
        )
        st.markdown(f"**Coverage:** {md(dataset.field('coverage'))}")
        if dataset.field("note"):
            st.caption(md(dataset.field("note")))
        st.markdown(
            "Countries with a figure, per period (0 = no figure at all that period; countries never covered are not counted as zero):"
        )
        render_table(coverage_by_period(store, dataset.id), key=f"data.coverage.{dataset.id}")
        st.download_button(
            f"Download {md(dataset.path.name)}",
            indicators_csv(store.tidy([i.id for i in dataset.indicators])),
            file_name=dataset.path.name,
            mime="text/csv",
            key=f"data.download.{dataset.id}",
        )

for dataset in registry.company_datasets:
    with st.expander(md(dataset.field("title")), expanded=False):
        st.markdown(
            f"**Producer:** {md(dataset.field('producer'))}  \n**Licence:** {md(dataset.field('licence'))}  \n"
            f"**URL:** {md(dataset.field('url'))}  \n**Coverage:** {md(dataset.field('coverage'))}"
        )

st.header("Check an update")
st.markdown(
    "Upload a file as its producer publishes it and make the choices `igf-explorer ingest --dry-run` takes. The "
    "explorer runs the same validation and shows what would change. Nothing is stored, and other visitors see "
    "nothing of it unless a maintainer publishes it."
)
uploads, choice = render_form({i.id: i.name for i in registry.indicators.values()})
render_outcome("data._publish_outcome")
if uploads and choice is not None and not already_published(uploads, choice):
    check_id, report = checked_report(uploads, choice)
    if report is not None and not report.ok:
        render_problems(report)
    elif report is not None:
        render_summary(report, choice.replace)
        if report.entity == "country":  # the preview swaps country rows; a company file has none to swap
            render_preview_toggle(report, check_id, ", ".join(u.name for u in uploads))
        render_publish(uploads, choice)

render_history()
