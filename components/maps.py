"""Geo charts: every one is drawn with the app's own TopoJSON, and a click on a country is returned."""

from __future__ import annotations

from typing import Any

import streamlit as st

from igf_explorer.geometry import topojson_url


def chart_config() -> dict[str, Any]:
    """Plotly config for geo charts: the vendored TopoJSON (never the CDN), no logo link, no editing."""
    return {
        "topojsonURL": topojson_url(str(st.get_option("server.baseUrlPath") or "")),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def render_map(figure: Any, key: str, selectable: bool = True) -> str | None:
    """Draw a geo figure; return the ISO3 code of the country the user clicked, if any."""
    if not selectable:
        st.plotly_chart(figure, key=key, config=chart_config(), width="stretch")
        return None
    event = st.plotly_chart(
        figure, key=key, config=chart_config(), width="stretch", on_select="rerun", selection_mode="points"
    )
    # The event is a dict-like PlotlyState; older Streamlit versions returned attribute objects.
    selection: Any = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", None)
    points: Any = selection.get("points", []) if isinstance(selection, dict) else getattr(selection, "points", [])
    for point in points or []:
        code = point.get("location") or point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if isinstance(code, str) and len(code) == 3:
            return code
    return None


def render_period_slider(periods: list[int], key: str, label: str) -> int:
    """Choose one period among those with data."""
    if len(periods) == 1:
        st.caption(f"{label}: {periods[0]} (the only period with data)")
        return periods[0]
    return int(st.select_slider(label, options=periods, key=key))
