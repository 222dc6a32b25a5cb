"""Companies: what the statement asks of internet companies, GNI membership over time, RDR scores, one profile."""

from __future__ import annotations

import streamlit as st

from components import state
from components.companies import companies_view, render_asks, render_membership, render_profile, render_scores
from igf_explorer.text import escape_markdown
from igf_explorer.url_state import param

COMPANY = param("company").session_key

view = state.current_view()
page = companies_view(view.region, view.company)

st.title("Internet companies")
st.markdown(
    f"Showing **{escape_markdown(page.scope)}** ({len(page.options)} with a GNI record or an RDR score). The region "
    "filter places a company by its headquarters."
)
render_asks(page)
for caveat in page.caveats:
    st.caption(escape_markdown(caveat))
render_membership(page)
render_scores(page)

if st.session_state.get(COMPANY) not in page.options:
    st.session_state[COMPANY] = None
st.selectbox(
    "Company",
    options=page.options,
    format_func=lambda company: page.names.get(company, company),
    key=COMPANY,
    index=None,
    placeholder="Choose a company for its profile",
)
if page.outside:
    st.info(escape_markdown(page.outside), icon=":material/info:")
if page.profile is not None:
    render_profile(page.profile)
