"""The Companies page's parts: the company store and view, loaded once per data version, and how each part is drawn."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import cached, display, state
from components.exports import render_csv_download
from components.provenance import render_source_note
from components.tables import render_static_table, render_table
from igf_explorer.companies import CompanyStore, load_company_data
from igf_explorer.paths import data_fingerprint
from igf_explorer.statement import Statement
from igf_explorer.text import escape_markdown
from igf_explorer.versioned import LOAD_ATTEMPTS, DataBusyError
from igf_explorer.views.companies import CompaniesView, CompanyProfile, build_companies_view


@st.cache_resource(show_spinner="Loading the company data…", max_entries=4)
def _company_store(path: str, version: str) -> CompanyStore:
    # Read whole from one state of the directory, as load_whole does for the rest of the data.
    for _ in range(LOAD_ATTEMPTS):
        before = data_fingerprint(Path(path))
        store = load_company_data(Path(path))
        if data_fingerprint(Path(path)) == before:
            return store
    raise DataBusyError(f"{path} changed while the company data was read, {LOAD_ATTEMPTS} times in a row")


def company_store() -> CompanyStore:
    """The company store of the current data version (the company list and every company row)."""
    return _company_store(str(cached.data_dir()), cached.data_version())


@st.cache_resource(show_spinner=False, max_entries=256)
def _companies_view(
    path: str, version: str, region: str | None, company: str | None, _statement: Statement
) -> CompaniesView:
    return build_companies_view(_statement, _company_store(path, version), region, company)


def companies_view(region: str | None, company: str | None) -> CompaniesView:
    """The Companies page's view for a region and a chosen company, built once per data version for every visitor."""
    return _companies_view(str(cached.data_dir()), cached.data_version(), region, company, cached.statement())


def render_asks(view: CompaniesView) -> None:
    """The statement's recommendations to internet companies, verbatim."""
    with st.container(border=True, key="companies-asks"):
        st.markdown("**What the statement asks of internet companies**")
        for rec in view.recommendations:
            st.markdown(f"{rec.order}. {escape_markdown(rec.text)}")


def render_membership(view: CompaniesView) -> None:
    """GNI membership by company and year."""
    st.subheader("Global Network Initiative membership")
    render_static_table(view.membership, key="companies-membership", label="GNI membership by year")
    st.caption(escape_markdown(view.membership_caption))
    render_source_note(view.sources[0] if view.sources else "")


def render_scores(view: CompaniesView) -> None:
    """RDR totals by company and Index edition."""
    st.subheader("Ranking Digital Rights: total score by Index edition")
    render_table(view.scores, key="companies.scores")
    st.caption(escape_markdown(view.scores_caption))
    render_source_note(view.sources[-1] if view.sources else "")
    render_csv_download(view.scores, "; ".join(view.sources), "companies-rdr", key="companies.scores-csv")


def render_profile(profile: CompanyProfile) -> None:
    """One company: facts with their source, its GNI record, its RDR scores with the method break."""
    st.header(escape_markdown(profile.name))
    for label, value in profile.facts:
        st.markdown(f"**{escape_markdown(label)}:** {escape_markdown(value)}")
    st.markdown(escape_markdown(profile.membership))
    if not profile.membership_rows.empty:
        with st.expander(f"GNI record ({len(profile.membership_rows)} years), with notes and sources"):
            render_table(profile.membership_rows, key=f"companies.gni.{profile.id}")
    st.subheader(escape_markdown(profile.scores_title))
    if profile.scores_figure is None:
        st.info(escape_markdown(profile.scores_empty), icon=":material/info:")
        return
    if state.is_lite():
        st.caption("Chart left out in low-bandwidth mode: its figures are in the table below.")
    else:
        st.plotly_chart(
            display.styled(profile.scores_figure),
            key=f"companies.chart.{profile.id}",
            width="stretch",
            config={"displaylogo": False},
        )
    st.caption(escape_markdown(profile.scores_summary))
    for caveat in profile.caveats:
        st.caption(escape_markdown(caveat))
    render_static_table(profile.scores_table, key=f"companies-figures-{profile.id}", label="RDR scores by edition")
    with st.expander(f"Every RDR figure for {profile.name}, with its note and source"):
        render_table(profile.scores_rows, key=f"companies.rows.{profile.id}")
