"""The indicator store's face: the only place that indexes the tidy frame, built once per data version.

Pages, components and view builders ask it questions (which periods have data, the best-covered period, one
country's series, one period's slice, coverage per period) instead of filtering the raw frame themselves. Answers
are shared read-only frames; callers copy before changing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

import pandas as pd

from igf_explorer.indicators import TIDY_COLUMNS, IndicatorMeta, Registry, empty_store
from igf_explorer.scales import DISPLAY_SCALE, to_display_scale


class IndicatorStore:
    """Every stored indicator row, indexed by indicator and by country, with the registry that describes them."""

    def __init__(self, frame: pd.DataFrame, registry: Registry):
        self.registry = registry
        self._frame = frame.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)
        self._by_indicator: dict[str, pd.DataFrame] = {
            str(indicator): rows for indicator, rows in self._frame.groupby("indicator", sort=False)
        }

    # --- one indicator ---------------------------------------------------------------------------------------------

    def rows(self, indicator: str) -> pd.DataFrame:
        """Every row of one indicator, as stored (published scale)."""
        return self._by_indicator.get(indicator, _EMPTY)

    def periods(self, indicator: str) -> list[int]:
        """Periods (years or editions) with at least one figure."""
        return sorted(int(y) for y in self.rows(indicator)["year"].unique())

    def coverage(self, indicator: str) -> pd.Series:
        """Countries with a figure, per period."""
        rows = self.rows(indicator)
        if rows.empty:
            return pd.Series(dtype="int64")
        return rows.groupby("year")["iso3"].nunique().sort_index()

    def best_period(self, indicator: str, among: Iterable[int] | None = None) -> int | None:
        """The period covering the most countries, the latest among equals (a sparse newest edition is not chosen).

        ``among`` restricts the choice (for instance to the periods one country has a figure in).
        """
        coverage = self.coverage(indicator)
        if among is not None:
            coverage = coverage[coverage.index.isin(list(among))]
        if coverage.empty:
            return None
        return int(coverage[coverage == coverage.max()].index.max())

    def period_slice(self, indicator: str, year: int) -> pd.DataFrame:
        """One period's rows of one indicator."""
        rows = self.rows(indicator)
        return rows[rows["year"] == year]

    @cached_property
    def _ever_covered(self) -> dict[str, frozenset[str]]:
        return {indicator: frozenset(rows["iso3"]) for indicator, rows in self._by_indicator.items()}

    def ever_covered(self, indicator: str) -> frozenset[str]:
        """Countries with a figure in any period."""
        return self._ever_covered.get(indicator, frozenset())

    def largest(self, indicator: str) -> float | None:
        """The largest stored value (the top of an open-ended colour range)."""
        rows = self.rows(indicator)
        return float(rows["value"].max()) if len(rows) else None

    # --- one country ----------------------------------------------------------------------------------------------

    @cached_property
    def _by_country(self) -> dict[str, pd.DataFrame]:
        return {str(iso3): rows for iso3, rows in self._frame.groupby("iso3", sort=False)}

    def country_rows(self, iso3: str, indicators: Sequence[str] | None = None) -> pd.DataFrame:
        """A country's rows (of some indicators), by indicator and period."""
        rows = self._by_country.get(iso3, _EMPTY)
        return rows if indicators is None else rows[rows["indicator"].isin(list(indicators))]

    def series(self, iso3: str, indicator: str) -> pd.DataFrame:
        """One indicator's figures for a country over time, as stored."""
        rows = self.country_rows(iso3)
        return rows[rows["indicator"] == indicator].sort_values("year")

    @cached_property
    def countries(self) -> frozenset[str]:
        """Every country with at least one figure."""
        return frozenset(self._by_country)

    # --- scales and exports ----------------------------------------------------------------------------------------

    def on_display_scale(self, rows: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``rows`` on the display scale (higher = freer), with ``published`` and ``converted`` columns."""
        return to_display_scale(rows, self.registry)

    def is_converted(self, meta: IndicatorMeta, year: int) -> bool:
        """Whether an indicator's figures for a period are shown converted from the scale they were published on."""
        if meta.direction != "by_edition":
            return False
        edition = self.registry.dataset_of(meta.id).editions.get(year)
        return edition is not None and edition.scale != DISPLAY_SCALE

    def tidy(self, indicators: Sequence[str]) -> pd.DataFrame:
        """The stored rows of some indicators in the stored format (for downloads and exports)."""
        frames = [self.rows(i) for i in indicators if i in self._by_indicator]
        if not frames:
            return empty_store()
        return pd.concat(frames, ignore_index=True).loc[:, list(TIDY_COLUMNS)]

    def with_dataset(self, dataset_id: str, rows: pd.DataFrame) -> IndicatorStore:
        """A store with one dataset's rows replaced (a session's preview of an upload)."""
        ids = {i.id for d in self.registry.datasets if d.id == dataset_id for i in d.indicators}
        kept = self._frame[~self._frame["indicator"].isin(ids)]
        return IndicatorStore(pd.concat([kept, rows.loc[:, list(TIDY_COLUMNS)]], ignore_index=True), self.registry)


_EMPTY = empty_store()
