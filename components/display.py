"""Display switches shared by every page (low-bandwidth mode, high contrast), the page-wide styles, and charts.

Charts are drawn the way the switches ask: restyled for high contrast, or, in low-bandwidth mode, as plain SVG and
tables without plotly.js.

Both switches are URL parameters (``lite``, ``high_contrast``) bound to their session keys like every other widget,
so the router writes ``lite=1`` when one is turned on and a link with ``lite=1`` lands with it on.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from components import state
from igf_explorer.figures import build_map_svg, for_display
from igf_explorer.geometry import load_lite_shapes
from igf_explorer.registry import page_by_path

# WCAG AA on white and on the sidebar's grey (tests/unit/test_palettes.py checks every colour here).
TEXT = "#2f2d2b"
MUTED = "#5c5a57"  # captions and help text: 6.9:1 on white (Streamlit's own 60 % grey is 3.9:1)
FOCUS = "#1f5f8b"
HIGH_CONTRAST_TEXT = "#000000"
HIGH_CONTRAST_MUTED = "#1f1f1f"
HIGH_CONTRAST_FOCUS = "#000000"

_BASE_CSS = f"""
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, .igf-number dt, .igf-number-note {{ color: {MUTED} !important; opacity: 1 !important; }}
/* Link lists (components/navigation.py): the look of Streamlit's page links, one element for all. */
.igf-links {{ list-style: none; padding: 0; margin: 0 0 1rem 0; }}
.igf-links li {{ margin: 0; padding: 0.3rem 0; }}
.igf-links a {{ color: inherit; text-decoration: none; }}
.igf-links a:hover, .igf-links a:focus-visible {{ text-decoration: underline; }}
/* Key figures (components/tables.py), laid out as Streamlit's metrics were. */
.igf-numbers {{ display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin: 0.25rem 0 1rem 0; }}
.igf-number {{ flex: 1 1 9rem; min-width: 0; }}
.igf-number dt {{ font-size: 0.875rem; font-weight: normal; }}
.igf-number dd {{ margin: 0; }}
.igf-number-value {{ font-size: 2.25rem; line-height: 1.2; }}
.igf-number-note {{ font-size: 0.8rem; }}
/* Page links wrap: the Overview's addressee headings are longer than a column. */
[data-testid="stPageLink"] a, [data-testid="stPageLink"] a * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto;
}}
[data-testid="stPageLink"] a {{ align-items: flex-start; }}
:focus-visible {{ outline: 3px solid {FOCUS} !important; outline-offset: 2px; }}
/* Room for the map above the fold on a 1280 × 720 projector. */
[data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem; }}
[data-testid="stMain"] h1 {{ font-size: 2rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }}
[data-testid="stMain"] {{ overflow-wrap: anywhere; }}
[data-testid="stTable"], [data-testid="stMarkdownContainer"] table {{ overflow-x: auto; max-width: 100%; }}
.igf-lite-figure {{ margin: 0; }}
.igf-table-wrap {{ overflow-x: auto; max-width: 100%; margin-bottom: 1rem; }}
.igf-table {{ border-collapse: collapse; font-size: 0.875rem; }}
.igf-table th, .igf-table td {{ border-bottom: 1px solid #d5d4d2; padding: 0.25rem 0.75rem 0.25rem 0; text-align: left; }}
.igf-lite-map {{ display: block; width: 100%; height: auto; max-height: 70vh; }}
.igf-lite-map path, .igf-lite-map circle, .igf-lite-map polygon {{ vector-effect: non-scaling-stroke; }}
/* Markers sit on countries: a click goes through to the country under them. */
.igf-lite-map circle, .igf-lite-map polygon {{ pointer-events: none; }}
.igf-lite-map a:focus-visible path {{ stroke: {FOCUS}; stroke-width: 3; }}
.igf-lite-legend {{ font-size: 0.875rem; color: {TEXT}; }}
.igf-lite-legend ul {{ list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.25rem 0; }}
.igf-swatch {{ display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #6b6b6b;
  margin-right: 0.35em; vertical-align: -0.1em; }}
.igf-swatch-diamond {{ transform: rotate(45deg) scale(0.8); border-width: 2px; }}
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 1rem; padding-right: 1rem; }}
  [data-testid="stMain"] h1 {{ font-size: 1.6rem; }}
  [data-testid="stMain"] .js-plotly-plot, [data-testid="stMain"] svg {{ max-width: 100%; }}
}}
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{ animation: none !important; transition: none !important; scroll-behavior: auto !important; }}
}}
"""
# Low bandwidth: no animation at all (Streamlit's running indicator, skeletons, expanders).
_LITE_CSS = """
*, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
"""
_HIGH_CONTRAST_CSS = f"""
[data-testid="stApp"], [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stSidebar"] p,
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] td,
[data-testid="stMain"] th, .igf-number-value {{ color: {HIGH_CONTRAST_TEXT} !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, .igf-number dt, .igf-number-note,
[data-testid="stWidgetLabel"] small {{ color: {HIGH_CONTRAST_MUTED} !important; opacity: 1 !important; }}
a, [data-testid="stPageLink"] a p {{ text-decoration: underline !important; }}
[data-baseweb="select"] > div, [data-baseweb="input"], [data-baseweb="textarea"], [data-testid="stTable"] td,
[data-testid="stTable"] th, [data-testid="stVerticalBlockBorderWrapper"] {{ border-color: {HIGH_CONTRAST_TEXT} !important; }}
[data-baseweb="select"] > div, [data-baseweb="input"] {{ border-width: 2px !important; border-style: solid !important; }}
:focus-visible {{ outline: 4px solid {HIGH_CONTRAST_FOCUS} !important; outline-offset: 2px; }}
.igf-lite-legend, .igf-lite-legend * {{ color: {HIGH_CONTRAST_TEXT}; }}
.igf-swatch {{ border-color: {HIGH_CONTRAST_TEXT}; }}
"""


def render_display_switches() -> None:
    """The sidebar's switches for low-bandwidth mode and high contrast."""
    st.toggle(
        "Low-bandwidth mode",
        key=state.LITE,
        help="Maps as light pictures with tables, no interactive charts and no animation: a much smaller page.",
    )
    st.toggle(
        "High contrast",
        key=state.HIGH_CONTRAST,
        help="Darker text and borders, and map and chart colours with a wider range of lightness.",
    )


def page_css(lite: bool, high_contrast: bool) -> str:
    """The page-wide style sheet for a display: layout for rooms and phones, contrast, motion."""
    return _BASE_CSS + (_LITE_CSS if lite else "") + (_HIGH_CONTRAST_CSS if high_contrast else "")


def apply_display() -> None:
    """Page-wide styles for the chosen display (high contrast, phone layout); drawn once per run."""
    # No external font or stylesheet: the rules travel inline with the page, like the app's other assets. Markdown,
    # not st.html: Streamlit 1.67 dropped a style-only st.html block from pages that also draw the lite map's SVG.
    st.markdown(f"<style>{page_css(state.is_lite(), state.is_high_contrast())}</style>", unsafe_allow_html=True)


# --- charts as the display asks --------------------------------------------------------------------------------------

T = TypeVar("T")


class _Derived:
    """Figures derived from the views' shared figures, kept while the original lives (weakly keyed, bounded).

    A view cache hands every session the same figure object; its high-contrast copy or its SVG costs 0.1–0.2 s to
    make, so each is made once per original and variant. The weak reference proves the id still names the original.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._held: dict[tuple[int, str], tuple[weakref.ref[Any], Any]] = {}

    def get(self, original: Any, variant: str, make: Callable[[], T]) -> T:
        key = (id(original), variant)
        held = self._held.get(key)
        if held is not None and held[0]() is original:
            return held[1]  # type: ignore[no-any-return]  # stored by this method for this variant
        value = make()
        if len(self._held) >= self._size:
            self._held.pop(next(iter(self._held)))
        self._held[key] = (weakref.ref(original), value)
        return value


_derived = _Derived()


def derived(original: Any, variant: str, make: Callable[[], T]) -> T:
    """What ``make`` builds from a shared view object, once per object and variant (see :class:`_Derived`)."""
    return _derived.get(original, variant, make)


class SentOnce(go.Figure):  # type: ignore[misc]  # plotly ships no type hints
    """A shared figure whose dict form is made once.

    st.plotly_chart turns its figure into a dict on every run (a deep copy and base64 of every array: four fifths
    of the chart's serialising time, measured on /map). The views' figures are shared read-only by every session,
    so their dict never changes: the first one made is kept and handed out again.
    """

    _sent: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The figure as a dict, made on the first call (plotly removes trace uids from it: harmless to repeat)."""
        if self._sent is None:
            self._sent = super().to_dict()
        return self._sent


def styled(figure: go.Figure) -> go.Figure:
    """A figure as the switches want it, made once per shared figure and variant, its dict form kept."""
    hc, lite = state.is_high_contrast(), state.is_lite()
    if not (hc or lite):
        return _derived.get(figure, "plotly", lambda: SentOnce(figure))
    return _derived.get(
        figure, f"plotly:{hc}:{lite}", lambda: SentOnce(for_display(figure, high_contrast=hc, lite=lite))
    )


def _country_links(figure: go.Figure) -> dict[str, str]:
    """Each country's profile address, relative to the page (so it follows ``server.baseUrlPath``)."""
    target = page_by_path("country")
    base = state.link_params(target.params, country=None)
    codes = {str(c) for t in figure.data if isinstance(t, go.Choropleth) and t.coloraxis for c in t.locations}
    return {code: f"{target.url_path}?{urlencode({**base, 'country': code})}" for code in sorted(codes)}


def render_svg_map(figure: go.Figure, title: str, summary: str, clickable: bool = True) -> None:
    """A geo figure as a plain SVG, each country a link to its profile: the low-bandwidth map (no plotly.js)."""
    hc = state.is_high_contrast()
    links = _country_links(figure) if clickable else None
    variant = f"svg:{hc}:{title}:{summary}:{sorted(links.items()) if links else ''}"

    def make() -> str:
        return build_map_svg(for_display(figure, high_contrast=hc), load_lite_shapes(), title, summary, links)

    # st.html sanitises SVG away; markdown passes an HTML block through as it is (the markup is built here, every
    # text in it escaped).
    st.markdown(_derived.get(figure, variant, make), unsafe_allow_html=True)
