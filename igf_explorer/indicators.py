"""The indicator store: tidy files in ``data/indicators`` (one per dataset) and the registry read from their sidecars.

Each row is one country × period × indicator: ``iso3, year, indicator, value`` plus optional ``status``, ``note``
and ``source`` (a row's own source where it differs from the dataset's). For Freedom on the Net, ``year`` is the
edition, and values are stored on the scale that edition was published on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pycountry

from igf_explorer.metadata import Sidecar, load_sidecars
from igf_explorer.problems import DataError, Problem
from igf_explorer.validation import validate_frame

INDICATORS_DIR = "indicators"
TIDY_COLUMNS: tuple[str, ...] = ("iso3", "year", "indicator", "value", "status", "note", "source")
KEY: list[str] = ["iso3", "year", "indicator"]
DIRECTIONS = ("higher_is_freer", "lower_is_freer", "by_edition", "not_applicable")
SCALES = ("higher_is_freer", "lower_is_freer")
# Codes producers use for economies without an ISO 3166-1 code of their own.
EXTRA_ECONOMY_CODES = frozenset({"XKX", "CHI"})


@lru_cache(maxsize=1)
def economy_codes() -> frozenset[str]:
    """Every code accepted in the ``iso3`` column."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | EXTRA_ECONOMY_CODES


def is_economy_code(code: str) -> bool:
    """ISO 3166-1 alpha-3, or a producer code for an economy without one (Kosovo XKX, Channel Islands CHI)."""
    return code in economy_codes()


@dataclass(frozen=True)
class IndicatorMeta:
    """One indicator: what it measures, in what unit and range, which way is freer, and the themes it measures."""

    id: str
    dataset: str
    name: str
    short_name: str
    unit: str
    range_min: float
    range_max: float
    direction: str
    themes: tuple[str, ...]
    source_codes: tuple[str, ...]
    decimals: int
    description: str
    categories: Mapping[float, str]
    statuses: tuple[str, ...] = ()  # the status vocabulary; empty when the indicator has no status


@dataclass(frozen=True)
class Periods:
    """Which periods a dataset can hold: the producer's first, the ones it skipped, and the period of interest."""

    label: str = "year"  # "edition" or "year"
    first: int = 1900
    skipped: tuple[int, ...] = ()
    keep_from: int | None = None  # earlier periods are left out on ingest unless --years says otherwise

    def refusal(self, period: int, this_year: int) -> str:
        """Why a period cannot be in the dataset ('' when it can)."""
        if period > this_year:
            return f"{self.label} {period} is in the future"
        if period < self.first:
            return f"{self.label} {period} is before the first one the producer published ({self.first})"
        if period in self.skipped:
            return f"the producer published no {period} {self.label}"
        return ""


@dataclass(frozen=True)
class Edition:
    """One edition of a periodical dataset: the scale its figures were published on and the period it covers."""

    year: int
    scale: str
    coverage_period: str


@dataclass(frozen=True)
class DatasetMeta:
    """A dataset file with its sidecar, its indicators and (for editions-based data) its editions."""

    id: str
    path: Path
    sidecar: Sidecar
    indicators: tuple[IndicatorMeta, ...]
    editions: Mapping[int, Edition]
    periods: Periods = Periods()
    single_vintage: bool = False  # a new vintage revises the whole series, so vintages must never be mixed

    def field(self, key: str, default: Any = None) -> Any:
        """A sidecar field."""
        return self.sidecar.get(key, default)


@dataclass(frozen=True)
class Registry:
    """Every dataset and indicator the store knows."""

    datasets: tuple[DatasetMeta, ...]

    @property
    def indicators(self) -> dict[str, IndicatorMeta]:
        """Indicators by id, in file order."""
        return {i.id: i for d in self.datasets for i in d.indicators}

    def indicator(self, indicator_id: str) -> IndicatorMeta:
        """The indicator with this id."""
        return self.indicators[indicator_id]

    def dataset_of(self, indicator_id: str) -> DatasetMeta:
        """The dataset that holds an indicator."""
        return next(d for d in self.datasets if any(i.id == indicator_id for i in d.indicators))

    def by_source_code(self, code: str) -> IndicatorMeta | None:
        """The indicator a producer's code (e.g. WDI ``IT.NET.USER.ZS``) maps to."""
        return next((i for i in self.indicators.values() if code in i.source_codes), None)


def _indicator_from(
    item: Mapping[str, Any], dataset: str, file: str, row: int, problems: list[Problem]
) -> IndicatorMeta | None:
    missing = [
        k for k in ("id", "name", "short_name", "unit", "range", "direction", "themes") if item.get(k) in (None, "", [])
    ]
    if missing:
        problems.append(Problem(file, f"indicator {row} lacks {', '.join(missing)}", row=row, column="indicators"))
        return None
    bounds = item["range"]
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, (int, float)) for b in bounds)):
        problems.append(Problem(file, f"indicator '{item['id']}': range must be [min, max]", row=row, column="range"))
        return None
    if item["direction"] not in DIRECTIONS:
        problems.append(
            Problem(
                file,
                f"indicator '{item['id']}': direction must be one of {', '.join(DIRECTIONS)}",
                row=row,
                column="direction",
            )
        )
    categories = item.get("categories") or {}
    return IndicatorMeta(
        id=str(item["id"]),
        dataset=dataset,
        name=str(item["name"]),
        short_name=str(item["short_name"]),
        unit=str(item["unit"]),
        range_min=float(bounds[0]),
        range_max=float(bounds[1]),
        direction=str(item["direction"]),
        themes=tuple(str(t) for t in item["themes"]),
        source_codes=tuple(str(c) for c in item.get("source_codes") or ()),
        decimals=int(item.get("decimals", 1)),
        description=str(item.get("description", "")),
        categories={float(k): str(v) for k, v in categories.items()},
        statuses=tuple(str(v) for v in item.get("statuses") or ()),
    )


def _periods_from(block: Any, file: str, problems: list[Problem]) -> Periods:
    if block is None:
        return Periods()
    if not isinstance(block, Mapping):
        problems.append(
            Problem(file, "'periods' must be a mapping (label, first, skipped, keep_from)", column="periods")
        )
        return Periods()
    try:
        keep_from = block.get("keep_from")
        return Periods(
            label=str(block.get("label", "year")),
            first=int(block.get("first", 1900)),
            skipped=tuple(int(y) for y in block.get("skipped") or ()),
            keep_from=int(keep_from) if keep_from is not None else None,
        )
    except (TypeError, ValueError) as exc:
        problems.append(Problem(file, f"'periods' has a value that is not a year: {exc}", column="periods"))
        return Periods()


def load_registry(data_dir: Path) -> Registry:
    """Read every sidecar under ``data/indicators`` that declares ``indicators``."""
    problems: list[Problem] = []
    datasets = []
    # Provenance completeness is `check`'s concern; loading needs only what describes the indicators.
    for sidecar in load_sidecars(data_dir, problems, under=INDICATORS_DIR, required=("id", "file")):
        file = f"{INDICATORS_DIR}/{sidecar.path.name}"
        items = sidecar.get("indicators")
        if not isinstance(items, list) or not items:
            problems.append(Problem(file, "needs a non-empty 'indicators' list", column="indicators"))
            continue
        indicators = [
            _indicator_from(item, str(sidecar.get("id")), file, n, problems) for n, item in enumerate(items, 1)
        ]
        editions = {}
        for year, edition in (sidecar.get("editions") or {}).items():
            scale = str((edition or {}).get("scale", ""))
            if scale not in SCALES:
                problems.append(
                    Problem(file, f"edition {year}: scale must be one of {', '.join(SCALES)}", column="editions")
                )
            editions[int(year)] = Edition(int(year), scale, str((edition or {}).get("coverage_period", "")))
        datasets.append(
            DatasetMeta(
                id=str(sidecar.get("id")),
                path=sidecar.data_path,
                sidecar=sidecar,
                indicators=tuple(i for i in indicators if i is not None),
                editions=editions,
                periods=_periods_from(sidecar.get("periods"), file, problems),
                single_vintage=bool(sidecar.get("single_vintage", False)),
            )
        )
    if problems:
        raise DataError(problems)
    return Registry(tuple(datasets))


def tidy_schema(registry: Registry) -> pa.DataFrameSchema:
    """The stored format: types, valid codes, known indicators, per-indicator ranges, unique keys."""
    indicators = registry.indicators
    lows = {i.id: i.range_min for i in indicators.values()}
    highs = {i.id: i.range_max for i in indicators.values()}

    def value_in_indicator_range(frame: pd.DataFrame) -> pd.Series:
        low = frame["indicator"].map(lows).astype(float)
        high = frame["indicator"].map(highs).astype(float)
        return frame["value"].between(low, high) | low.isna()

    return pa.DataFrameSchema(
        {
            # Text columns are checked by value, not dtype: ingest hands over categoricals, which pandera would
            # otherwise inspect cell by cell.
            "iso3": pa.Column(None, pa.Check.isin(sorted(economy_codes())), name="iso3"),
            "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
            "indicator": pa.Column(None, pa.Check.isin(list(indicators))),
            "value": pa.Column(float, nullable=False),
            "status": pa.Column(None),
            "note": pa.Column(None),
            "source": pa.Column(None),
        },
        checks=[pa.Check(value_in_indicator_range, name="value_within_indicator_range")],
        unique=KEY,
        strict=True,
        coerce=True,
    )


def empty_store() -> pd.DataFrame:
    """A store with no rows but the right columns and types."""
    return pd.DataFrame(
        {
            "iso3": pd.Series(dtype=str),
            "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype=str),
            "value": pd.Series(dtype=float),
            "status": pd.Series(dtype=str),
            "note": pd.Series(dtype=str),
            "source": pd.Series(dtype=str),
        }
    )


def read_tidy_file(path: Path) -> pd.DataFrame:
    """Read one stored file with fixed dtypes (empty text stays empty, never NaN)."""
    dtypes: dict[str, str] = {
        "iso3": "str",
        "indicator": "str",
        "status": "str",
        "note": "str",
        "source": "str",
        "year": "int64",
        "value": "float64",
    }
    na_values: dict[str, list[str]] = {"value": [""]}
    frame: pd.DataFrame = pd.read_csv(
        path, dtype=dtypes, keep_default_na=False, na_values=na_values, float_precision="round_trip"
    )
    return frame


def load_store(data_dir: Path, registry: Registry | None = None) -> tuple[pd.DataFrame, Registry]:
    """Every stored indicator row, validated, plus the registry.

    Raises
    ------
    DataError
        With every problem in every file.
    """
    registry = registry or load_registry(data_dir)
    problems: list[Problem] = []
    frames = []
    schema = tidy_schema(registry)
    for dataset in registry.datasets:
        display = f"{INDICATORS_DIR}/{dataset.path.name}"
        if not dataset.path.is_file():
            continue  # declared but not yet ingested
        try:
            frame = read_tidy_file(dataset.path)
        except (ValueError, pd.errors.ParserError) as exc:
            problems.append(Problem(display, f"cannot be read as the tidy format: {exc}"))
            continue
        valid, found = validate_frame(frame, schema, display)
        problems.extend(found)
        if valid is not None:
            own = {i.id for i in dataset.indicators}
            stray = sorted(set(valid["indicator"]) - own)
            if stray:
                problems.append(
                    Problem(
                        display,
                        f"holds indicators its sidecar does not declare: {', '.join(stray)}",
                        column="indicator",
                    )
                )
            frames.append(valid)
    if problems:
        raise DataError(problems)
    store = pd.concat(frames, ignore_index=True) if frames else empty_store()
    return store, registry
