"""Browser: PNG and SVG of a map and a chart download offline, and a table's CSV is what the view shows."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, Traffic, wait_for_app

pytestmark = pytest.mark.e2e

MAP_VIEW = "/map?theme=blocking&indicator=fotn_limits&year=2019"
SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def download(page, name: str):  # type: ignore[no-untyped-def]
    """Click the first button called ``name`` and return the download it starts."""
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=name).first.click()
    return started.value


def test_map_png_and_svg_download_offline_and_load_nothing(server: Server, page, traffic: Traffic) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + MAP_VIEW)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .choroplethlocation')
    before = len(traffic.requests)

    svg = download(page, "Download SVG")
    assert svg.suggested_filename == "igf2012-map-fotn_limits-2019.svg"
    root = ET.parse(svg.path()).getroot()
    assert root.tag == f"{SVG_NS}svg"
    countries = [p for p in root.iter(f"{SVG_NS}path") if "choroplethlocation" in (p.get("class") or "")]
    assert len(countries) > 100  # the map's country shapes, not an empty frame

    png = download(page, "Download PNG")
    assert png.suggested_filename == "igf2012-map-fotn_limits-2019.png"
    assert Path(png.path()).read_bytes()[:8] == PNG_SIGNATURE

    # Made in the page from the chart it shows: no script, no TopoJSON, nothing but the files' own blob: URLs.
    after = traffic.requests[before:]
    assert all(url.startswith(("blob:", "data:")) for url in after), after
    assert traffic.external == []


def test_a_country_chart_downloads_as_svg(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/country?country=PAK")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .scatterlayer')
    charts = page.get_by_role("group", name="Download the chart of")
    assert charts.count() >= 1
    with page.expect_download(timeout=60_000) as started:
        charts.first.get_by_role("button", name="Download SVG").click()
    name = started.value.suggested_filename
    assert name.startswith("igf2012-country-panel-") and name.endswith(".svg")
    root = ET.parse(started.value.path()).getroot()
    layers = [g for g in root.iter(f"{SVG_NS}g") if "scatterlayer" in (g.get("class") or "")]
    assert root.tag == f"{SVG_NS}svg" and layers and len(list(layers[0].iter(f"{SVG_NS}path"))) > 0


def test_the_map_tables_csv_is_the_table_with_its_source_first(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + MAP_VIEW)
    wait_for_app(page)
    saved = download(page, "Download this table as CSV")
    assert saved.suggested_filename == "igf2012-map-fotn_limits-2019.csv"
    rows = list(csv.reader(io.StringIO(Path(saved.path()).read_text(encoding="utf-8"))))
    assert rows[0][0].startswith("# Source: Freedom House")
    assert rows[1][0] == "Country" and "Period" in rows[1]
    # st.table's code is a chunk the browser loads lazily: its rows can appear after the script has finished.
    page.wait_for_selector(".st-key-map-table table tbody tr", timeout=30_000)
    shown = page.locator(".st-key-map-table table tbody tr")
    assert len(rows) - 2 == shown.count()
    assert rows[2][0] == str(shown.first.locator("th, td").first.inner_text()).strip()


def test_a_recommendations_ranking_downloads_as_csv(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/recommendations?rec=gov-blocking")
    wait_for_app(page)
    saved = download(page, "Download the ranking as CSV")
    assert saved.suggested_filename.startswith("igf2012-recommendation-gov-blocking-")
    assert saved.suggested_filename.endswith("-ranking.csv")
    rows = list(csv.reader(io.StringIO(Path(saved.path()).read_text(encoding="utf-8"))))
    assert rows[0][0].startswith("# Source: ") and rows[1][:2] == ["Rank", "Country"]
