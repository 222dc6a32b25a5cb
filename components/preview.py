"""Preview an uploaded file in one browser session: the toggle on the Data page and the banner on every page."""

from __future__ import annotations

import streamlit as st

from components import cached
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import TIDY_COLUMNS
from igf_explorer.ingest.pipeline import IngestReport
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown

TOGGLE = "data.preview_toggle"
_STALE = "data._preview_stale"
_TEXT = ("iso3", "indicator", "status", "note", "source")


def preview_store(shared: IndicatorStore, report: IngestReport) -> IndicatorStore:
    """The whole store as the preview shows it: the stored rows, with the report's dataset as the dry run merged it."""
    merged = report.merged.loc[:, list(TIDY_COLUMNS)].copy()
    for column in _TEXT:
        merged[column] = merged[column].astype(object).fillna("").astype(str)
    return shared.with_dataset(report.dataset, merged.astype({"year": "int64", "value": "float64"}))


def _toggled(key: str, report: IngestReport, preview_id: str, label: str) -> None:
    if not st.session_state.get(key):
        cached.stop_preview()
        return
    shared = cached.shared_indicator_store()
    indicator, year = report.first_view(shared.registry)
    store = preview_store(shared, report)
    cached.start_preview(cached.Preview(preview_id, label, cached.data_version(), store, indicator, year))
    st.session_state.pop(_STALE, None)


def stop(clear_stale: bool = True) -> None:
    """End this session's preview (a button callback: it also resets the Data page's toggle)."""
    cached.stop_preview()
    for key in [k for k in st.session_state if str(k).startswith(TOGGLE)]:
        del st.session_state[key]
    if clear_stale:
        st.session_state.pop(_STALE, None)


def render_preview_toggle(report: IngestReport, preview_id: str, label: str) -> None:
    """The toggle that puts the checked file's data in place of the stored data, for this session only."""
    active = cached.active_preview()
    key = f"{TOGGLE}.{preview_id[:16]}"  # one toggle per file and choices: another file starts switched off
    on = st.toggle(
        "Preview this file's data in my session",
        value=active is not None and active.id == preview_id,
        key=key,
        on_change=_toggled,
        args=(key, report, preview_id, label),
        help="The map, the country profiles and every other page of this browser tab show the file's data. "
        "Other visitors, and your other tabs, keep the shared data.",
    )
    if on and active is not None:
        map_page = page_by_path("map")
        registry = cached.shared_indicator_store().registry
        st.page_link(
            map_page.script,
            label=f"See {escape_markdown(registry.indicator(active.indicator).short_name)} {active.year} on the map",
            icon=":material/public:",
            query_params={"indicator": active.indicator, "year": str(active.year)},
        )


def render_preview_banner() -> None:
    """On every page: what this session previews, with a button to stop; or that a preview ended."""
    held = cached.session_preview()
    if held is not None and held.version != cached.data_version():
        st.session_state[_STALE] = held.label
        stop(clear_stale=False)
        held = None
    if held is not None:
        with st.container(key="preview-banner", border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.warning(
                f"Previewing **{escape_markdown(held.label)}** in this session only — the shared data is unchanged.",
                icon=":material/visibility:",
            )
            right.button("Stop the preview", key="preview.stop", on_click=stop, width="stretch")
    elif st.session_state.get(_STALE):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.info(
            f"The shared data changed while you previewed {escape_markdown(st.session_state[_STALE])}, so the preview stopped. "
            "Check the file again on the Data page to preview it against the new data.",
            icon=":material/info:",
        )
        right.button("Dismiss", key="preview.dismiss", on_click=st.session_state.pop, args=(_STALE, None))
