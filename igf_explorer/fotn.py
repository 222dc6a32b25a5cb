"""Freedom on the Net's two scales and the one place that converts between them.

Editions 2009–2018 were published with 0 = most free; from 2019, 100 = most free. Pillar maxima stay 25 / 35 / 40.
New = maximum − old, for the total and for each pillar. Values are stored as published; only display converts.
"""

from __future__ import annotations

import pandas as pd

FOTN_MAXIMA: dict[str, float] = {
    "fotn_total": 100.0,
    "fotn_obstacles": 25.0,
    "fotn_limits": 35.0,
    "fotn_violations": 40.0,
}
FIRST_HIGHER_IS_FREER_EDITION = 2019
DISPLAY_SCALE = "higher_is_freer"


def published_scale(edition: int) -> str:
    """The scale Freedom House published an edition on."""
    return "higher_is_freer" if edition >= FIRST_HIGHER_IS_FREER_EDITION else "lower_is_freer"


def convert_value(value: float, indicator: str, from_scale: str, to_scale: str = DISPLAY_SCALE) -> float:
    """One FOTN figure on another scale (maximum − value when the scales differ).

    Examples
    --------
    >>> convert_value(88, "fotn_total", "lower_is_freer")
    12.0
    >>> convert_value(12, "fotn_total", "higher_is_freer")
    12.0
    """
    if from_scale == to_scale:
        return float(value)
    return FOTN_MAXIMA[indicator] - float(value)


def to_display_scale(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of tidy FOTN rows with every value on the display scale (higher = freer).

    Adds ``published_scale`` and ``converted`` columns so a chart can say what was converted.
    """
    result = frame.copy()
    is_fotn = result["indicator"].isin(list(FOTN_MAXIMA))
    scales = result["year"].map(published_scale).where(is_fotn, "")
    converted = is_fotn & (scales != DISPLAY_SCALE)
    maxima = result["indicator"].map(FOTN_MAXIMA)
    result["value"] = result["value"].where(~converted, maxima - result["value"])
    result["published_scale"] = scales
    result["converted"] = converted
    return result


def crosses_scale_break(editions: pd.Series) -> bool:
    """Whether a set of editions spans the 2019 inversion."""
    years = set(editions.dropna().astype(int))
    return any(y < FIRST_HIGHER_IS_FREER_EDITION for y in years) and any(
        y >= FIRST_HIGHER_IS_FREER_EDITION for y in years
    )
