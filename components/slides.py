"""Presenter mode: the room's view of a slide, the speaker's notes view, the buttons and keys that move between them.

Type sizes follow the window's height (``vh``), so a slide reads the same from the back of a room on a 720p
projector as on a 1080p screen; the figure's height is the view model's (it fits a 1280×720 window).
"""

from __future__ import annotations

import streamlit as st

from components import display, state
from components.maps import chart_config
from components.notices import render_notices
from components.share import render_audience_qr
from components.tables import render_key_numbers, render_static_table
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown
from igf_explorer.views.slides import SlideFigure, SlideView

NEXT, PREVIOUS = "present-next", "present-previous"

# The router draws a sidebar, a header and a toolbar for every page; on /present they would take the room's
# screen, so this page hides them (the style element is this page's own and goes with it).
_STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: .6rem 2.5vw 1rem !important; max-width: none !important; }
[data-testid="stMain"] { margin-left: 0 !important; }
.st-key-present-bar { align-items: center; }
.st-key-present-bar p { font-size: clamp(1rem, 2.4vh, 1.6rem); margin: 0; color: #262730; }
.st-key-slide h1 { font-size: clamp(1.8rem, 5.2vh, 3.8rem) !important; line-height: 1.15 !important;
  padding: 0 0 .2rem !important; }
.st-key-slide-subtitle p { font-size: clamp(1rem, 2.5vh, 1.8rem); color: #31333f; margin: 0; }
.st-key-slide-words p, .st-key-slide-words li { font-size: clamp(1rem, 2.6vh, 2rem); line-height: 1.35; }
.st-key-slide-words blockquote { border-left: .3rem solid #0b5394; margin: 0 0 .6rem; padding: .1rem 0 .1rem .8rem;
  color: #1a1a1a; opacity: 1; }
.st-key-slide-words blockquote p { color: #1a1a1a; }
.st-key-slide-notes p, .st-key-slide-notes li { font-size: clamp(1.2rem, 3.6vh, 2.6rem); line-height: 1.4; }
.st-key-slide-main .igf-number-value { font-size: clamp(2rem, 6vh, 4.5rem); }
</style>
"""

# Arrow and Page keys click the buttons, so a key press is exactly a click (same state change, same URL entry).
# The listener is replaced, never added twice, on every rerun; outside /present the buttons are absent and a key
# press does nothing. No script is fetched: this is the whole of it.
_KEYS = """
<script>
(function () {
  var doc = window.parent && window.parent.document ? window.parent.document : document;
  if (doc.__igfSlideKeys) { doc.removeEventListener("keydown", doc.__igfSlideKeys); }
  var targets = {ArrowRight: "NEXT", PageDown: "NEXT", ArrowLeft: "PREVIOUS", PageUp: "PREVIOUS"};
  doc.__igfSlideKeys = function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !targets[event.key]) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var button = doc.querySelector(".st-key-" + targets[event.key] + " button");
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  };
  doc.addEventListener("keydown", doc.__igfSlideKeys);
})();
</script>
""".replace("NEXT", NEXT).replace("PREVIOUS", PREVIOUS)


def render_present_style() -> None:
    """Hide the app's chrome and set the slides' type sizes (this page only)."""
    # Markdown, not st.html: Streamlit 1.67 can drop a style-only st.html block (see components/display.py).
    st.markdown(_STYLE, unsafe_allow_html=True)


def render_slide_keys() -> None:
    """Arrow keys and Page Up/Down move between slides."""
    st.html(_KEYS, unsafe_allow_javascript=True)


def _go(number: int) -> None:
    st.session_state[state.SLIDE] = number


def render_slide_nav(view: SlideView, notes: bool) -> None:
    """Previous and next buttons around the counter ("3 / 12"), and a link to the other view of this slide."""
    with st.container(horizontal=True, key="present-bar", gap="medium"):
        st.button(
            "Previous slide",
            key=PREVIOUS,
            icon=":material/arrow_back:",
            on_click=_go,
            args=(view.number - 1,),
            disabled=view.number <= 1,
        )
        st.markdown(f"**{escape_markdown(view.counter)}**", width="content")
        st.button(
            "Next slide",
            key=NEXT,
            icon=":material/arrow_forward:",
            on_click=_go,
            args=(view.number + 1,),
            disabled=view.number >= view.total,
        )
        page = page_by_path("present")
        other = state.link_params(page.params, slide=view.number, notes=not notes)
        label = "Show the slide" if notes else "Speaker notes"
        st.page_link(page.script, label=label, query_params=other, icon=":material/sticky_note_2:")


def _render_figure(figure: SlideFigure, key: str) -> None:
    with st.container(key="slide-main"):
        st.plotly_chart(display.styled(figure.figure), key=key, config=chart_config(), width="stretch", alt=figure.alt)
    st.caption("Source: " + escape_markdown(figure.source))
    for note in figure.notes:
        st.caption(escape_markdown(note))
    for warning in figure.warnings:
        st.warning(escape_markdown(warning), icon=":material/warning:")


def _render_table(figure: SlideFigure, key: str) -> None:
    with st.expander("Data table: " + escape_markdown(figure.table_caption)):
        st.caption(escape_markdown(figure.alt))
        render_static_table(figure.table, key=key)
        for reason, countries in figure.absent:
            st.caption(
                f"**{escape_markdown(reason.capitalize())}** ({len(countries)}): "
                + escape_markdown(", ".join(countries))
            )


def _render_words(view: SlideView) -> None:
    with st.container(key="slide-words"):
        for paragraph in view.body:
            st.markdown(escape_markdown(paragraph))
        for quote in view.quotes:
            st.markdown(f"> **{escape_markdown(quote.label)}.** “{escape_markdown(quote.text)}”")
        if view.figure is not None:
            for fact in view.figure.facts:
                st.markdown(escape_markdown(fact))
        for line in view.missing:
            st.markdown(f"*{escape_markdown(line)}*")
    if view.source:
        st.caption("Source: " + escape_markdown(view.source))


def _render_share(path_and_query: str) -> None:
    """A share slide's QR code and link: the live view, or with ``snapshot=1`` in the URL the view's static snapshot."""
    with st.container(key="slide-main"):
        link = render_audience_qr(path_and_query, snapshot=state.current_view().snapshot, size=360, key="slide-qr")
        st.code(link, language=None, wrap_lines=True)


def render_slide(view: SlideView) -> None:
    """One slide as the room sees it: the title, the words, the main figure with its source, its data table."""
    with st.container(key="slide"):
        st.title(escape_markdown(view.title), anchor=False)
        if view.subtitle:
            with st.container(key="slide-subtitle"):
                st.markdown(escape_markdown(view.subtitle))
        if view.link:
            _render_share(view.link)
            _render_words(view)
            return
        if view.figure is None:
            with st.container(key="slide-main"):
                if view.numbers:
                    render_key_numbers({label: (value, None) for label, value in view.numbers})
            _render_words(view)
            return
        words, shown = st.columns([2, 3], gap="large")
        with words:
            if view.numbers:
                render_key_numbers({label: (value, None) for label, value in view.numbers})
            _render_words(view)
        with shown:
            _render_figure(view.figure, key=f"slide-{view.number}-figure")
        _render_table(view.figure, key=f"slide-{view.number}-table")


def render_notes(view: SlideView) -> None:
    """The speaker's view: the notes in large type, the slide's title and what comes next."""
    with st.container(key="slide"):
        st.title(f"Notes: {escape_markdown(view.title)}", anchor=False)
        with st.container(key="slide-notes"):
            st.markdown(escape_markdown(view.notes))
        st.subheader("Next", anchor=False)
        st.markdown(escape_markdown(view.next_title) if view.next_title else "This is the last slide.")


def render_deck_notices(notices: list[str]) -> None:
    """Why the slide shown is not the one the link asked for."""
    render_notices(notices)
