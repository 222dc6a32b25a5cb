"""The session-state contract: widget keys, their defaults, and syncing them with the URL's query parameters.

The URL is the view state. On a fresh session, or when the URL brings new parameters (a shared link, an in-app
link), the URL seeds the widgets. After every run the widgets' state is written back, so the address bar always
holds a link that reproduces the view. Page-local filters reset when the user moves to another page.
"""

from __future__ import annotations

import streamlit as st

from igf_explorer.url_state import ViewState, Vocabulary, decode, encode

THEMES = "filters.themes"
REGION = "filters.region"
ADDRESSEE = "recs.addressee"
QUERY = "recs.q"
REC = "recs.rec"
INDICATOR = "map.indicator"
YEAR = "map.year"
COUNTRY = "country.iso3"

# Select boxes hold "" for "all": with None, Streamlit shows an empty "Choose an option" box instead of "All …".
_DEFAULTS: dict[str, object] = {
    THEMES: [],
    REGION: "",
    ADDRESSEE: "",
    QUERY: "",
    REC: None,
    INDICATOR: None,
    YEAR: None,
    COUNTRY: None,
}
_PAGE_LOCAL = (ADDRESSEE, QUERY, REC)
_SEEDED = "_url.seeded"
_LAST_WRITTEN = "_url.last_written"
_NOTICES = "_url.notices"
_LAST_PAGE = "_url.last_page"
_FROM_LINK = "_url.from_link"
_PAGE_NOTICES = "_url.page_notices"


def init_state() -> None:
    """Give every key its default without overwriting what the user chose."""
    for key, value in _DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, list) else value)


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _flat(params: dict[str, list[str]]) -> dict[str, str]:
    return {key: ",".join(values) for key, values in params.items()}


def apply_view(view: ViewState) -> None:
    """Put a decoded view into the widgets' keys."""
    st.session_state[THEMES] = list(view.themes)
    st.session_state[REGION] = view.region or ""
    st.session_state[ADDRESSEE] = view.addressee or ""
    st.session_state[QUERY] = view.q
    st.session_state[REC] = view.rec
    st.session_state[INDICATOR] = view.indicator
    st.session_state[YEAR] = view.year
    st.session_state[COUNTRY] = view.country


def sync_from_url(vocabulary: Vocabulary, page: str) -> None:
    """Seed state from the URL when it is new to this session; reset page-local filters on a page change."""
    params = _url_params()
    page_changed = st.session_state.get(_LAST_PAGE) not in (None, page)
    st.session_state[_LAST_PAGE] = page
    if page_changed:
        st.session_state[_NOTICES] = []
    is_new_url = bool(params) and _flat(params) != st.session_state.get(_LAST_WRITTEN)
    if _SEEDED not in st.session_state or is_new_url:
        view, notices = decode(params, vocabulary)
        apply_view(view)
        st.session_state[_NOTICES] = notices
        st.session_state[_FROM_LINK] = {YEAR: view.year is not None}
        st.session_state[_SEEDED] = True
    elif page_changed:
        for key in _PAGE_LOCAL:
            st.session_state[key] = _DEFAULTS[key]


def current_view() -> ViewState:
    """The view the widgets hold now."""
    return ViewState(
        addressee=st.session_state.get(ADDRESSEE) or None,
        themes=tuple(st.session_state.get(THEMES) or ()),
        q=st.session_state.get(QUERY) or "",
        rec=st.session_state.get(REC),
        region=st.session_state.get(REGION) or None,
        indicator=st.session_state.get(INDICATOR) or None,
        year=st.session_state.get(YEAR),
        country=st.session_state.get(COUNTRY) or None,
    )


def link_params(only: tuple[str, ...], **changes: object) -> dict[str, str]:
    """Query parameters for a link from the current view with ``changes``, limited to the target page's ``only``."""
    from dataclasses import replace

    return encode(replace(current_view(), **changes), only=only)  # type: ignore[arg-type]


def open_recommendation(rec_id: str | None) -> None:
    """Show one recommendation (or, with None, the list again) and rerun so the page and URL follow."""
    st.session_state[REC] = rec_id
    st.rerun()


def open_country(page_script: str, iso3: str) -> None:
    """Go to a country's profile.

    The country travels in session state, not in switch_page's query parameters: those would first be written
    onto the current page's URL and leave a stray entry in the browser history.
    """
    st.session_state[COUNTRY] = iso3
    st.switch_page(page_script)


def write_url(page_params: tuple[str, ...]) -> None:
    """Write the current view to the address bar (only the parameters this page reads)."""
    params = encode(current_view(), only=page_params)
    # Always written, even when the server already holds these values: after an in-app link the browser's
    # address bar only follows what the server sends.
    st.query_params.from_dict(params)
    st.session_state[_LAST_WRITTEN] = params


def from_link(key: str) -> bool:
    """Whether ``key`` holds a value a link just brought; asking clears it, so only the first run says so."""
    return bool(st.session_state.get(_FROM_LINK, {}).pop(key, False))


def add_notice(text: str) -> None:
    """Queue a notice about a link value the page had to replace."""
    st.session_state.setdefault(_PAGE_NOTICES, []).append(text)


def render_pending_notices() -> None:
    """Show, once, the notices pages queued about link values they replaced."""
    for text in st.session_state.pop(_PAGE_NOTICES, []):
        st.warning(text, icon=":material/link_off:")


def url_notices() -> list[str]:
    """Notices about link values that were ignored."""
    return list(st.session_state.get(_NOTICES) or [])
