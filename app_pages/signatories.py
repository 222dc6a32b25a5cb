"""Signatories: who signed, where they are based and focused, and how each origin is known."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.exports import render_csv_download
from components.provenance import render_source_note
from components.tables import render_key_numbers, render_table
from igf_explorer.countries import region_by_slug
from igf_explorer.exports import file_stem
from igf_explorer.signatories import (
    counts_by_country,
    counts_by_region,
    origin_counts,
    signatories_in_region,
    signatory_table,
)
from igf_explorer.text import escape_markdown

statement = cached.statement()
view = state.current_view()
region = region_by_slug(view.region) if view.region else None
shown = signatories_in_region(statement.signatories, region)
unknown = [s for s in statement.signatories if not s.origin_known]

st.title("Signatories")
st.markdown(
    f"**{len(shown)} of {len(statement.signatories)} signatories**"
    + (f" based in {escape_markdown(region.name)}" if region else "")
)
st.info(
    f"{len(unknown)} signatories have no known origin and are never placed on a country: "
    + escape_markdown("; ".join(s.name for s in unknown))
    + (". They are left out of any region." if region else "."),
    icon=":material/help:",
)

SOURCE = "signatory research, data/statement/signatories.csv (a source on every row; see About & sources)"
render_table(signatory_table(shown), key="signatories.table")
render_source_note(SOURCE)
render_csv_download(
    signatory_table(shown),
    SOURCE,
    file_stem("signatories", view.region),
    key="signatories.table-csv",
    what="the signatories",
)

render_key_numbers(
    {
        label: (str(count), "UN M49" if label != "Base countries" else None)
        for label, count in origin_counts(shown).items()
    }
)
left, middle, right = st.columns(3)
with left:
    st.subheader("By country")
    render_table(counts_by_country(shown).drop(columns="iso3"), key="signatories.by_country")
with middle:
    st.subheader("By continent")
    render_table(counts_by_region(shown, "Continent"), key="signatories.by_continent")
with right:
    st.subheader("By sub-region")
    render_table(counts_by_region(shown, "Sub-region"), key="signatories.by_subregion")
render_source_note("regions: UN M49 continents and sub-regions via country_converter")
