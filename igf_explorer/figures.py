"""Plotly figure builders, their high-contrast and low-bandwidth variants, and the map as a plain SVG.

Pure functions of frames and figures; the caller passes ``topojsonURL`` in the chart config.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from igf_explorer.geometry import Geometry, LiteShapes, svg_point, too_small_for_map
from igf_explorer.text import plain
from igf_explorer.views.mapframe import DATA, Scale

# Every palette is colour-blind-safe (tests/unit/test_palettes.py checks): sequential scales whose lightness rises
# monotonically, so they read in greyscale and under any colour-vision deficiency, and categorical sets that stay
# apart under simulated protanopia and deuteranopia. Sidecars choose among them by name (``display.palette``).
SEQUENTIAL: dict[str, tuple[str, ...]] = {
    "viridis": tuple(pc.sequential.Viridis),
    "cividis": tuple(pc.sequential.Cividis),
    # Without inferno's palest stop, which would read as the white of "no figure" in high contrast.
    "inferno": tuple(pc.sequential.Inferno[:-1]),
}
CATEGORICAL: dict[str, tuple[str, ...]] = {
    # Okabe & Ito (2008); the first two are the categories' 0 and 1 (did not sign, signed).
    "okabe-ito": ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"),
    # Paul Tol's high-contrast set: distinct in greyscale too.
    "tol-high-contrast": ("#DDAA33", "#004488", "#BB5566", "#000000"),
}
CONTINUOUS = "Viridis"
CATEGORY_COLOURS = {0.0: CATEGORICAL["okabe-ito"][0], 1.0: CATEGORICAL["okabe-ito"][1]}
NO_DATA_COLOUR = "#bdbdbd"
NOT_COVERED_COLOUR = "#e6e6e6"
OUTSIDE_COLOUR = "#f7f7f7"
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
BASE_MARKER = "#CC79A7"
FOCUS_MARKER = "#009E73"
# High contrast: near-black text and borders, no-data states far apart in lightness, and lines told apart by dash as
# well as colour (each of these colours has at least 3:1 against white, WCAG's bar for graphics).
HIGH_CONTRAST_INK = "#000000"
HIGH_CONTRAST_STATES = {NO_DATA_COLOUR: "#8c8c8c", NOT_COVERED_COLOUR: "#ffffff", OUTSIDE_COLOUR: "#ffffff"}
HIGH_CONTRAST_LINES = ("#000000", "#004488", "#BB5566", "#997700")
HIGH_CONTRAST_DASHES = ("solid", "dash", "dot", "dashdot")


def colorscale(palette: str, categories: int = 0) -> list[list[float | str]]:
    """A plotly colour scale for a palette name: even stops, or one flat band per category."""
    if categories:
        colours = CATEGORICAL[palette][:categories]
        bands: list[list[float | str]] = []
        for index, colour in enumerate(colours):
            bands += [[index / len(colours), colour], [(index + 1) / len(colours), colour]]
        return bands
    stops = SEQUENTIAL[palette]
    return [[index / (len(stops) - 1), colour] for index, colour in enumerate(stops)]


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
                outside.assign(hover=outside["country"].map(plain) + "<br>outside the selected region"),
                "outside the region",
                OUTSIDE_COLOUR,
            )
        )
    for state in sorted(set(inside["state"]) - {DATA}):
        rows = inside[inside["state"] == state]
        colour = NOT_COVERED_COLOUR if state == "not covered" else NO_DATA_COLOUR
        fig.add_trace(_state_trace(rows, plain(state), colour))
    values = inside[inside["state"] == DATA]
    drawable = values[values["iso3"].isin(geometry.drawable)]
    if scale.categories:
        colours = colorscale(scale.palette if scale.palette in CATEGORICAL else "okabe-ito", 2)
        colorbar = {
            "title": {"text": scale.title},
            "tickvals": [0.25, 0.75],
            "ticktext": [plain(scale.categories.get(0.0, "0")), plain(scale.categories.get(1.0, "1"))],
        }
        coloraxis = {"colorscale": colours, "cmin": 0, "cmax": 1, "colorbar": colorbar}
    else:
        continuous_bar: dict[str, object] = {"title": {"text": scale.title}, "thickness": 14}
        palette = scale.palette if scale.palette in SEQUENTIAL else "viridis"
        coloraxis = {"colorscale": colorscale(palette), "reversescale": scale.reverse, "colorbar": continuous_bar}
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
    # The palettes travel with the figure, so its high-contrast variant is drawn from the same sidecar choice.
    fig.update_layout(
        coloraxis=coloraxis,
        meta={
            "palette": scale.palette,
            "high_contrast_palette": scale.high_contrast_palette,
            "categories": len(scale.categories),
        },
    )
    lon_range, lat_range = extent if extent else (None, None)
    _base_layout(fig, lon_range, lat_range, height=height)
    return fig


def build_timeseries(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    break_year: int | None = None,
    height: int = 320,
    periods: Sequence[float] | None = None,
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
        # plotly reads a subset of HTML in names, titles and hover: text from a sidecar is escaped.
        label = plain(name)
        hover = "%{x}: %{y}<extra>" + label + "</extra>"
        if bars:
            fig.add_trace(go.Bar(x=rows["year"], y=rows["value"], name=label, marker_color=colour, hovertemplate=hover))
        else:
            fig.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows["value"],
                    mode="lines+markers",
                    name=label,
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
        title={"text": plain(title)},
        yaxis_title=plain(unit),
        xaxis_title=None,
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h"},
    )
    fig.update_xaxes(dtick=1 if frame["year"].nunique() < 12 else None)
    fig.update_yaxes(rangemode="tozero")
    return fig


# --- display variants: high contrast and low bandwidth -------------------------------------------------------------


def for_display(figure: go.Figure, *, high_contrast: bool = False, lite: bool = False) -> go.Figure:
    """The figure as the display switches want it; the very same object when both are off.

    A copy otherwise: the view caches share one figure between every session, so it is never changed in place.
    ``lite`` turns plotly's transitions off; ``high_contrast`` swaps the palettes (the sidecar's
    ``high_contrast_palette``) and draws borders, lines and text in near-black.
    """
    if not (high_contrast or lite):
        return figure
    styled = go.Figure(figure)
    if lite:
        styled.update_layout(transition={"duration": 0})
    if high_contrast:
        _high_contrast(styled)
    return styled


def _high_contrast(fig: go.Figure) -> None:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    palette = str(meta.get("high_contrast_palette", ""))
    categories = int(meta.get("categories", 0) or 0)
    if palette in CATEGORICAL and categories:
        fig.update_layout(coloraxis_colorscale=colorscale(palette, categories))
    elif palette in SEQUENTIAL:
        fig.update_layout(coloraxis_colorscale=colorscale(palette))
    ink = {"color": HIGH_CONTRAST_INK}
    fig.update_layout(font=ink, legend_font=ink, coloraxis_colorbar_tickfont=ink, coloraxis_colorbar_title_font=ink)
    fig.update_geos(countrycolor=HIGH_CONTRAST_INK)
    fig.update_annotations(font=ink)
    fig.update_shapes(line_color=HIGH_CONTRAST_INK)
    fig.update_xaxes(color=HIGH_CONTRAST_INK, gridcolor="#767676")
    fig.update_yaxes(color=HIGH_CONTRAST_INK, gridcolor="#767676")
    series = 0
    for trace in fig.data:
        if isinstance(trace, go.Choropleth):
            trace.marker.line.color, trace.marker.line.width = HIGH_CONTRAST_INK, 0.8
            if trace.coloraxis is None and trace.colorscale:
                flat = str(trace.colorscale[0][1])
                swapped = HIGH_CONTRAST_STATES.get(flat, flat)
                trace.colorscale = [[0, swapped], [1, swapped]]
        elif isinstance(trace, go.Scattergeo):
            trace.marker.line.color, trace.marker.line.width = HIGH_CONTRAST_INK, 1.5
        elif isinstance(trace, go.Scatter):
            colour = HIGH_CONTRAST_LINES[series % len(HIGH_CONTRAST_LINES)]
            dash = HIGH_CONTRAST_DASHES[series % len(HIGH_CONTRAST_DASHES)]
            trace.line.color, trace.line.dash, trace.line.width, trace.marker.color = colour, dash, 3, colour
            series += 1
        elif isinstance(trace, go.Bar):
            trace.marker.color = HIGH_CONTRAST_LINES[series % len(HIGH_CONTRAST_LINES)]
            trace.marker.line.color, trace.marker.line.width = HIGH_CONTRAST_INK, 1
            series += 1


# --- the map as a plain SVG (low-bandwidth mode: no plotly.js in the browser) ---------------------------------------

_TAG = re.compile(r"</?b>")
# Plotly's marker size is in screen pixels; the lite map's SVG space is ~875 units wide, drawn about that wide.
_WORLD_WIDTH = 875.0


def _each(value: Any, count: int, default: Any) -> list[Any]:
    """A trace property as one value per point: plotly holds a scalar, a tuple or an array there."""
    if value is None:
        return [default] * count
    if isinstance(value, str | int | float):
        return [value] * count
    return list(value)


def _hover_words(text: object) -> str:
    """Hover text (already plain, with the figure's own <b> and <br>) as the words of an SVG <title>."""
    return _TAG.sub("", str(text)).replace("<br>", "\n")


def _rgb(colour: str) -> str:
    """A colour plotly may write as 'rgb(r, g, b)' in the compact hex SVG and CSS read everywhere."""
    if colour.startswith("rgb"):
        red, green, blue = (round(float(v)) for v in colour[colour.index("(") + 1 : -1].split(",")[:3])
        return f"#{red:02x}{green:02x}{blue:02x}"
    return colour


def _axis_colour(fig: go.Figure, value: float) -> str:
    axis = fig.layout.coloraxis
    low = float(axis.cmin) if axis.cmin is not None else 0.0
    high = float(axis.cmax) if axis.cmax is not None else 1.0
    where = 0.0 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
    if axis.reversescale:
        where = 1.0 - where
    scale: list[tuple[float, str]] = [(float(stop), str(colour)) for stop, colour in axis.colorscale]
    if scale[0][1] == scale[1][1] and len(scale) % 2 == 0:
        # A banded (categorical) scale: the band the value falls in, not a blend of two neighbours.
        band = min(int(where * len(scale) / 2), len(scale) // 2 - 1)
        return _rgb(scale[2 * band][1])
    return _rgb(str(pc.sample_colorscale([list(stop) for stop in scale], [where])[0]))


def _view_box(fig: go.Figure, shapes: LiteShapes) -> tuple[float, float, float, float]:
    geo = fig.layout.geo
    lon, lat = geo.lonaxis.range, geo.lataxis.range
    if not lon or not lat:
        return shapes.frame
    # The frame's edges are curves in this projection: sample them, then take the box around the samples.
    edge = [i / 8 for i in range(9)]
    points = [svg_point(lon[0] + (lon[1] - lon[0]) * t, la) for t in edge for la in lat]
    points += [svg_point(lo, lat[0] + (lat[1] - lat[0]) * t) for t in edge for lo in lon]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _legend_items(fig: go.Figure) -> list[tuple[str, str, str]]:
    """(colour, words, shape) per legend entry: the colour axis's steps, then the figure's named traces."""
    items: list[tuple[str, str, str]] = []
    axis = fig.layout.coloraxis
    if axis.colorscale is not None and any(getattr(t, "coloraxis", None) for t in fig.data):
        bar = axis.colorbar
        if bar.tickvals is not None and bar.ticktext is not None:
            steps = [(float(v), str(t)) for v, t in zip(bar.tickvals, bar.ticktext, strict=True)]
            if not (axis.cmin == 0 and axis.cmax == 1 and len(steps) == 2):
                steps = steps[:: max(1, len(steps) // 5)]
        else:
            low, high = float(axis.cmin or 0), float(axis.cmax or 1)
            steps = [(low + (high - low) * i / 4, f"{low + (high - low) * i / 4:g}") for i in range(5)]
        items += [(_axis_colour(fig, value), words, "square") for value, words in steps]
    for trace in fig.data:
        if not trace.showlegend or not trace.name:
            continue
        if isinstance(trace, go.Choropleth) and trace.colorscale:
            items.append((_rgb(str(trace.colorscale[0][1])), str(trace.name), "square"))
        elif isinstance(trace, go.Scattergeo) and isinstance(trace.marker.color, str):
            items.append((_rgb(trace.marker.color), str(trace.name), str(trace.marker.symbol or "circle")))
    return items


def build_map_svg(
    figure: go.Figure,
    shapes: LiteShapes,
    title: str,
    summary: str,
    links: Mapping[str, str] | None = None,
) -> str:
    """The map of a choropleth figure as an SVG with its legend, drawn from the figure's own traces.

    Same colours, hover words (each country's <title>), markers and regional frame as the plotly map, from the light
    geometry, so the browser needs neither plotly.js nor a geometry file. ``links`` maps a country to the address a
    click on it opens. Returns one ``<figure>`` element: the SVG (``role="img"``, titled and described by
    ``title`` and ``summary``) and its legend as a list.
    """
    geo = figure.layout.geo
    land = _rgb(str(geo.landcolor or OUTSIDE_COLOUR))
    fills: dict[str, tuple[str, str, str, float]] = {}  # iso3 → fill, hover, stroke, stroke width
    for trace in figure.data:
        if not isinstance(trace, go.Choropleth) or trace.locations is None:
            continue
        stroke = _rgb(str(trace.marker.line.color or "#ffffff"))
        width = float(trace.marker.line.width or 0.5)
        hovers = _each(trace.hovertext, len(trace.locations), "")
        for index, code in enumerate(trace.locations):
            if trace.coloraxis:
                fill = _axis_colour(figure, float(trace.z[index]))
            else:
                fill = _rgb(str(trace.colorscale[0][1]))
            fills[str(code)] = (fill, _hover_words(hovers[index]), stroke, width)
    left, top, width, height = _view_box(figure, shapes)
    size = width / _WORLD_WIDTH  # SVG units per screen pixel, roughly, at the map's usual size
    body: list[str] = []
    for code, path in shapes.paths.items():
        fill, words, stroke, line = fills.get(code, (land, "", "#ffffff", 0.5))
        shape = (
            f'<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="{line:g}" '
            f'vector-effect="non-scaling-stroke">' + (f"<title>{words}</title>" if words else "") + "</path>"
        )
        if links and code in links and words:
            name = html.escape(html.unescape(words).replace("\n", ", "))
            shape = f'<a href="{html.escape(links[code])}" target="_self" aria-label="{name}">{shape}</a>'
        body.append(shape)
    for trace in figure.data:
        if not isinstance(trace, go.Scattergeo) or trace.lon is None:
            continue
        count = len(trace.lon)
        sizes = _each(trace.marker.size, count, 7)
        colours = trace.marker.color
        symbol = str(trace.marker.symbol or "circle")
        outline = _rgb(str(trace.marker.line.color or "#333333"))
        hovers = _each(trace.hovertext, count, "")
        for index, (lon, lat) in enumerate(zip(trace.lon, trace.lat, strict=True)):
            x, y = svg_point(float(lon), float(lat))
            radius = float(sizes[index]) / 2 * size
            if isinstance(colours, str):
                colour = _rgb(colours)
            else:
                colour = _axis_colour(figure, float(colours[index]))
            words = f"<title>{_hover_words(hovers[index])}</title>"
            if symbol.endswith("open"):
                points = f"{x:.1f},{y - radius:.1f} {x + radius:.1f},{y:.1f} {x:.1f},{y + radius:.1f} {x - radius:.1f},{y:.1f}"
                body.append(
                    f'<polygon points="{points}" fill="none" stroke="{colour}" stroke-width="1.5" '
                    f'vector-effect="non-scaling-stroke">{words}</polygon>'
                )
            else:
                body.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" stroke="{outline}" '
                    f'stroke-width="1" vector-effect="non-scaling-stroke">{words}</circle>'
                )
    legend_title = _hover_words(figure.layout.coloraxis.colorbar.title.text or "").replace("\n", " · ")
    entries = "".join(
        f'<li><span class="igf-swatch igf-swatch-{"diamond" if shape.endswith("open") else "square"}" '
        f'style="background:{colour if not shape.endswith("open") else "transparent"};border-color:{colour}" '
        f'aria-hidden="true"></span>{html.escape(words, quote=False) if "&" not in words else words}</li>'
        for colour, words, shape in _legend_items(figure)
    )
    caption = f"<strong>{legend_title}</strong>" if legend_title.strip(" ·") else ""
    return (
        '<figure class="igf-lite-figure">'
        # With links inside, a group: role="img" would hide them from assistive technology.
        f'<svg class="igf-lite-map" role="{"group" if links else "img"}" aria-labelledby="igf-lite-title igf-lite-desc" '
        f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="igf-lite-title">{html.escape(title, quote=False)}</title>'
        f'<desc id="igf-lite-desc">{html.escape(summary, quote=False)}</desc>'
        + "".join(body)
        + "</svg>"
        + f'<figcaption class="igf-lite-legend">{caption}<ul>{entries}</ul></figcaption></figure>'
    )
