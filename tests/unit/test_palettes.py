"""Every palette is colour-blind-safe, and every text colour meets WCAG AA contrast.

Sequential scales must rise in lightness from end to end (so they read in greyscale and under any colour-vision
deficiency); categorical sets must stay apart under simulated protanopia and deuteranopia (Viénot, Brettel & Mollon
1999, in linear RGB), measured as CIE76 ΔE in CIELAB.
"""

from __future__ import annotations

import itertools
import tomllib

import numpy as np
import pytest

from components import display
from igf_explorer import figures
from igf_explorer.indicators import CATEGORICAL_PALETTES, SEQUENTIAL_PALETTES
from tests.conftest import REPO_ROOT

SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0], [0.00401, -0.00401, 1.0]]),
    "deuteranopia": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]]),
}
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])
MIN_DELTA_E = 15.0  # well above "just noticeable" (~2.3): two swatches on a map are told apart at a glance


def linear(colour: str) -> np.ndarray:
    channels = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = (_XYZ @ np.clip(rgb, 0, 1)) / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def luminance(colour: str) -> float:
    return float(np.dot([0.2126, 0.7152, 0.0722], linear(colour)))


def contrast(foreground: str, background: str) -> float:
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_names_in_the_model_are_the_palettes_drawn() -> None:
    assert set(SEQUENTIAL_PALETTES) == set(figures.SEQUENTIAL)
    assert set(CATEGORICAL_PALETTES) == set(figures.CATEGORICAL)


@pytest.mark.parametrize("name", list(figures.SEQUENTIAL))
@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_sequential_scales_rise_in_lightness(name: str, simulation: str) -> None:
    lightness = [lab(SIMULATIONS[simulation] @ linear(c))[0] for c in figures.SEQUENTIAL[name]]
    steps = np.diff(lightness)
    assert (steps > 0).all(), (name, simulation, [round(v) for v in lightness])
    assert lightness[-1] - lightness[0] >= 60, "a wide range of lightness, end to end"


SETS = {
    **{f"categorical {name}": colours for name, colours in figures.CATEGORICAL.items()},
    "line colours": tuple(figures.LINE_COLOURS),
    "high-contrast lines": figures.HIGH_CONTRAST_LINES,
    "signatory markers": (figures.BASE_MARKER, figures.FOCUS_MARKER),
    "no-data states": (figures.NO_DATA_COLOUR, figures.NOT_COVERED_COLOUR),
}


@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_categorical_sets_stay_apart_under_colour_blindness(name: str, simulation: str) -> None:
    matrix = SIMULATIONS[simulation]
    closest = min(
        (float(np.linalg.norm(lab(matrix @ linear(a)) - lab(matrix @ linear(b)))), a, b)
        for a, b in itertools.combinations(SETS[name], 2)
    )
    assert closest[0] >= MIN_DELTA_E if name != "no-data states" else closest[0] >= 10, closest


def test_category_colours_the_map_uses_are_the_palettes() -> None:
    assert figures.colorscale("okabe-ito", 2)[0][1] == figures.CATEGORY_COLOURS[0.0]
    assert figures.colorscale("okabe-ito", 2)[-1][1] == figures.CATEGORY_COLOURS[1.0]


def test_high_contrast_lines_are_visible_graphics_on_white() -> None:
    # WCAG 1.4.11: 3:1 for the parts of a graphic needed to understand it.
    assert min(contrast(c, "#ffffff") for c in figures.HIGH_CONTRAST_LINES) >= 3.0


THEME = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
BACKGROUNDS = {"page": "#ffffff", "sidebar": "#f8f8f7", "widget": "#f8f8f7"}
TEXT_COLOURS = {
    "theme primaryColor (links, active widgets)": THEME["primaryColor"],
    "theme textColor": THEME.get("textColor", display.TEXT),
    "captions and help": display.MUTED,
    "focus ring": display.FOCUS,
    "high-contrast text": display.HIGH_CONTRAST_TEXT,
    "high-contrast captions": display.HIGH_CONTRAST_MUTED,
}


@pytest.mark.parametrize("background", list(BACKGROUNDS))
@pytest.mark.parametrize("name", list(TEXT_COLOURS))
def test_text_colours_meet_wcag_aa(name: str, background: str) -> None:
    assert contrast(TEXT_COLOURS[name], BACKGROUNDS[background]) >= 4.5


def test_high_contrast_text_reaches_aaa() -> None:
    assert (
        contrast(display.HIGH_CONTRAST_TEXT, "#ffffff") >= 7 and contrast(display.HIGH_CONTRAST_MUTED, "#ffffff") >= 7
    )
