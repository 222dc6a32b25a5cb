"""Share links: the base URL (configured or the browser's), the page's route and query, and a QR code that decodes."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from igf_explorer.registry import PAGE_SPECS, page_by_path
from igf_explorer.share import (
    PUBLIC_URL_ENV,
    QR_BORDER,
    BaseURLError,
    browser_base,
    check_base,
    choose_base,
    configured_base,
    page_link,
    qr_img,
    qr_matrix,
    qr_svg,
    view_link,
)
from igf_explorer.statement import Statement
from igf_explorer.url_state import ViewState, build_vocabulary, decode, encode

MAP = page_by_path("map")


def decoded(matrix: tuple[tuple[bool, ...], ...], pixels: int = 4) -> list[str]:
    """What a barcode reader makes of the matrix drawn black on white, ``pixels`` per module."""
    size = len(matrix)
    image = Image.new("L", (size, size), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image = image.resize((size * pixels, size * pixels), Image.Resampling.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://igf.example.org", "https://igf.example.org"),
        ("HTTPS://igf.example.org/explorer/", "https://igf.example.org/explorer"),
        ("  http://10.0.0.5:8501/  ", "http://10.0.0.5:8501"),
        ("http://[::1]:8501/igf", "http://[::1]:8501/igf"),
    ],
)
def test_a_valid_base_is_normalised(value: str, expected: str) -> None:
    assert check_base(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("igf.example.org", "http:// or https://"),
        ("ftp://igf.example.org", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://", "no host"),
        ("https://user:secret@igf.example.org", "password"),
        ("https://igf.example.org?x=1", "query"),
        ("https://igf.example.org/?", "query"),
        ("https://igf.example.org/#top", "fragment"),
        ("https://igf.example.org:99999", "port"),
        ("https://igf.example.org/a b", "space"),
        ("https://igf.example.org/\x00", "control"),
        ("https://igf.example.org/" + "a" * 400, "longer"),
    ],
)
def test_a_bad_base_is_refused_with_the_reason(value: str, reason: str) -> None:
    with pytest.raises(BaseURLError, match=re.escape(reason)):
        check_base(value)


def test_a_bad_configured_base_falls_back_to_the_browser_and_says_why() -> None:
    choice = choose_base("ftp://igf.example.org", "http://localhost:8501", "http://localhost:9999")
    assert choice.url == "http://localhost:8501"
    assert PUBLIC_URL_ENV in choice.problem and "http:// or https://" in choice.problem
    assert choose_base("https://igf.example.org/x/", "http://localhost:8501", "f") == choose_base(
        "https://igf.example.org/x", None, "f"
    )
    assert choose_base(None, None, "http://localhost:9999").url == "http://localhost:9999"
    assert choose_base("   ", "http://b", "f").problem == ""  # blank means unset, not a mistake
    assert configured_base({PUBLIC_URL_ENV: "https://x"}) == "https://x" and configured_base({}) is None


@pytest.mark.parametrize(
    ("url", "pages", "expected"),
    [
        ("http://127.0.0.1:8501/map", ["map"], "http://127.0.0.1:8501"),
        ("http://127.0.0.1:8501", [""], "http://127.0.0.1:8501"),
        ("http://127.0.0.1:8501/", [""], "http://127.0.0.1:8501"),
        ("https://igf.example.org/explorer/country?country=PAK#x", ["country"], "https://igf.example.org/explorer"),
        ("http://127.0.0.1:8501/nosuchpage", ["", "nosuchpage"], "http://127.0.0.1:8501"),
        # Only a whole path segment is a page: /roadmap is not /map.
        ("http://127.0.0.1:8501/roadmap", ["map"], "http://127.0.0.1:8501/roadmap"),
        ("http://me@127.0.0.1:8501/map", ["map"], "http://127.0.0.1:8501"),
        ("file:///etc/passwd", [], None),
        ("javascript:alert(1)", [], None),
        ("http://host:notaport/", [], None),
        ("", [], None),
        (None, [], None),
    ],
)
def test_browser_base_keeps_scheme_host_and_the_apps_path(url: str | None, pages: list[str], expected: str) -> None:
    assert browser_base(url, pages) == expected


def test_page_link_joins_base_route_and_query() -> None:
    assert page_link("http://h:1", "/", {}) == "http://h:1/"
    assert page_link("http://h:1/", "/map", {}) == "http://h:1/map"
    assert page_link("http://h:1", "/recommendations", {"q": "free expression & more"}) == (
        "http://h:1/recommendations?q=free%20expression%20%26%20more"
    )


def test_view_link_carries_the_pages_parameters_and_decodes_to_the_view(shipped_statement: Statement) -> None:
    vocabulary = build_vocabulary(shipped_statement, ["fotn_total"])
    view = ViewState(themes=("access", "blocking"), indicator="fotn_total", year=2019, country="PAK", q="ignored")
    link = view_link("http://h:1", MAP, view)
    parts = urlsplit(link)
    assert parts.path == "/map"
    query = parse_qs(parts.query)
    assert set(query) == {"theme", "indicator", "year"}  # country and q belong to other pages
    back, notices = decode(query, vocabulary, only=MAP.url_params)
    assert notices == [] and encode(back, only=MAP.url_params) == encode(view, only=MAP.url_params)


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_every_pages_link_starts_with_its_route(spec) -> None:  # type: ignore[no-untyped-def]
    link = view_link("https://igf.example.org/explorer", spec, ViewState(themes=("blocking",), lite=True))
    assert link.startswith(f"https://igf.example.org/explorer{spec.route}")
    assert "lite=1" in link  # the display switches travel with every link


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.1:8501/",
        "http://127.0.0.1:8501/map?theme=blocking,access&indicator=fotn_total&year=2019",
        "https://igf.example.org/explorer/recommendations?q=" + "%C3%A9" * 150,
    ],
)
def test_qr_matrix_decodes_to_the_link(link: str) -> None:
    matrix = qr_matrix(link)
    assert len(matrix) == len(matrix[0])
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # the quiet zone is light
    assert not any(matrix[QR_BORDER - 1])
    assert decoded(matrix) == [link]


def test_qr_svg_is_an_accessible_image_of_whole_pixels() -> None:
    svg = qr_svg("http://h:1/map", 'QR "code" <of> & link', size=240)
    assert svg.startswith('<svg role="img" aria-label="QR &quot;code&quot; &lt;of&gt; &amp; link"')
    assert "<title>QR" in svg and "<of>" not in svg  # segno escapes its title too
    width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    modules = len(qr_matrix("http://h:1/map"))
    assert width % modules == 0 and width <= 240


def test_qr_img_is_a_data_uri_with_alt_text() -> None:
    tag = qr_img("http://h:1/map", "QR code of the link")
    assert tag.startswith('<img src="data:image/svg+xml;base64,') and 'alt="QR code of the link"' in tag
    encoded = re.search(r"base64,([^\"]+)", tag).group(1)  # type: ignore[union-attr]
    svg = base64.b64decode(encoded).decode("utf-8")
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_a_link_too_long_for_any_qr_code_raises_a_value_error() -> None:
    with pytest.raises(ValueError):
        qr_matrix("http://h/" + "x" * 5000)
