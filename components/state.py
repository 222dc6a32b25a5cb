"""The session side of the URL: widget keys from the parameter table, syncing them with the address bar, notices.

The URL is the view state. Widget keys and defaults come from ``igf_explorer.url_state.PARAMS``. What Streamlit
1.67's frontend does with the address bar (read from its source) decides how the URL is written:

- A query string the server sends (``st.query_params``) is *pushed* as a new history entry whenever it differs
  from the address bar, except while the frontend handles Back or Forward, when it *replaces* the entry.
- Opening another page (sidebar, ``st.page_link``, ``st.switch_page``) pushes the new path itself, with the
  link's query string (none from the sidebar).

So each rule below adds exactly one history entry per thing the user does:

- **A URL lands** (a fresh session, Back/Forward, an in-app link): the view is decoded from it, every parameter the
  URL lacks meaning its default, and the URL is left as it is: rewriting it, even to add the values the page
  derived, would push a second entry.
- **The user changes the view** (a widget, a button): the page's parameters are written, which pushes one entry.
- **The sidebar opens another page**: it sends no query string, so the shared filters are kept and written. That
  write is a second entry, which Python cannot avoid (the README says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.notices import render_notices
from igf_explorer.registry import PAGE_SPECS, page_by_path, page_by_script
from igf_explorer.url_state import (
    PARAMS,
    SHARED,
    Notice,
    ViewState,
    Vocabulary,
    decode,
    encode,
    flatten,
    param,
    session_from_view,
    view_from_session,
)

THEMES = param("theme").session_key
REGION = param("region").session_key
ADDRESSEE = param("addressee").session_key
QUERY = param("q").session_key
REC = param("rec").session_key
INDICATOR = param("indicator").session_key
YEAR = param("year").session_key
COUNTRY = param("country").session_key
SLIDE = param("slide").session_key
NOTES = param("notes").session_key
LITE = param("lite").session_key
HIGH_CONTRAST = param("high_contrast").session_key

_SEEDED = "_url.seeded"
_PAGE = "_url.page"  # url_path of the page the last run showed
_ADDRESS = "_url.address"  # the query the address bar holds, flattened
_SEEN = "_url.seen"  # recent addresses: a rerun sent before the browser applied a write carries a stale one
_LANDED = "_url.landed"  # the query a URL that just landed wants kept: the run's first write_url writes only that
_WRITTEN_VIEW = "_url.written_view"  # the page's parameters for the view the last write_url saw
_FROM_LINK = "_url.from_link"
_NOTICES = "_url.notices"
_SEEN_KEPT = 8


def is_lite() -> bool:
    """Whether low-bandwidth mode is on (maps as SVG, tables as HTML, no plotly.js)."""
    return bool(st.session_state.get(LITE))


def is_high_contrast() -> bool:
    """Whether the high-contrast switch is on."""
    return bool(st.session_state.get(HIGH_CONTRAST))


def init_state() -> None:
    """Give every key its default without overwriting what the user chose."""
    for p in PARAMS:
        st.session_state.setdefault(p.session_key, p.session_default())


def apply_view(view: ViewState) -> None:
    """Put a view into the widgets' keys."""
    for key, value in session_from_view(view).items():
        st.session_state[key] = value


def current_view() -> ViewState:
    """The view the widgets hold now."""
    return view_from_session({p.session_key: st.session_state.get(p.session_key) for p in PARAMS})


def _is_history_navigation() -> bool:
    """Whether this run answers the browser's Back or Forward button (Streamlit's frontend says so per rerun)."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def _address_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _remember(address: dict[str, str]) -> None:
    st.session_state[_ADDRESS] = address
    seen = [a for a in st.session_state.get(_SEEN, []) if a != address]
    st.session_state[_SEEN] = [*seen[-(_SEEN_KEPT - 1) :], address]


def sync_from_url(vocabulary: Vocabulary, page: str) -> None:
    """Bring the widgets in line with the URL this run was given (see the module docstring for the rules).

    Parameters
    ----------
    vocabulary
        The values each parameter may take.
    page
        The url_path of the page this run shows.
    """
    raw = _address_params()
    arrived = flatten(raw)
    page_changed = st.session_state.get(_PAGE) not in (None, page)
    st.session_state[_PAGE] = page
    history = _is_history_navigation()
    fresh = _SEEDED not in st.session_state
    # On the same page the browser only sends the query it shows; one that differs from every recent address is
    # an in-app link to this page, an older one a rerun sent before the browser applied the last write.
    same_page_link = not (fresh or history or page_changed) and arrived not in st.session_state.get(_SEEN, [])
    st.session_state[_SEEDED] = True
    st.session_state.pop(_LANDED, None)
    if page_changed and not history and not arrived:
        # The sidebar opens a page without a query string: the shared filters stay, everything else is reset.
        view = current_view()
        apply_view(ViewState(**{p.field: getattr(view, p.field) for p in PARAMS if p.shared}))
        _remember(arrived)
        st.session_state[_WRITTEN_VIEW] = None  # the address bar lacks the shared filters: the first write adds them
        st.session_state[_NOTICES] = []
        st.session_state[_FROM_LINK] = set()
        return
    if not (fresh or history or page_changed or same_page_link):
        return
    decoded = page_by_path(page).url_params
    view, notices = decode(raw, vocabulary, only=decoded)
    apply_view(view)
    st.session_state[_NOTICES] = notices  # the previous view's notices no longer apply
    st.session_state[_FROM_LINK] = {param(name).session_key for name in decoded if name in raw}
    if not same_page_link:
        _remember(arrived)  # the browser shows it already; a link to the same page still has to be written
    st.session_state[_LANDED] = arrived


def write_url(page_params: Iterable[str]) -> None:
    """Write the current view to the address bar when the user changed it; a view a URL just brought stays as is.

    Parameters
    ----------
    page_params
        The parameters the page reads (``PageSpec.params``); the shared sidebar filters are always written too.
    """
    view_params = encode(current_view(), only=(*page_params, *SHARED))
    address: dict[str, str] = st.session_state.get(_ADDRESS, {})
    landed: dict[str, str] | None = st.session_state.pop(_LANDED, None)
    if landed is not None:
        # The view came from this URL; what the page derived from it (a default indicator, a period) stays out.
        wanted = landed
    elif view_params != st.session_state.get(_WRITTEN_VIEW):
        wanted = view_params
    else:
        wanted = address
    st.session_state[_WRITTEN_VIEW] = view_params
    if wanted != address:
        st.query_params.from_dict(wanted)
        _remember(wanted)


def link_params(only: tuple[str, ...], base: ViewState | None = None, **changes: object) -> dict[str, str]:
    """Query parameters for a link to a page that reads ``only``: the current view (or ``base``) with ``changes``.

    The shared sidebar filters always travel with the link, so they survive the move. A page drawing many links
    passes the view it read once as ``base``: reading every parameter's session value costs more than the link.
    """
    view = replace(base or current_view(), **changes)  # type: ignore[arg-type]  # changes name ViewState fields
    return encode(view, only=(*only, *SHARED))


def open_recommendation(rec_id: str | None) -> None:
    """Show one recommendation (or, with None, the list again) and rerun so the page and URL follow."""
    st.session_state[REC] = rec_id
    st.rerun()


def open_country(page_script: str, iso3: str) -> None:
    """Go to a country's profile, with the country in the URL.

    ``st.switch_page`` first sends its query string for the *current* path (one history entry), then the page
    change pushes the new path (a second). The query string is therefore the current page's view plus the
    profile's parameters: the first entry still shows this page as it was, so Back returns to it.
    """
    here = page_by_path(st.session_state.get(_PAGE, ""))
    target = page_by_script(page_script)
    query = {**encode(current_view(), only=here.url_params), **link_params(target.params, country=iso3)}
    st.switch_page(page_script, query_params=query)


def from_link(key: str) -> bool:
    """Whether ``key`` holds a value a link just brought; asking clears it, so only the first run says so."""
    brought: set[str] = st.session_state.get(_FROM_LINK, set())
    if key not in brought:
        return False
    brought.discard(key)
    return True


def missing_page() -> str | None:
    """The path the browser asked for when no registered page has it (Streamlit then runs the home page)."""
    ctx = get_script_run_ctx()
    asked = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None)
    if not asked or not isinstance(asked, str) or asked.strip("/") in {p.url_path for p in PAGE_SPECS}:
        return None
    return asked.strip("/")


def add_notice(text: str | Notice) -> None:
    """Queue a notice for this run: plain text (never markdown), or a :class:`Notice` echoing a link's values."""
    queued: list[str | Notice] = st.session_state.setdefault(_NOTICES, [])
    if text not in queued:
        queued.append(text)


def render_pending_notices() -> None:
    """Show, once, every queued notice, wherever this is called (the router calls it above and below the page)."""
    render_notices(st.session_state.pop(_NOTICES, []))
