"""The display scale: figures of a dataset published on either scale, edition by edition, shown with higher = freer."""

from __future__ import annotations

import pandas as pd

from igf_explorer.indicators import INDICATORS_DIR, Edition, IndicatorMeta, Registry
from igf_explorer.problems import DataError, Problem

DISPLAY_SCALE = "higher_is_freer"


def display_value(value: float, meta: IndicatorMeta, edition: Edition | None) -> float:
    """One stored figure on the display scale, by metadata alone.

    An indicator whose direction is ``by_edition`` is reflected within its range (max − value for a range that starts
    at 0) when its edition was published on the other scale; every other figure is shown as stored.

    Raises
    ------
    ValueError
        For a ``by_edition`` indicator without its edition (the scale it was published on is then unknown).

    Examples
    --------
    With Freedom on the Net's total (range 0–100), China's 2018 score as published, 88 (0 = most free), is 12.
    """
    if meta.direction != "by_edition":
        return float(value)
    if edition is None:
        raise ValueError(f"{meta.id}: the edition is needed to know which scale the figure was published on")
    if edition.scale == DISPLAY_SCALE:
        return float(value)
    return meta.range_min + meta.range_max - float(value)


def to_display_scale(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """A copy of tidy rows with every value on the display scale, converted by each dataset's editions.

    Adds ``published`` (the value as stored), ``published_scale`` (the edition's scale, '' for indicators whose
    scale does not change by edition) and ``converted``, so a view can say what was converted.

    Raises
    ------
    DataError
        When a ``by_edition`` indicator has a period without an edition in its sidecar (``check`` reports it too).
    """
    result = frame.assign(published=frame["value"], published_scale="", converted=False)
    for indicator in result["indicator"].unique():
        meta = registry.indicator(str(indicator))
        if meta.direction != "by_edition":
            continue
        dataset = registry.dataset_of(meta.id)
        mine = result["indicator"] == indicator
        scales = result.loc[mine, "year"].map({year: e.scale for year, e in dataset.editions.items()})
        unknown = sorted({int(y) for y in result.loc[mine, "year"][scales.isna()]})
        if unknown:
            raise DataError(
                [
                    Problem(
                        f"{INDICATORS_DIR}/{dataset.sidecar.path.name}",
                        f"{meta.id}: no scale for {dataset.periods.label}s {', '.join(map(str, unknown))}",
                        column="editions",
                    )
                ]
            )
        flip = scales.index[scales != DISPLAY_SCALE]
        result.loc[mine, "published_scale"] = scales
        result.loc[flip, "value"] = meta.range_min + meta.range_max - result.loc[flip, "published"]
        result.loc[flip, "converted"] = True
    return result
