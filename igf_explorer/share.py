"""Share a view: the deep link to a page's exact state and its QR code, drawn locally (segno), never by a service.

The link is a base URL (the public address configured for an app behind a proxy, or else the address the browser
used), the page's route and the page's query (:func:`igf_explorer.url_state.encode`). Both addresses are untrusted
text: a configured base is checked and refused with a reason (:class:`BaseURLError`), a browser's is reduced to
its scheme, host and path; neither can make the link point at anything but an ``http(s)`` page.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

import segno

from igf_explorer.registry import PageSpec
from igf_explorer.url_state import ViewState, encode

# Set for an app behind a reverse proxy, where the browser's address (say http://10.0.0.5:8501) is not the one
# others can open (https://igf.example.org/explorer).
PUBLIC_URL_ENV = "IGF_EXPLORER_PUBLIC_URL"
# Longer than any real base; a longer value is a mistake, and it would leave little room in the QR code.
MAX_BASE_CHARS = 300
# Medium error correction survives a projector's glare or a phone held at an angle; segno raises it further when
# the symbol has room to spare.
QR_ERROR = "m"
# The quiet zone the QR standard asks for, in modules: without it phones fail to find the code on a dark slide.
QR_BORDER = 4
_SCHEMES = ("http", "https")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


class BaseURLError(ValueError):
    """A configured base URL that cannot start a link; the message says why, in words for the operator."""


def check_base(value: str) -> str:
    """The base URL ``value`` normalised (lower-case scheme, no trailing slash), or :class:`BaseURLError`.

    Parameters
    ----------
    value
        The configured address, e.g. ``https://igf.example.org/explorer/``.

    Returns
    -------
    str
        ``scheme://host[:port][/path]`` without a trailing slash.

    Raises
    ------
    BaseURLError
        When it is not an ``http`` or ``https`` address with a host, or holds spaces, control characters, a user
        name or password, a query (``?…``) or a fragment (``#…``): the app appends each page's own query.

    Examples
    --------
    >>> check_base("HTTPS://igf.example.org/explorer/")
    'https://igf.example.org/explorer'
    """
    text = value.strip()
    if not text:
        raise BaseURLError("it is empty")
    if len(text) > MAX_BASE_CHARS:
        raise BaseURLError(f"it is longer than {MAX_BASE_CHARS} characters")
    if _UNPRINTABLE.search(text):
        raise BaseURLError("it holds a space or a control character")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise BaseURLError("it must start with http:// or https://")
    if not parts.hostname:
        raise BaseURLError("it names no host (expected e.g. https://igf.example.org)")
    if parts.username is not None or parts.password is not None:
        raise BaseURLError("it holds a user name or password, which a shared link would give away")
    try:
        parts.port  # noqa: B018  # urlsplit checks the port only when asked
    except ValueError as error:
        raise BaseURLError("its port is not a number from 0 to 65535") from error
    if "?" in text:
        raise BaseURLError("it holds a query (?…); the app adds each page's own")
    if "#" in text:
        raise BaseURLError("it holds a fragment (#…)")
    return f"{scheme}://{parts.netloc}{parts.path}".rstrip("/")


def browser_base(url: str | None, page_paths: Iterable[str] = ()) -> str | None:
    """The app's base from the address the browser shows, or None when it is no ``http(s)`` address.

    Parameters
    ----------
    url
        The browser's address (Streamlit's ``st.context.url``: scheme, host and path, the page's path included).
    page_paths
        Page paths to take off its end (the page shown, or the path asked for when it is no page).

    Examples
    --------
    >>> browser_base("http://localhost:8501/igf/map?year=2019", ["map"])
    'http://localhost:8501/igf'
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  # a malformed port raises only when read
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname or _UNPRINTABLE.search(parts.netloc + parts.path):
        return None
    path = parts.path.rstrip("/")
    for page in sorted({p.strip("/") for p in page_paths if p.strip("/")}, key=len, reverse=True):
        if path == f"/{page}" or path.endswith(f"/{page}"):
            path = path[: -len(page) - 1]
            break
    # A user name in the address bar is the visitor's own; it never goes into a link they hand out.
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme.lower()}://{host}{path}"


@dataclass(frozen=True)
class BaseChoice:
    """The base a link starts with, and why the configured one was not used (empty when all is well)."""

    url: str
    problem: str = ""


def choose_base(configured: str | None, browser: str | None, fallback: str) -> BaseChoice:
    """The configured base when it is valid, else the browser's, else ``fallback``; a bad configuration is said.

    Parameters
    ----------
    configured
        The value of :data:`PUBLIC_URL_ENV` (None or blank when unset).
    browser
        :func:`browser_base` of the browser's address.
    fallback
        The server's own address, for a run without a browser (AppTest, a script).
    """
    problem = ""
    if configured is not None and configured.strip():
        try:
            return BaseChoice(check_base(configured))
        except BaseURLError as error:
            problem = f"{PUBLIC_URL_ENV} is not used: {error}."
    return BaseChoice(browser or fallback, problem)


def configured_base(environ: Mapping[str, str]) -> str | None:
    """The public base URL set in the environment, as written (checked by :func:`choose_base`)."""
    return environ.get(PUBLIC_URL_ENV)


def page_link(base: str, route: str, query: Mapping[str, str]) -> str:
    """``base`` + ``route`` + ``?query``, percent-encoded; commas stay readable (``theme=a,b``), spaces are ``%20``.

    Examples
    --------
    >>> page_link("http://localhost:8501", "/map", {"theme": "blocking,access", "year": "2019"})
    'http://localhost:8501/map?theme=blocking,access&year=2019'
    """
    address = base.rstrip("/") + (route if route.startswith("/") else "/" + route)
    if not query:
        return address
    return address + "?" + urlencode(dict(query), safe=",", quote_via=quote)


def view_link(base: str, spec: PageSpec, view: ViewState) -> str:
    """The deep link to ``view`` on the page ``spec``: the parameters its URL carries, defaults left out."""
    return page_link(base, spec.route, encode(view, only=spec.url_params))


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link`` (byte mode, error correction :data:`QR_ERROR` or better).

    Raises
    ------
    segno.DataOverflowError
        When the link is too long for any QR code (about 2,300 characters).
    """
    return segno.make_qr(link, error=QR_ERROR)


def qr_matrix(link: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of ``link``'s QR code, quiet zone included: True is dark."""
    return tuple(tuple(bool(module) for module in row) for row in qr_code(link).matrix_iter(border=QR_BORDER))


def qr_svg(link: str, label: str, size: int = 220) -> str:
    """Inline SVG markup of ``link``'s QR code, about ``size`` pixels wide, with ``label`` as its accessible name.

    Dark modules on white whatever the page's theme (a phone needs the contrast), each module a whole number of
    pixels so a screenshot stays sharp enough to decode.
    """
    code = qr_code(link)
    modules = code.symbol_size(border=QR_BORDER)[0]
    scale = max(1, size // modules)
    svg = code.svg_inline(scale=scale, border=QR_BORDER, dark="#000", light="#fff", title=label)
    # segno writes no role: screen readers then announce a group of paths, not an image with a name.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


def qr_img(link: str, label: str, size: int = 220) -> str:
    """An ``<img>`` of :func:`qr_svg` as a ``data:`` URI, with ``label`` as its alt text: nothing is fetched.

    An image rather than inline markup because Streamlit's HTML sanitiser keeps only the HTML profile and drops
    ``<svg>``; a ``data:`` URI on an ``<img>`` is what it allows.
    """
    svg = qr_svg(link, label, size)
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)  # a standalone SVG needs its namespace
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    quoted = html.escape(label)
    return f'<img src="data:image/svg+xml;base64,{encoded}" alt="{quoted}" title="{quoted}" class="igf-qr">'
