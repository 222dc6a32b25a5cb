"""Share this view: a copyable deep link to the page's exact state and a QR code of it, both made on the server.

The sidebar's "Share this view" panel is lazy: its content (the link, the QR code's SVG) is built and sent only
while it is open, so no page pays for it unseen, and opening it reruns the app, so it shows the view as it is
then. The Map's period and indicator sit in a fragment that reruns alone; :func:`keep_share_current`, called in
that fragment, reruns the whole app when the open panel would otherwise show the view before the change.

A share slide's code (:func:`render_audience_qr`) opens the live view or, for a large audience, the view's static
snapshot (:mod:`igf_explorer.snapshot`), written the first time it is asked for and again when the data changes.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import cached, state
from igf_explorer.registry import PAGE_SPECS, PageSpec, page_by_path
from igf_explorer.share import PUBLIC_URL_ENV, browser_base, choose_base, configured_base, qr_img, view_link
from igf_explorer.snapshot import SnapshotError, parse_view, snapshot_settings, snapshot_url, write_snapshot
from igf_explorer.text import escape_markdown
from igf_explorer.url_state import encode
from igf_explorer.views import ExplorerData

SHARE_OPEN = "share.open"  # the panel's expanded state (a lazy expander's key)
_SHOWN = "_share.shown"  # (url_path, query) of the link the open panel shows
QR_LABEL = "QR code of the link to this view"


def _fallback_base() -> str:
    """The server's own address, for a run without a browser's (AppTest); a Host header is the browser's view."""
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    host = st.context.headers.get("Host") if st.context.headers else None
    origin = f"http://{host}" if host else f"http://localhost:{st.get_option('server.port')}"
    return browser_base(f"{origin}/{prefix}") or f"http://localhost:{st.get_option('server.port')}"


def share_link(spec: PageSpec) -> tuple[str, str]:
    """The deep link to the view this page shows, and why the configured public base was not used ('' if it was).

    The query is :func:`igf_explorer.url_state.encode` of the view for the parameters the page's URL carries,
    what :func:`components.state.write_url` writes when the view changes. It includes what the page derived (the
    default indicator and its best period), so the link keeps showing this period after a data update.
    """
    missing = state.missing_page()
    browser = browser_base(st.context.url, (spec.url_path, missing or ""))
    base = choose_base(configured_base(os.environ), browser, _fallback_base())
    return view_link(base.url, spec, state.current_view()), base.problem


def app_base() -> str:
    """The address the explorer is reached at: the configured public base, else the browser's."""
    browser = browser_base(st.context.url, (state.missing_page() or "", *(p.url_path for p in PAGE_SPECS)))
    return choose_base(configured_base(os.environ), browser, _fallback_base()).url


def render_link_qr(path_and_query: str, label: str, size: int = 220, key: str = "link-qr") -> str:
    """The QR code of a view of the explorer given by its path and query (a share slide's); return the full link."""
    link = app_base().rstrip("/") + "/" + path_and_query.lstrip("/")
    _draw_qr(link, label, size, key)
    return link


# Once per view, data version and place per process: the snapshot's own record (snapshot.json) spares the other
# replicas the work too. The shared data, never a session's preview: every visitor gets the snapshot.
@st.cache_resource(show_spinner="Writing the snapshot…", max_entries=32)
def _snapshot_name(path_and_query: str, version: str, directory: str, served_path: str) -> str:
    data = ExplorerData(cached.statement(), cached.shared_indicator_store(), cached.links(), cached.geometry())
    target = parse_view(path_and_query, cached.vocabulary())
    write_snapshot(cached.data_dir(), Path(directory), target, served_path=served_path, data=data)
    return target.name


def snapshot_link(path_and_query: str) -> tuple[str, str]:
    """The address of the static snapshot of a view (written when missing or stale), or ``("", why not)``."""
    try:
        settings = snapshot_settings(os.environ)
        name = _snapshot_name(path_and_query, cached.data_version(), str(settings.directory), settings.served_path)
    except (SnapshotError, OSError) as error:
        return "", str(error)
    return snapshot_url(app_base(), settings.served_path, name), ""


def render_audience_qr(path_and_query: str, snapshot: bool, size: int = 360, key: str = "slide-qr") -> str:
    """A share slide's QR code: of the live view, or (``snapshot``) of its static snapshot; return the link.

    When no snapshot can be written (a page without one, a folder that cannot be written) the code holds the live
    view's link and a caption says why.
    """
    if snapshot:
        link, problem = snapshot_link(path_and_query)
        if link:
            _draw_qr(link, f"QR code of the static snapshot of {path_and_query}", size, key)
            st.caption("A static snapshot of this view, light enough for a whole room; it links to the live explorer.")
            return link
        st.caption(f"No snapshot ({escape_markdown(problem)}); the code opens the live explorer.")
    return render_link_qr(path_and_query, f"QR code of {path_and_query}", size, key)


def _draw_qr(link: str, label: str, size: int, key: str) -> None:
    with st.container(key=key):
        try:
            st.html(qr_img(link, label, size=size), width="content")
        except ValueError:  # segno.DataOverflowError is a ValueError
            st.caption("This link is too long for a QR code; copy it instead.")


def render_share_qr(spec: PageSpec, size: int = 220, key: str = "share-qr") -> str:
    """Draw the QR code of this view's deep link, about ``size`` pixels wide; return the link.

    For a page without the sidebar (a slide: ``render_share_qr(spec, size=480, key="slide-qr")``). A link too
    long for a QR code (a search of hundreds of characters) is said instead of drawn.
    """
    link, _ = share_link(spec)
    _draw_qr(link, QR_LABEL, size, key)
    return link


def render_share(spec: PageSpec) -> None:
    """The sidebar's "Share this view" panel: the link with a copy button and its QR code, built when opened."""
    panel = st.expander("Share this view", icon=":material/share:", key=SHARE_OPEN, on_change="rerun")
    if not panel.open:
        st.session_state.pop(_SHOWN, None)
        return
    with panel:
        link, problem = share_link(spec)
        if problem:
            # The reason is the core's fixed wording, never the configured value, so it is shown as written.
            named = problem.replace(PUBLIC_URL_ENV, f"`{PUBLIC_URL_ENV}`")
            st.warning(f"{named} The link uses the address this browser used.", icon=":material/link_off:")
        # st.code carries a copy button; wrapped, the whole link stays visible in the narrow sidebar.
        with st.container(key="share-link"):
            st.code(link, language=None, wrap_lines=True)
        st.caption("Copy the link with the button beside it, or scan the code with a phone.")
        render_share_qr(spec)
        st.session_state[_SHOWN] = (spec.url_path, encode(state.current_view(), only=spec.url_params))


def keep_share_current() -> None:
    """In a fragment's own rerun, rerun the app when the open share panel shows another view than this one.

    A fragment cannot redraw the sidebar; a full run can. Only a fragment-only run checks (a full run redraws the
    panel anyway), and only while the panel is open, so the fragment stays a fragment for everyone else.
    """
    shown: tuple[str, dict[str, str]] | None = st.session_state.get(_SHOWN)
    ctx = get_script_run_ctx()
    if shown is None or not st.session_state.get(SHARE_OPEN) or ctx is None or not ctx.fragment_ids_this_run:
        return
    url_path, query = shown
    if encode(state.current_view(), only=page_by_path(url_path).url_params) != query:
        st.rerun(scope="app")
