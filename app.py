"""Router: page config, navigation built from the page registry, the shared sidebar filters, URL sync."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components import cached, state
from components.display import apply_display, render_display_switches
from components.filters import render_region_filter, render_theme_filter
from components.integrity import render_integrity_warnings
from components.preview import render_preview_banner
from components.share import render_share
from components.tables import render_table
from igf_explorer.countries import all_regions
from igf_explorer.problems import DataError
from igf_explorer.registry import PAGE_SPECS, PageSpec
from igf_explorer.url_state import Echo, Notice
from igf_explorer.versioned import DataBusyError

FAVICON = Path(__file__).parent / "static" / "favicon.png"

# A file, not a :material/ icon or emoji: those make the browser fetch the icon from a third-party host.
st.set_page_config(page_title="IGF 2012 Statement Explorer", page_icon=str(FAVICON), layout="wide")


def _page(spec: PageSpec) -> st.Page:
    if spec.default:
        return st.Page(spec.script, title=spec.title, icon=spec.icon, default=True)
    return st.Page(spec.script, title=spec.title, icon=spec.icon, url_path=spec.url_path)


current = st.navigation([_page(spec) for spec in PAGE_SPECS])
spec = next(s for s in PAGE_SPECS if s.url_path == current.url_path)

try:
    cached.pin_version()
    statement = cached.statement()
except DataBusyError as error:
    st.error(f"The data is being updated ({error}). Reload the page in a moment.")
    st.stop()
except DataError as error:
    st.error(
        f"The data in {cached.data_dir()} cannot be shown: {len(error.problems)} problem(s). Run `igf-explorer check`."
    )
    render_table(pd.DataFrame([p.as_dict() for p in error.problems]), key="data-problems")
    st.stop()

state.init_state()
state.sync_from_url(cached.vocabulary(), spec.url_path)
missing = state.missing_page()
if missing is not None:
    # Streamlit shows its own "Page not found" dialog and runs this page; the notice stays once it is closed.
    state.add_notice(Notice.of("The page ", Echo("/" + missing), f" does not exist; this is the {spec.title} page."))
with st.sidebar:
    # Few elements on purpose: each costs every new visitor's run about 0.3 ms of server CPU (docs/PERFORMANCE.md).
    render_theme_filter({t.id: t.label for t in statement.themes}, key=state.THEMES)
    render_region_filter(all_regions(), key=state.REGION)
    render_display_switches()
    unused = [label for param, label in (("theme", "Themes"), ("region", "Region")) if param not in spec.params]
    ignored = (
        f" {' and '.join(unused)} {'do' if len(unused) > 1 else 'does'} not change this page; kept for the others."
        if unused
        else ""
    )
    st.caption(
        "Filters and display switches are shared by every page, and the address bar always holds a link to this "
        "exact view." + ignored
    )
    share_slot = st.container()
apply_display()
# Both are cheap per rerun: the sidecar check runs once per data version, the banner reads session state.
render_integrity_warnings()
render_preview_banner()
notices = st.container()
with notices:
    state.render_pending_notices()  # the link's, above the page
current.run()
with notices:
    state.render_pending_notices()  # any the page queued and did not show itself
state.write_url(spec.params)
with share_slot:
    render_share(spec)  # after the page ran and the URL was written: the link holds the view as shown
