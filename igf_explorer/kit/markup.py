"""HTML pieces of the offline kit: escaped text, tables, charts with their text alternative, and the page shell."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

LANG = "en"
# What a page may load: only files of the kit itself. Nothing may connect anywhere (plotly.js finds its map in
# window.PlotlyGeoAssets), so even markup that slipped through escaping could not reach the internet. ``file:`` is
# listed beside 'self' because browsers differ on whether 'self' matches other files under file://.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' file:; style-src 'self' file: 'unsafe-inline'; "
    "img-src 'self' file: data: blob:; font-src 'self' file: data:; connect-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def esc(text: object) -> str:
    """Text from a data file as inert HTML (``<``, ``>``, ``&`` and both quotes escaped)."""
    return html.escape(str(text), quote=True)


def paragraphs(texts: Iterable[str], css_class: str = "") -> str:
    """One ``<p>`` per text, escaped."""
    attribute = f' class="{esc(css_class)}"' if css_class else ""
    return "".join(f"<p{attribute}>{esc(text)}</p>" for text in texts if text)


def items(texts: Iterable[str], ordered: bool = False, css_class: str = "") -> str:
    """A list of escaped texts (an empty string when there are none)."""
    rows = "".join(f"<li>{esc(text)}</li>" for text in texts)
    if not rows:
        return ""
    tag = "ol" if ordered else "ul"
    attribute = f' class="{esc(css_class)}"' if css_class else ""
    return f"<{tag}{attribute}>{rows}</{tag}>"


def link(href: str, text: str) -> str:
    """A link to another page of the kit (``href`` is a relative path the kit made, never data)."""
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table(
    frame: pd.DataFrame,
    caption: str,
    links: Mapping[str, Callable[[str], str | None]] | None = None,
    css_class: str = "data",
) -> str:
    """An accessible table of ``frame``: a caption, column headers, and every cell escaped.

    Parameters
    ----------
    frame
        The rows to show, in order; the index is not shown.
    caption
        What the table holds (escaped).
    links
        Per column, a function from a cell's text to the relative ``href`` of a kit page, or None for no link.
    css_class
        The table's class.

    Returns
    -------
    str
        The ``<table>``, with ``scope="col"`` headers.
    """
    links = links or {}
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for name, value in zip(frame.columns, row, strict=True):
            text = _cell(value)
            target = links[name](text) if name in links and text else None
            cells.append(f"<td>{link(target, text) if target else esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table class="{esc(css_class)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def figure_table(figure: go.Figure, first_column: str = "Year") -> pd.DataFrame:
    """What a line or bar chart draws, as a table: one row per x value, one column per series.

    A missing point (a gap in the line) is an empty cell, as the chart shows it.
    """
    columns: dict[str, dict[Any, Any]] = {}
    order: list[Any] = []
    for trace in figure.data:
        xs = list(trace.x) if trace.x is not None else []
        ys = list(trace.y) if trace.y is not None else []
        series: dict[Any, Any] = {}
        for x, y in zip(xs, ys, strict=False):
            if x not in order:
                order.append(x)
            series[x] = None if y is None or pd.isna(y) else round(float(y), 2)
        columns[str(trace.name or f"series {len(columns) + 1}")] = series
    rows = sorted(order, key=lambda x: (isinstance(x, str), x))
    frame = pd.DataFrame({first_column: [_cell(x) for x in rows]})
    for name, series in columns.items():
        frame[name] = [_cell(series.get(x)) for x in rows]
    return frame


@dataclass(frozen=True)
class Template:
    """The plotly template shared by every chart, written once to the assets instead of into every figure."""

    layout_template: Mapping[str, Any]

    def script(self) -> str:
        """JavaScript that registers the template for the chart loader."""
        return f"window.IGF_KIT_TEMPLATE = {script_json(self.layout_template)};\n"


def default_template() -> Template:
    """The template plotly.py gives every figure by default (``plotly.io.templates.default``)."""
    probe = json.loads(pio.to_json(go.Figure(), validate=False))
    return Template(probe["layout"].get("template", {}))


def script_json(value: Any) -> str:
    r"""JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are written as ``\u`` escapes.

    JSON has no other place for them than inside strings, where the escapes mean the same characters, so data text
    such as ``</script>`` can never end the element.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def figure_spec(figure: go.Figure, template: Template, config: Mapping[str, Any]) -> str:
    """A figure as the chart loader reads it (``data``, ``layout``, ``config``), without the shared template."""
    spec = json.loads(pio.to_json(figure, validate=False, remove_uids=True))
    layout = spec.get("layout", {})
    if layout.get("template") == template.layout_template:
        # The loader puts the shared template back; dropping it here saves about 7 kB per chart.
        layout.pop("template")
    return script_json({"data": spec.get("data", []), "layout": layout, "config": dict(config)})


def chart(chart_id: str, figure: go.Figure, alt: str, template: Template, config: Mapping[str, Any]) -> str:
    """A chart the loader draws, with its text alternative; its data table is placed right after it by the caller.

    The figure travels as inert JSON (``type="application/json"``), so the page runs no inline script.
    """
    data_id = f"{chart_id}-data"
    return (
        f'<div class="chart" id="{esc(chart_id)}" role="img" aria-label="{esc(alt)}" data-figure="{esc(data_id)}">'
        f'<p class="chart-fallback">{esc(alt)}</p></div>'
        f'<script type="application/json" id="{esc(data_id)}">{figure_spec(figure, template, config)}</script>'
    )


@dataclass(frozen=True)
class Shell:
    """What every page shares: where the assets are, the navigation and the footer."""

    root: str  # the relative path from the page to the kit's root folder ("" or "../")
    footer: str  # already-escaped footer HTML
    nav: str  # already-built navigation HTML


def document(title: str, heading: str, body: str, shell: Shell, body_class: str = "", charts: bool = False) -> str:
    """A whole page: charset, language, title, the kit's stylesheet and scripts (relative), navigation, footer."""
    scripts = ""
    if charts:
        root = esc(shell.root)
        # Order matters only for the loader, which must come last; the map is registered in PlotlyGeoAssets before
        # any chart is drawn, so plotly.js never tries to fetch it (a fetch under file:// is blocked).
        scripts = (
            f'<script src="{root}assets/world_110m.js"></script>'
            f'<script src="{root}assets/plotly.min.js"></script>'
            f'<script src="{root}assets/kit.js"></script>'
        )
    css_class = f' class="{esc(body_class)}"' if body_class else ""
    noscript = (
        '<noscript><p class="notice">The charts need JavaScript. Every chart is followed by a table with the same '
        "figures.</p></noscript>"
        if charts
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" href="{esc(shell.root)}assets/kit.css">\n'
        f"</head>\n<body{css_class}>\n"
        f'<a class="skip" href="#main">Skip to the content</a>\n{shell.nav}\n'
        f'<main id="main">\n<h1>{esc(heading)}</h1>\n{noscript}{body}\n</main>\n'
        f"<footer>{shell.footer}</footer>\n{scripts}\n</body>\n</html>\n"
    )
