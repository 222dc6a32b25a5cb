"""Exports: a CSV of exactly the table a view shows, and PNG and SVG of any chart, made in the browser, offline.

CSV goes through :func:`igf_explorer.exports.safe_csv`: a ``# Source: …`` line first, then the table, every cell
a spreadsheet could run as a formula prefixed with ``'``.

PNG and SVG come from the plotly.js that already drew the chart: plotly's own camera button exports in one
format, read from the chart's ``toImageButtonOptions`` at the moment it is clicked. The two buttons under each
chart set that format (and the file name), press the camera button and put the options back. So an export loads
nothing (no second plotly.js, no TopoJSON: plotly keeps the one it drew with) and sends no request; the buttons'
script, style and markup are about 2 KB, sent once per page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from igf_explorer.exports import safe_csv

CSV_MIME = "text/csv"
# PNG at twice the drawn size: sharp on a slide or in print; SVG is resolution-free anyway.
PNG_SCALE = 2

_HTML = """
<div class="igf-export" role="group">
  <button type="button" data-format="png">Download PNG</button>
  <button type="button" data-format="svg">Download SVG</button>
  <span class="igf-export-status" role="status"></span>
</div>
"""

_CSS = """
.igf-export { display: flex; gap: 0.5rem; align-items: center; font-family: var(--st-font, sans-serif); }
.igf-export button {
  font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; cursor: pointer;
  color: var(--st-text-color, inherit); background: transparent;
  border: 1px solid var(--st-border-color, #ccc); border-radius: var(--st-base-radius, 0.25rem);
}
.igf-export button:hover, .igf-export button:focus-visible { border-color: var(--st-primary-color, #1f5f8b); }
.igf-export-status { font-size: 0.8rem; }
"""

# The chart is the plotly graph div in the same Streamlit container as the buttons (render_chart_exports puts
# them together). plotly's camera button reads gd._context.toImageButtonOptions when clicked and copies it before
# its first await, so the options can be put back at once.
_JS = """
export default function (component) {
  const { parentElement, data } = component;
  const host = parentElement.host || parentElement;
  const group = parentElement.querySelector(".igf-export");
  const status = parentElement.querySelector(".igf-export-status");
  group.setAttribute("aria-label", "Download " + data.label);
  const chart = () => {
    const block = host.closest('[data-testid="stVerticalBlock"]');
    return block ? block.querySelector(".js-plotly-plot") : null;
  };
  const download = (format) => {
    const gd = chart();
    const camera = gd && gd.querySelector(
      '.modebar-btn[data-title="Download plot as a PNG"], .modebar-btn[data-title="Download plot"]'
    );
    if (!camera || !gd._context) {
      status.textContent = "The chart is not drawn yet; try again in a moment.";
      return;
    }
    const saved = gd._context.toImageButtonOptions;
    gd._context.toImageButtonOptions = Object.assign({}, saved, {
      format: format, filename: data.filename, scale: format === "png" ? data.scale : 1,
    });
    try {
      camera.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    } finally {
      gd._context.toImageButtonOptions = saved;
    }
    status.textContent = format.toUpperCase() + " saved as " + data.filename + "." + format;
  };
  for (const button of parentElement.querySelectorAll("button[data-format]")) {
    button.onclick = () => download(button.dataset.format);
  }
}
"""

_mount_exports: Callable[..., Any] = st.components.v2.component("igf_chart_exports", html=_HTML, css=_CSS, js=_JS)


def render_csv_download(frame: pd.DataFrame, source: str, stem: str, key: str, what: str = "this table") -> None:
    """A download button for ``frame`` as CSV: the source line first, formula-looking cells neutralised.

    Parameters
    ----------
    frame
        The table exactly as the view shows it.
    source
        Who produced the figures (the line under the table).
    stem
        The file name without ``.csv`` (:func:`igf_explorer.exports.file_stem`: page, indicator, period).
    key
        The widget key.
    what
        The table in the button's label ("Download the ranking as CSV").
    """
    st.download_button(
        f"Download {what} as CSV",
        # Made when clicked, not on every run: writing the CSV was a tenth of a /map visitor's CPU, and bytes
        # passed here would also be stored per session until the next run.
        functools.partial(safe_csv, frame, source),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        key=key,
        icon=":material/download:",
        # A download changes nothing on the page: no rerun (inside the Map's fragment it would redraw the map).
        on_click="ignore",
        help=f"{stem}.csv: a '# Source' line, then the table; cells that could run as a formula start with '.",
    )


def render_chart_exports(stem: str, key: str, label: str = "this chart as an image") -> None:
    """PNG and SVG buttons for the chart drawn just before them in the same container (see the module docstring).

    Parameters
    ----------
    stem
        The file name without extension.
    key
        The component's key.
    label
        What the buttons' group is called for screen readers ("Download …").
    """
    _mount_exports(key=key, data={"filename": stem, "label": label, "scale": PNG_SCALE}, height="content")
