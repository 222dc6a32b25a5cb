"""Plotly figure builders. Pure functions of frames; the caller passes ``topojsonURL`` in the chart config."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.geometry import Geometry, too_small_for_map
from igf_explorer.views.mapframe import DATA, Scale

# Colour-blind-safe: viridis for continuous scales (no grey midpoint to mistake for "no data"); Okabe–Ito colours
# for categories, markers and lines.
CONTINUOUS = "Viridis"
CATEGORY_COLOURS = {0.0: "#E69F00", 1.0: "#0072B2"}
NO_DATA_COLOUR = "#bdbdbd"
NOT_COVERED_COLOUR = "#e6e6e6"
OUTSIDE_COLOUR = "#f7f7f7"
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
BASE_MARKER = "#CC79A7"
FOCUS_MARKER = "#009E73"


def _base_layout(
    fig: go.Figure, lon_range: tuple[float, float] | None, lat_range: tuple[float, float] | None, height: int
) -> None:
    geo: dict[str, object] = {
        "projection_type": "natural earth",
        # plotly.js 3 centres this TopoJSON on the Pacific unless the rotation is pinned.
        "projection_rotation_lon": 0,
        "showframe": False,
        "showcoastlines": False,
        "showcountries": True,
        "countrycolor": "#ffffff",
        "showland": True,
        "landcolor": OUTSIDE_COLOUR,
        "showocean": False,
        "showlakes": False,
        "bgcolor": "rgba(0,0,0,0)",
    }
    if lon_range and lat_range:
        middle = (lon_range[0] + lon_range[1]) / 2
        # The pinned rotation also fixes the view's centre, so a regional zoom rotates to the region's middle.
        geo["projection_rotation_lon"] = middle
        geo["center"] = {"lon": middle, "lat": (lat_range[0] + lat_range[1]) / 2}
        geo["lonaxis_range"] = list(lon_range)
        geo["lataxis_range"] = list(lat_range)
    fig.update_layout(
        geo=geo,
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.08, "x": 0},
        dragmode=False,
        font={"family": "sans-serif"},
    )


def _colour_value(scale: Scale, value: float) -> float:
    """Where a value sits on the colour axis (log(1 + value) for skewed counts)."""
    return float(math.log1p(value)) if scale.log else float(value)


def _state_trace(frame: pd.DataFrame, name: str, colour: str) -> go.Choropleth:
    return go.Choropleth(
        locations=frame["iso3"],
        z=[0] * len(frame),
        locationmode="ISO-3",
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        hovertext=frame["hover"],
        hoverinfo="text",
        # A grey outline keeps the pale swatches visible in the legend.
        marker_line_color="#9e9e9e",
        marker_line_width=0.4,
        name=name,
        showlegend=True,
    )


def build_map_figure(
    frame: pd.DataFrame,
    scale: Scale,
    geometry: Geometry,
    markers: pd.DataFrame | None = None,
    extent: tuple[tuple[float, float], tuple[float, float]] | None = None,
    height: int = 520,
) -> go.Figure:
    """Choropleth of ``frame`` (from :func:`igf_explorer.mapview.map_frame`) with no-data states drawn apart.

    Traces, in order: outside the region (dimmed), no figure / not covered / unknown (greys, named in the legend),
    the values (one colour axis), dots for countries too small for the 1:110m map, and signatory markers.
    """
    fig = go.Figure()
    outside = frame[~frame["in_region"]]
    inside = frame[frame["in_region"]]
    if len(outside):
        fig.add_trace(
            _state_trace(
                outside.assign(hover=outside["country"] + "<br>outside the selected region"),
                "outside the region",
                OUTSIDE_COLOUR,
            )
        )
    for state in sorted(set(inside["state"]) - {DATA}):
        rows = inside[inside["state"] == state]
        colour = NOT_COVERED_COLOUR if state == "not covered" else NO_DATA_COLOUR
        fig.add_trace(_state_trace(rows, state, colour))
    values = inside[inside["state"] == DATA]
    drawable = values[values["iso3"].isin(geometry.drawable)]
    if scale.categories:
        colours = [
            [0.0, CATEGORY_COLOURS[0.0]],
            [0.5, CATEGORY_COLOURS[0.0]],
            [0.5, CATEGORY_COLOURS[1.0]],
            [1.0, CATEGORY_COLOURS[1.0]],
        ]
        colorbar = {
            "title": {"text": scale.title},
            "tickvals": [0.25, 0.75],
            "ticktext": [scale.categories.get(0.0, "0"), scale.categories.get(1.0, "1")],
        }
        coloraxis = {"colorscale": colours, "cmin": 0, "cmax": 1, "colorbar": colorbar}
    else:
        continuous_bar: dict[str, object] = {"title": {"text": scale.title}, "thickness": 14}
        coloraxis = {"colorscale": CONTINUOUS, "reversescale": scale.reverse, "colorbar": continuous_bar}
        if scale.cmin is not None and scale.cmax is not None:
            coloraxis["cmin"] = _colour_value(scale, scale.cmin)
            coloraxis["cmax"] = _colour_value(scale, scale.cmax)
        if scale.log:
            ticks = [t for t in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500) if t <= (scale.cmax or 0)]
            continuous_bar["tickvals"] = [_colour_value(scale, t) for t in ticks]
            continuous_bar["ticktext"] = [str(t) for t in ticks]
    fig.add_trace(
        go.Choropleth(
            locations=drawable["iso3"],
            z=[_colour_value(scale, v) for v in drawable["value"]],
            locationmode="ISO-3",
            coloraxis="coloraxis",
            hovertext=drawable["hover"],
            hoverinfo="text",
            marker_line_color="#ffffff",
            marker_line_width=0.5,
            name="value",
            showlegend=False,
        )
    )
    small = values[values["iso3"].isin(too_small_for_map(geometry, values["iso3"]))]
    if len(small):
        positions = geometry.points.loc[small["iso3"]]
        fig.add_trace(
            go.Scattergeo(
                lon=positions["lon"],
                lat=positions["lat"],
                locations=None,
                mode="markers",
                marker={
                    "size": 7,
                    "color": [_colour_value(scale, v) for v in small["value"]],
                    "coloraxis": "coloraxis",
                    "line": {"width": 0.8, "color": "#333333"},
                },
                hovertext=small["hover"],
                hoverinfo="text",
                customdata=small["iso3"],
                name="too small to draw (dot)",
                showlegend=True,
            )
        )
    if markers is not None and len(markers):
        for kind, colour, symbol in (
            ("based here", BASE_MARKER, "circle"),
            ("works on this country", FOCUS_MARKER, "diamond-open"),
        ):
            rows = markers[markers["kind"] == kind]
            if rows.empty:
                continue
            fig.add_trace(
                go.Scattergeo(
                    lon=rows["lon"],
                    lat=rows["lat"],
                    mode="markers",
                    marker={
                        "size": 8 + 5 * rows["count"],
                        "color": colour,
                        "symbol": symbol,
                        "line": {"width": 1.5, "color": colour if symbol.endswith("open") else "#ffffff"},
                        "opacity": 0.9,
                    },
                    hovertext=[
                        f"<b>{n} signator{'y' if c == 1 else 'ies'} {kind}</b><br>{names}"
                        for n, c, names in zip(rows["count"], rows["count"], rows["names"], strict=True)
                    ],
                    hoverinfo="text",
                    customdata=rows["iso3"],
                    name=f"signatories: {kind}",
                    showlegend=True,
                )
            )
    fig.update_layout(coloraxis=coloraxis)
    lon_range, lat_range = extent if extent else (None, None)
    _base_layout(fig, lon_range, lat_range, height=height)
    return fig


def build_timeseries(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    break_year: int | None = None,
    height: int = 320,
    periods: Sequence[int] | None = None,
    bars: bool = False,
) -> go.Figure:
    """Values over time, one series per ``series`` (columns ``series``, ``year``, ``value``), from zero.

    With ``periods`` (every period the dataset has), a period missing for a series breaks its line instead of
    being bridged. ``bars`` draws counts as bars. An optional dashed line marks a break in the scale.
    """
    fig = go.Figure()
    for index, (name, rows) in enumerate(frame.groupby("series", sort=False)):
        rows = rows.sort_values("year")
        if periods is not None:
            rows = rows.set_index("year").reindex(sorted(set(periods))).reset_index()
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        hover = "%{x}: %{y}<extra>" + str(name) + "</extra>"
        if bars:
            fig.add_trace(
                go.Bar(x=rows["year"], y=rows["value"], name=str(name), marker_color=colour, hovertemplate=hover)
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows["value"],
                    mode="lines+markers",
                    name=str(name),
                    line={"color": colour},
                    connectgaps=False,
                    hovertemplate=hover,
                )
            )
    if break_year is not None:
        fig.add_vline(
            x=break_year - 0.5,
            line_dash="dash",
            line_color="#666666",
            annotation_text="scale inverted from 2019; earlier editions converted",
            annotation_position="top left",
        )
    fig.update_layout(
        title={"text": title},
        yaxis_title=unit,
        xaxis_title=None,
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h"},
    )
    fig.update_xaxes(dtick=1 if frame["year"].nunique() < 12 else None)
    fig.update_yaxes(rangemode="tozero")
    return fig
