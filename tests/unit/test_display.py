"""The display model in the sidecars, the figures' high-contrast and low-bandwidth variants, and the SVG map."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.display import page_css
from igf_explorer.figures import HIGH_CONTRAST_INK, SEQUENTIAL, build_map_svg, for_display
from igf_explorer.geometry import LITE_GEOJSON, load_lite_shapes, svg_point
from igf_explorer.indicators import IndicatorMeta, load_registry
from igf_explorer.metadata import sha256_of
from igf_explorer.problems import DataError
from igf_explorer.views import ExplorerData, load_data
from igf_explorer.views.country import build_country_view
from igf_explorer.views.map import build_map_view
from tests.conftest import DATA_DIR, REPO_ROOT


@pytest.fixture(scope="module")
def data() -> ExplorerData:
    return load_data(DATA_DIR)


def test_every_shipped_indicator_names_its_palettes_in_its_sidecar() -> None:
    for meta in load_registry(DATA_DIR).indicators.values():
        raw = yaml.safe_load((DATA_DIR / "indicators" / f"{meta.dataset}.meta.yml").read_text(encoding="utf-8"))
        block = next(i["display"] for i in raw["indicators"] if i["id"] == meta.id)
        assert (block["palette"], block["high_contrast_palette"]) == (
            meta.display.palette,
            meta.display.high_contrast_palette,
        )


BASE: dict[str, Any] = {
    "id": "x",
    "dataset": "d",
    "name": "X",
    "short_name": "X",
    "unit": "u",
    "range": [0, 10],
    "direction": "higher_is_freer",
    "themes": ["t"],
}


def test_palettes_default_from_the_kind_of_indicator() -> None:
    numbers = IndicatorMeta.model_validate(BASE)
    categories = IndicatorMeta.model_validate({**BASE, "categories": {0: "no", 1: "yes"}})
    assert (numbers.display.palette, numbers.display.high_contrast_palette) == ("viridis", "inferno")
    assert (categories.display.palette, categories.display.high_contrast_palette) == ("okabe-ito", "tol-high-contrast")


@pytest.mark.parametrize(
    ("display", "words"),
    [
        ({"palette": "okabe-ito"}, "palette 'okabe-ito' does not suit colour 'linear'"),
        ({"high_contrast_palette": "rainbow"}, "high_contrast_palette"),
    ],
)
def test_a_palette_that_does_not_fit_is_a_problem(display: dict[str, str], words: str) -> None:
    with pytest.raises(Exception, match=re.escape(words)):
        IndicatorMeta.model_validate({**BASE, "display": display})


def test_a_sidecar_with_a_wrong_palette_fails_loading(data_copy: Path) -> None:
    sidecar = data_copy / "indicators" / "wcit12.meta.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("palette: okabe-ito", "palette: viridis"))
    with pytest.raises(DataError) as caught:
        load_registry(data_copy)
    assert any("does not suit colour 'categories'" in p.message for p in caught.value.problems)


def test_variants_leave_the_shared_figure_alone(data: ExplorerData) -> None:
    figure = build_map_view(data, (), None, "fotn_total", None).map.figure  # type: ignore[union-attr]
    before = figure.to_json()
    assert for_display(figure) is figure
    contrast = for_display(figure, high_contrast=True)
    lite = for_display(figure, lite=True)
    assert figure.to_json() == before
    assert [c for _, c in contrast.layout.coloraxis.colorscale] == list(SEQUENTIAL["inferno"])
    assert [c for _, c in figure.layout.coloraxis.colorscale] == list(SEQUENTIAL["cividis"])
    assert contrast.layout.geo.countrycolor == HIGH_CONTRAST_INK
    assert lite.layout.transition.duration == 0


def test_high_contrast_categories_and_lines(data: ExplorerData) -> None:
    votes = build_map_view(data, (), None, "wcit12_signed", None).map.figure  # type: ignore[union-attr]
    assert {c for _, c in for_display(votes, high_contrast=True).layout.coloraxis.colorscale} == {"#DDAA33", "#004488"}
    panel = build_country_view(data, "PAK").panels[0]
    assert panel.figure is not None
    lines = for_display(panel.figure, high_contrast=True)
    assert len({t.line.dash for t in lines.data}) == len(lines.data) > 1, "lines told apart by dash as well"


def test_every_chart_of_a_profile_has_words_and_a_table(data: ExplorerData) -> None:
    profile = build_country_view(data, "PAK")
    charts = [p for p in profile.panels if p.figure is not None]
    assert charts and all(p.summary and p.table is not None and not p.table.empty for p in charts)
    assert profile.map is not None and profile.map.summary.startswith("Map of ")


def test_svg_map_has_every_country_with_words_links_and_legend(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "internet_users", 2020).map
    assert shown is not None
    svg = build_map_svg(
        shown.figure, load_lite_shapes(), "Internet users", shown.summary, {"PAK": "country?country=PAK"}
    )
    assert svg.count("<path") == len(load_lite_shapes().paths) >= 170
    assert re.search(r'<a href="country\?country=PAK" target="_self" aria-label="Pakistan, [0-9.]+ %', svg)
    assert "<title>Pakistan\n" in svg and 'role="group"' in svg
    assert "signatories: based here" in svg and "no data" in svg
    assert "<script" not in svg


def test_svg_map_escapes_what_comes_from_the_data(data: ExplorerData) -> None:
    shown = build_map_view(data, (), None, "internet_users", 2020).map
    assert shown is not None
    svg = build_map_svg(shown.figure, load_lite_shapes(), '<img src=x onerror="1">', "a & b <script>")
    assert "<img" not in svg and "<script>" not in svg
    assert html.escape('<img src=x onerror="1">', quote=False) in svg


def test_svg_map_frames_the_chosen_region(data: ExplorerData) -> None:
    world = build_map_view(data, (), None, "internet_users", 2020).map
    africa = build_map_view(data, (), "africa", "internet_users", 2020).map
    assert world is not None and africa is not None

    def view_box(svg: str) -> list[float]:
        found = re.search(r'viewBox="([^"]+)"', svg)
        assert found is not None
        return [float(v) for v in found.group(1).split()]

    whole = view_box(build_map_svg(world.figure, load_lite_shapes(), "", ""))
    region = view_box(build_map_svg(africa.figure, load_lite_shapes(), "", ""))
    assert region[2] < whole[2] / 2
    cairo = svg_point(31.2, 30.0)
    assert region[0] < cairo[0] < region[0] + region[2] and region[1] < cairo[1] < region[1] + region[3]


def test_lite_geometry_is_light_matches_its_sidecar_and_is_documented() -> None:
    sidecar = yaml.safe_load(LITE_GEOJSON.with_name("world_lite.meta.yml").read_text(encoding="utf-8"))
    assert sidecar["sha256"] == sha256_of(LITE_GEOJSON)
    assert LITE_GEOJSON.stat().st_size < (REPO_ROOT / "static" / "topojson" / "world_110m.json").stat().st_size
    assert "static/topojson/world_lite.geojson" in (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert (REPO_ROOT / "scripts" / "build_lite_geometry.py").is_file()


def test_page_styles_carry_each_switch_and_fetch_nothing() -> None:
    plain, lite, contrast = page_css(False, False), page_css(True, False), page_css(False, True)
    assert "prefers-reduced-motion" in plain and "@media (max-width: 640px)" in plain
    assert lite.count("animation: none") > plain.count("animation: none")
    assert "#000000" in contrast and "#000000" not in plain
    assert not re.search(r"url\(|@import|https?:", plain + lite + contrast)
