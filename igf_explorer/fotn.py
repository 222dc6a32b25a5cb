"""Freedom on the Net's two scales: the 2019 inversion, the scale of each edition, and the break a view can cross."""

from __future__ import annotations

import pandas as pd

from igf_explorer.scales import DISPLAY_SCALE

# The ranges' maxima of data/indicators/fotn.meta.yml (a unit test keeps the two equal). Views convert by metadata
# (igf_explorer.scales); this stays only for the modules that still read it, and goes with their last use.
FOTN_MAXIMA: dict[str, float] = {
    "fotn_total": 100.0,
    "fotn_obstacles": 25.0,
    "fotn_limits": 35.0,
    "fotn_violations": 40.0,
}
# Editions 2009–2018 were published with 0 = most free; from 2019, 100 = most free (pillar maxima stay 25/35/40).
FIRST_HIGHER_IS_FREER_EDITION = 2019


def published_scale(edition: int) -> str:
    """The scale Freedom House published an edition on (what ingest records in each edition's ``scale``)."""
    return "higher_is_freer" if edition >= FIRST_HIGHER_IS_FREER_EDITION else "lower_is_freer"


def to_display_scale(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of tidy FOTN rows with every value on the display scale (higher = freer), by the 2019 rule.

    Adds ``published_scale`` and ``converted`` columns so a chart can say what was converted. Superseded by
    ``igf_explorer.scales.to_display_scale``, which reads each edition's scale from the sidecar; it stays while
    ``mapview`` and ``profile`` call it.
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
