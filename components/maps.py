"""Geo charts: every one is drawn with the app's own TopoJSON, offers PNG and SVG, and returns a click."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import display, state
from components.exports import render_chart_exports
from igf_explorer.exports import file_stem
from igf_explorer.geometry import topojson_url


def chart_config(stem: str | None = None) -> dict[str, Any]:
    """Plotly config for geo charts: the vendored TopoJSON (never the CDN), no logo link, no editing.

    ``stem`` names the image plotly's camera button saves (the PNG and SVG buttons name theirs too).
    """
    config: dict[str, Any] = {
        "topojsonURL": topojson_url(str(st.get_option("server.baseUrlPath") or "")),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
    if stem:
        config["toImageButtonOptions"] = {"filename": stem}
    return config


def render_map(
    figure: Any, key: str, selectable: bool = True, stem: str | None = None, title: str = "", summary: str = ""
) -> str | None:
    """Draw a geo figure with its PNG and SVG buttons; return the ISO3 code of the country clicked, if any.

    ``stem`` names the image files; without one the chart's key does (``country.map.PAK`` →
    ``igf2012-country-map-pak``). In low-bandwidth mode the map is an SVG drawn here, titled ``title`` and
    described by ``summary``, whose countries are links to their profiles: a click navigates, so None is returned.
    """
    if state.is_lite():
        display.render_svg_map(figure, title, summary, clickable=selectable)
        return None
    figure = display.styled(figure)
    name = stem or file_stem(key)
    # One container per chart: the export buttons find their chart as the plot inside it.
    with st.container(key=f"{key}-box"):
        event = _draw(figure, key, selectable, name)
        render_chart_exports(name, key=f"{key}-export", label="the map as an image")
    if event is None:
        return None
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


def _draw(figure: Any, key: str, selectable: bool, stem: str) -> Any:
    """The chart, listening for a click on a country when ``selectable``; returns its event (None otherwise)."""
    if not selectable:
        st.plotly_chart(figure, key=key, config=chart_config(stem), width="stretch")
        return None
    return st.plotly_chart(
        figure, key=key, config=chart_config(stem), width="stretch", on_select="rerun", selection_mode="points"
    )
