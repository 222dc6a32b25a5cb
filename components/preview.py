"""Preview an uploaded file in one browser session: the toggle on the Data page and the banner on every page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import cached
from igf_explorer.indicators import TIDY_COLUMNS, Registry
from igf_explorer.ingest.pipeline import IngestReport
from igf_explorer.registry import page_by_path

TOGGLE = "data.preview_toggle"
_STALE = "data._preview_stale"
_TEXT = ("iso3", "indicator", "status", "note", "source")


def preview_store(shared: pd.DataFrame, registry: Registry, report: IngestReport) -> pd.DataFrame:
    """The whole store as the preview shows it: the stored rows, with the report's dataset as the dry run merged it."""
    dataset = next(d for d in registry.datasets if d.id == report.dataset)
    own = {i.id for i in dataset.indicators}
    merged = report.merged.loc[:, list(TIDY_COLUMNS)].copy()
    for column in _TEXT:
        merged[column] = merged[column].astype(object).fillna("").astype(str)
    merged = merged.astype({"year": "int64", "value": "float64"})
    others = shared[~shared["indicator"].isin(own)]
    return pd.concat([others, merged], ignore_index=True) if len(others) else merged.reset_index(drop=True)


def _first_view(report: IngestReport, registry: Registry) -> tuple[str, int]:
    """What the map should open on: the dataset's first indicator in the file, at its latest period."""
    present = set(report.rows["indicator"])
    indicator = next((i for i in registry.indicators if i in present), str(report.rows["indicator"].iloc[0]))
    return indicator, int(report.rows.loc[report.rows["indicator"] == indicator, "year"].max())


def _toggled(key: str, report: IngestReport, preview_id: str, label: str) -> None:
    if not st.session_state.get(key):
        cached.stop_preview()
        return
    shared, registry = cached.shared_indicator_store()
    indicator, year = _first_view(report, registry)
    store = preview_store(shared, registry, report)
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
        _, registry = cached.shared_indicator_store()
        st.page_link(
            map_page.script,
            label=f"See {registry.indicator(active.indicator).short_name} {active.year} on the map",
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
                f"Previewing **{held.label}** in this session only — the shared data is unchanged.",
                icon=":material/visibility:",
            )
            right.button("Stop the preview", key="preview.stop", on_click=stop, width="stretch")
    elif st.session_state.get(_STALE):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.info(
            f"The shared data changed while you previewed {st.session_state[_STALE]}, so the preview stopped. "
            "Check the file again on the Data page to preview it against the new data.",
            icon=":material/info:",
        )
        right.button("Dismiss", key="preview.dismiss", on_click=st.session_state.pop, args=(_STALE, None))
