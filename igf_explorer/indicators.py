"""The indicator store (tidy files in ``data/indicators``, one per dataset) and the typed registry of its sidecars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import pandas as pd
import pandera.pandas as pa
import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from igf_explorer.metadata import Sidecar, load_sidecars
from igf_explorer.problems import DataError, Problem
from igf_explorer.validation import validate_frame

INDICATORS_DIR = "indicators"
# One row per country × period × indicator, plus a category label, a note and the row's own source where it differs
# from the dataset's. For editions-based data (Freedom on the Net) ``year`` is the edition, and values are stored on
# the scale that edition was published on.
TIDY_COLUMNS: tuple[str, ...] = ("iso3", "year", "indicator", "value", "status", "note", "source")
KEY: list[str] = ["iso3", "year", "indicator"]
# Company datasets (``kind: company`` in the sidecar) hold one row per company × period × indicator, the company by
# its id in ``data/companies/companies.yaml``.
COMPANY_TIDY_COLUMNS: tuple[str, ...] = ("company", "year", "indicator", "value", "status", "note", "source")
COMPANY_KEY: list[str] = ["company", "year", "indicator"]
DatasetKind = Literal["country", "company"]
# Codes producers use for economies without an ISO 3166-1 code of their own.
EXTRA_ECONOMY_CODES = frozenset({"XKX", "CHI"})


@lru_cache(maxsize=1)
def economy_codes() -> frozenset[str]:
    """Every code accepted in the ``iso3`` column."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | EXTRA_ECONOMY_CODES


def is_economy_code(code: str) -> bool:
    """ISO 3166-1 alpha-3, or a producer code for an economy without one (Kosovo XKX, Channel Islands CHI)."""
    return code in economy_codes()


Direction = Literal["higher_is_freer", "lower_is_freer", "by_edition", "not_applicable"]
PublishedScale = Literal["higher_is_freer", "lower_is_freer"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
SCALES: tuple[str, ...] = get_args(PublishedScale)
# Ids appear in URLs (?indicator=…) and as column names, so they stay plain.
IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
# A misspelt key in a sidecar must be a problem, not a silently ignored field.
_SIDECAR_MODEL = ConfigDict(frozen=True, extra="forbid")
# The error type of the cross-field rules below, so that their messages are not followed by the offending input.
_MISFIT = "inconsistent"


def _misfit(reasons: list[str]) -> PydanticCustomError:
    return PydanticCustomError(_MISFIT, "{reason}", {"reason": "; ".join(reasons)})


def _not_empty(items: tuple[Any, ...]) -> tuple[Any, ...]:
    # An after-validator rather than min_length, which counts only the valid items and so adds a second, false
    # problem to a list whose one item is wrong.
    if not items:
        raise _misfit(["needs at least one item"])
    return items


class StatusBand(BaseModel):
    """The scores a status covers on the display scale, so that a map can name the band where no status is published."""

    model_config = _SIDECAR_MODEL

    status: Text
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> StatusBand:
        if self.min > self.max:
            raise _misfit([f"min {self.min:g} is above max {self.max:g}"])
        return self


# Palette names only: the colours themselves are drawing detail (igf_explorer/figures.py), checked against these.
SequentialPalette = Literal["viridis", "cividis", "inferno"]
CategoricalPalette = Literal["okabe-ito", "tol-high-contrast"]
Palette = Literal[SequentialPalette, CategoricalPalette]
SEQUENTIAL_PALETTES: tuple[str, ...] = get_args(SequentialPalette)
CATEGORICAL_PALETTES: tuple[str, ...] = get_args(CategoricalPalette)


class Display(BaseModel):
    """How an indicator is drawn, ranked and worded: its sidecar's ``display`` block.

    Attributes
    ----------
    colour
        ``linear``, ``log`` (a skewed count, coloured by log(1 + value)) or ``categories``.
    scale_max
        The top of the colour range on the display scale; ``None`` for an open-ended count (the largest value stored).
    legend
        The legend's direction words, e.g. "↑ higher = freer".
    ranking, ranking_title
        The order of a ranking (``descending`` or ``ascending``) and the words that say what it means.
    absent, absent_words
        The state and the words for a country without a figure in a period ("no data", "no figure for this edition").
    not_covered
        Whether a country never in the series is "not covered" rather than ``absent``.
    chart
        ``lines`` or ``bars`` for a country's series.
    status_bands
        Each status's score band on the display scale; empty when the indicator has no bands.
    palette, high_contrast_palette
        The colours of the map and its legend, by name, normally and with the high-contrast switch on: a sequential
        scale (``viridis``, ``cividis``, ``inferno``) for numbers, a categorical set (``okabe-ito``,
        ``tol-high-contrast``) for categories. Every one is safe for colour-blind readers (tests/unit/test_palettes.py).
    """

    model_config = _SIDECAR_MODEL

    colour: Literal["linear", "log", "categories"]
    scale_max: float | None
    legend: Text
    ranking: Literal["descending", "ascending"]
    ranking_title: Text
    absent: Text
    absent_words: Text
    not_covered: bool
    chart: Literal["lines", "bars"]
    status_bands: tuple[StatusBand, ...] = ()
    palette: Palette
    high_contrast_palette: Palette


def display_defaults(item: Mapping[str, Any], period_label: str = "year") -> dict[str, Any]:
    """The ``display`` an indicator gets for every key its sidecar leaves out, derived from the indicator itself.

    Categories are coloured as categories and a missing one is "unknown"; anything else is a linear scale up to the
    indicator's range maximum, whose missing figures are "no data".
    """
    bounds = item.get("range")
    top = bounds[1] if isinstance(bounds, (list, tuple)) and len(bounds) == 2 else None
    categorical = bool(item.get("categories"))
    return {
        "colour": "categories" if categorical else "linear",
        "scale_max": top if isinstance(top, (int, float)) else None,
        "legend": "one colour per category" if categorical else "↑ higher = more",
        "ranking": "descending",
        "ranking_title": "Highest first",
        "absent": "unknown" if categorical else "no data",
        "absent_words": "not known from the sources" if categorical else f"no data for this {period_label}",
        "not_covered": False,
        "chart": "lines",
        "palette": "okabe-ito" if categorical else "viridis",
        "high_contrast_palette": "tol-high-contrast" if categorical else "inferno",
    }


class IndicatorMeta(BaseModel):
    """One indicator: what it measures, its unit and range, which way is freer, its themes, and how it is drawn.

    The sidecar gives ``range`` as ``[min, max]``; ``range_min`` and ``range_max`` read it.
    """

    model_config = _SIDECAR_MODEL

    id: IndicatorId
    dataset: Text
    name: Text
    short_name: Text
    unit: Text
    range: tuple[float, float]
    direction: Direction
    themes: Annotated[tuple[Text, ...], AfterValidator(_not_empty)]
    source_codes: tuple[Text, ...] = ()
    decimals: int = Field(default=1, ge=0)
    description: str = ""
    categories: Mapping[float, Text] = Field(default_factory=dict)
    statuses: tuple[Text, ...] = ()  # the status vocabulary; empty when the indicator has no status
    # Statuses that stand for a value published as a range ("fewer than 10": [0, 9]): such a row's value is empty.
    ranges: Mapping[Text, tuple[float, float]] = Field(default_factory=dict)
    display: Display  # last, so that its checks see every other field

    @property
    def range_min(self) -> float:
        """The smallest value the indicator can take."""
        return self.range[0]

    @property
    def range_max(self) -> float:
        """The largest value the indicator can take."""
        return self.range[1]

    @model_validator(mode="before")
    @classmethod
    def _display_with_defaults(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, Mapping):
            return data
        given = data.get("display")
        if given is None:
            given = {}
        if not isinstance(given, Mapping):
            return data  # the display field reports that it is not a mapping
        label = str((info.context or {}).get("period_label", "year"))
        return {**data, "display": {**display_defaults(data, label), **given}}

    @field_validator("range")
    @classmethod
    def _range_ordered(cls, bounds: tuple[float, float]) -> tuple[float, float]:
        if bounds[0] >= bounds[1]:
            raise _misfit([f"min {bounds[0]:g} must be below max {bounds[1]:g}"])
        return bounds

    @field_validator("ranges")
    @classmethod
    def _ranges_fit(
        cls, ranges: Mapping[str, tuple[float, float]], info: ValidationInfo
    ) -> Mapping[str, tuple[float, float]]:
        data = info.data
        reasons = [f"range '{s}': min {a:g} is above max {b:g}" for s, (a, b) in ranges.items() if a > b]
        if "statuses" in data:
            reasons.extend(
                f"range '{s}' is not one of the statuses ({', '.join(data['statuses']) or 'none'})"
                for s in ranges
                if s not in data["statuses"]
            )
        if "range" in data:
            low, high = data["range"]
            reasons.extend(
                f"range '{s}' ({a:g}–{b:g}) is outside the range {low:g}–{high:g}"
                for s, (a, b) in ranges.items()
                if a < low or b > high
            )
        if reasons:
            raise _misfit(reasons)
        return ranges

    @field_validator("display")
    @classmethod
    def _display_fits(cls, display: Display, info: ValidationInfo) -> Display:
        # info.data holds only the fields that validated, so each rule runs only when its fields are sound.
        data = info.data
        reasons = []
        if "categories" in data and (display.colour == "categories") != bool(data["categories"]):
            reasons.append("colour 'categories' goes with the indicator's categories, and only with them")
        wanted = CATEGORICAL_PALETTES if display.colour == "categories" else SEQUENTIAL_PALETTES
        reasons.extend(
            f"{name} '{value}' does not suit colour '{display.colour}' (use one of {', '.join(wanted)})"
            for name, value in (("palette", display.palette), ("high_contrast_palette", display.high_contrast_palette))
            if value not in wanted
        )
        if "range" in data:
            low, high = data["range"]
            if display.scale_max is not None and not low < display.scale_max <= high:
                reasons.append(f"scale_max {display.scale_max:g} is outside the range {low:g}–{high:g}")
            reasons.extend(
                f"status band '{band.status}' ({band.min:g}–{band.max:g}) is outside the range {low:g}–{high:g}"
                for band in display.status_bands
                if band.min < low or band.max > high
            )
        if "statuses" in data:
            reasons.extend(
                f"status band '{band.status}' is not one of the statuses ({', '.join(data['statuses']) or 'none'})"
                for band in display.status_bands
                if band.status not in data["statuses"]
            )
        ordered = sorted(display.status_bands, key=lambda band: band.min)
        reasons.extend(
            f"status bands '{lower.status}' and '{upper.status}' overlap"
            for lower, upper in zip(ordered, ordered[1:], strict=False)
            if upper.min <= lower.max
        )
        if reasons:
            raise _misfit(reasons)
        return display


class Periods(BaseModel):
    """Which periods a dataset can hold: the producer's first, the ones it skipped, and the period of interest."""

    model_config = _SIDECAR_MODEL

    label: Literal["edition", "year"] = "year"
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


class Edition(BaseModel):
    """One edition of a periodical dataset: its published scale, the period it covers, and the countries assessed.

    ``size`` is how many countries the producer assessed that edition, where the research gives it.
    """

    model_config = _SIDECAR_MODEL

    year: int
    scale: PublishedScale
    coverage_period: str = ""
    size: PositiveInt | None = None


class Expectation(BaseModel):
    """What the stored rows of one indicator must hold, from the research notes; ``igf-explorer check`` compares.

    Attributes
    ----------
    source
        Where the numbers come from.
    periods
        The first and last period stored: every period between them is stored, except the producer's skipped ones,
        and no other.
    countries
        Countries with a figure, per period.
    sums
        The sum of the figures, per period (a count's total).
    value_counts
        Rows per value over all periods (for categories).
    figures
        Spot checks: period → ISO3 → the figure as stored.
    notes
        Spot checks of what a row's note says: period → ISO3 → text the stored note contains (a published half-year
        figure behind a yearly sum, "2021-06-30: 404").
    """

    model_config = _SIDECAR_MODEL

    source: Text
    periods: tuple[int, int] | None = None
    countries: Mapping[int, NonNegativeInt] = Field(default_factory=dict)
    sums: Mapping[int, float] = Field(default_factory=dict)
    value_counts: Mapping[float, NonNegativeInt] = Field(default_factory=dict)
    figures: Mapping[int, Mapping[str, float]] = Field(default_factory=dict)
    notes: Mapping[int, Mapping[str, Text]] = Field(default_factory=dict)

    @field_validator("periods")
    @classmethod
    def _periods_ordered(cls, span: tuple[int, int] | None) -> tuple[int, int] | None:
        if span is not None and span[0] > span[1]:
            raise _misfit([f"first {span[0]} is after last {span[1]}"])
        return span


class DatasetMeta(BaseModel):
    """A dataset file with its sidecar, its indicators, its editions (for editions-based data) and its expectations."""

    model_config = _SIDECAR_MODEL

    id: Text
    path: Path
    sidecar: Sidecar
    kind: DatasetKind = "country"  # what a row is about: a country (iso3) or a company (its id)
    # Where the dataset comes in pickers and defaults (lower first, then by file name): the map with no indicator
    # chosen opens on the first dataset's first indicator.
    position: int = 100
    indicators: Annotated[tuple[IndicatorMeta, ...], AfterValidator(_not_empty)]
    editions: Mapping[int, Edition] = Field(default_factory=dict)
    periods: Periods = Periods()
    single_vintage: bool = False  # a new vintage revises the whole series, so vintages must never be mixed
    expect: Mapping[str, Expectation] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _keys_into_items(cls, data: Any) -> Any:
        # The sidecar names an indicator's dataset by nesting it and an edition's year by its key.
        if not isinstance(data, Mapping):
            return data
        data = {key: value for key, value in data.items() if value is not None}
        items = data.get("indicators")
        if isinstance(items, list):
            data["indicators"] = [
                {**item, "dataset": data.get("id")} if isinstance(item, Mapping) else item for item in items
            ]
        editions = data.get("editions")
        if isinstance(editions, Mapping):
            data["editions"] = {
                year: {**(edition or {}), "year": year} if edition is None or isinstance(edition, Mapping) else edition
                for year, edition in editions.items()
            }
        return data

    @field_validator("expect")
    @classmethod
    def _expect_declared(cls, expect: Mapping[str, Expectation], info: ValidationInfo) -> Mapping[str, Expectation]:
        if "indicators" in info.data:
            unknown = sorted(set(expect) - {i.id for i in info.data["indicators"]})
            if unknown:
                raise _misfit([f"expectations for indicators the sidecar does not declare: {', '.join(unknown)}"])
        return expect

    def field(self, key: str, default: Any = None) -> Any:
        """A sidecar field."""
        return self.sidecar.get(key, default)

    def partial(self, year: int, countries: int) -> bool:
        """Whether ``countries`` figures are fewer than the producer assessed in an edition.

        False when the edition's size is not known (no research gives it), so only a known shortfall is called partial.
        """
        edition = self.editions.get(year)
        return edition is not None and edition.size is not None and countries < edition.size


@dataclass(frozen=True)
class Registry:
    """Every dataset and indicator the store knows.

    ``datasets`` (and so ``indicators``, ``indicator``, ``dataset_of``) are the country datasets only, whose rows the
    maps, profiles and the tidy store hold; ``company_datasets`` are the ``kind: company`` ones, read by
    :func:`load_company_store` (see :mod:`igf_explorer.companies`).
    """

    datasets: tuple[DatasetMeta, ...]
    company_datasets: tuple[DatasetMeta, ...] = ()

    @cached_property
    def company_indicators(self) -> Mapping[str, IndicatorMeta]:
        """Company indicators by id, in file order."""
        return {i.id: i for d in self.company_datasets for i in d.indicators}

    def company_dataset_of(self, indicator_id: str) -> DatasetMeta:
        """The company dataset that holds an indicator."""
        return next(d for d in self.company_datasets if any(i.id == indicator_id for i in d.indicators))

    @property
    def companies_only(self) -> Registry:
        """A registry whose (country) datasets are these company datasets: for code written against ``datasets``."""
        return Registry(self.company_datasets)

    @cached_property
    def indicators(self) -> Mapping[str, IndicatorMeta]:
        """Indicators by id, in file order (built once per registry)."""
        return {i.id: i for d in self.datasets for i in d.indicators}

    @cached_property
    def _datasets_by_indicator(self) -> Mapping[str, DatasetMeta]:
        return {i.id: d for d in self.datasets for i in d.indicators}

    def indicator(self, indicator_id: str) -> IndicatorMeta:
        """The indicator with this id."""
        return self.indicators[indicator_id]

    def dataset_of(self, indicator_id: str) -> DatasetMeta:
        """The dataset that holds an indicator."""
        return self._datasets_by_indicator[indicator_id]

    def by_source_code(self, code: str) -> IndicatorMeta | None:
        """The indicator a producer's code (e.g. WDI ``IT.NET.USER.ZS``) maps to."""
        return next((i for i in self.indicators.values() if code in i.source_codes), None)


def validation_problems(error: ValidationError, file: str, items: Any = None) -> list[Problem]:
    """Each of pydantic's errors as a located problem: row = the indicator's position, column = the field's path.

    ``items`` is the sidecar's raw ``indicators`` list, so that a problem can name the indicator by its id.
    """
    problems = []
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        row, where, prefix = None, loc, ""
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            row, where = loc[1] + 1, loc[2:]
            item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
            ident = item.get("id") if isinstance(item, Mapping) else None
            prefix = f"indicator '{ident}': " if ident else f"indicator {row}: "
        column = ".".join(str(part) for part in where) or ".".join(str(part) for part in loc) or None
        problems.append(Problem(file, prefix + _wording(detail), row=row, column=column))
    return problems


def _wording(detail: ErrorDetails) -> str:
    kind, found = detail["type"], detail.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{detail['loc'][-1]}' (misspelt?)"
    message = detail["msg"]
    if kind != _MISFIT and not isinstance(found, (Mapping, list, tuple)):
        message += f", not {found!r}"
    return message[:1].lower() + message[1:]


def load_registry(data_dir: Path) -> Registry:
    """Read every sidecar under ``data/indicators`` into typed datasets and indicators.

    Raises
    ------
    DataError
        With every problem in every sidecar, each located by file, row (the indicator's position) and column.
    """
    problems: list[Problem] = []
    datasets: list[DatasetMeta] = []
    company_datasets: list[DatasetMeta] = []
    # Provenance completeness is `check`'s concern; loading needs only what describes the indicators.
    for sidecar in load_sidecars(data_dir, problems, under=INDICATORS_DIR, required=("id", "file")):
        file = f"{INDICATORS_DIR}/{sidecar.path.name}"
        fields = {key: sidecar.get(key) for key in DatasetMeta.model_fields if key not in ("path", "sidecar")}
        periods = sidecar.get("periods")
        label = periods.get("label") if isinstance(periods, Mapping) else None
        # Default wording names the dataset's periods ("no data for this edition"); a bad label is reported anyway.
        context = {"period_label": label if label in ("edition", "year") else "year"}
        try:
            dataset = DatasetMeta.model_validate(
                {**fields, "path": sidecar.data_path, "sidecar": sidecar}, context=context
            )
        except ValidationError as exc:
            problems.extend(validation_problems(exc, file, sidecar.get("indicators")))
            continue
        (company_datasets if dataset.kind == "company" else datasets).append(dataset)
    every = [i.id for d in datasets + company_datasets for i in d.indicators]
    problems.extend(
        Problem(INDICATORS_DIR, f"indicator id '{ident}' is declared by more than one sidecar", column="indicators.id")
        for ident in sorted({i for i in every if every.count(i) > 1})
    )
    if problems:
        raise DataError(problems)
    datasets.sort(key=lambda d: d.position)  # stable: file order among equals
    company_datasets.sort(key=lambda d: d.position)
    return Registry(tuple(datasets), tuple(company_datasets))


def range_statuses(indicators: Mapping[str, IndicatorMeta]) -> set[tuple[str, str]]:
    """(indicator, status) of every status that stands for a range: the only rows whose value is empty."""
    return {(i.id, status) for i in indicators.values() for status in i.ranges}


def is_range_row(frame: pd.DataFrame, indicators: Mapping[str, IndicatorMeta]) -> pd.Series:
    """Rows whose status is a range status of their indicator (their value is empty, never a number)."""
    pairs = range_statuses(indicators)
    if not pairs:
        return pd.Series(False, index=frame.index, dtype=bool)
    keys = pd.MultiIndex.from_arrays([frame["indicator"].astype(str), frame["status"].astype(str)])
    return pd.Series(keys.isin(list(pairs)), index=frame.index, dtype=bool)


def value_checks(indicators: Mapping[str, IndicatorMeta]) -> list[pa.Check]:
    """Each value within its indicator's range, and empty exactly where its status stands for a range."""
    lows = {i.id: i.range_min for i in indicators.values()}
    highs = {i.id: i.range_max for i in indicators.values()}

    def value_in_indicator_range(frame: pd.DataFrame) -> pd.Series:
        low = frame["indicator"].map(lows).astype(float)
        high = frame["indicator"].map(highs).astype(float)
        return frame["value"].between(low, high) | low.isna() | frame["value"].isna()

    def value_empty_only_for_a_range(frame: pd.DataFrame) -> pd.Series:
        return frame["value"].isna() == is_range_row(frame, indicators)

    return [
        pa.Check(value_in_indicator_range, name="value_within_indicator_range"),
        pa.Check(value_empty_only_for_a_range, name="value_empty_only_for_a_range_status"),
    ]


def tidy_schema(registry: Registry) -> pa.DataFrameSchema:
    """The stored format: types, valid codes, known indicators, per-indicator ranges, unique keys."""
    indicators = registry.indicators
    return pa.DataFrameSchema(
        {
            # Text columns are checked by value, not dtype: ingest hands over categoricals, which pandera would
            # otherwise inspect cell by cell.
            "iso3": pa.Column(None, pa.Check.isin(sorted(economy_codes())), name="iso3"),
            "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
            "indicator": pa.Column(None, pa.Check.isin(list(indicators))),
            # Empty only for a range status (value_empty_only_for_a_range below).
            "value": pa.Column(float, nullable=True),
            "status": pa.Column(None),
            "note": pa.Column(None),
            "source": pa.Column(None),
        },
        checks=value_checks(indicators),
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


# --- company datasets ------------------------------------------------------------------------------------------------


def company_tidy_schema(registry: Registry, company_ids: frozenset[str] | set[str]) -> pa.DataFrameSchema:
    """The stored format of company datasets: known companies and company indicators, ranges, unique keys."""
    indicators = registry.company_indicators
    lows = {i.id: i.range_min for i in indicators.values()}
    highs = {i.id: i.range_max for i in indicators.values()}

    def value_in_indicator_range(frame: pd.DataFrame) -> pd.Series:
        low = frame["indicator"].map(lows).astype(float)
        high = frame["indicator"].map(highs).astype(float)
        return frame["value"].between(low, high) | low.isna()

    return pa.DataFrameSchema(
        {
            "company": pa.Column(None, pa.Check.isin(sorted(company_ids)), name="company"),
            "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
            "indicator": pa.Column(None, pa.Check.isin(list(indicators))),
            "value": pa.Column(float, nullable=False),
            "status": pa.Column(None),
            "note": pa.Column(None),
            "source": pa.Column(None),
        },
        checks=[pa.Check(value_in_indicator_range, name="value_within_indicator_range")],
        unique=COMPANY_KEY,
        strict=True,
        coerce=True,
    )


def empty_company_store() -> pd.DataFrame:
    """A company store with no rows but the right columns and types."""
    return empty_store().rename(columns={"iso3": "company"}).loc[:, list(COMPANY_TIDY_COLUMNS)]


def read_company_tidy_file(path: Path) -> pd.DataFrame:
    """Read one stored company file with fixed dtypes (empty text stays empty, never NaN)."""
    dtypes: dict[str, str] = {
        "company": "str",
        "indicator": "str",
        "status": "str",
        "note": "str",
        "source": "str",
        "year": "int64",
        "value": "float64",
    }
    frame: pd.DataFrame = pd.read_csv(
        path, dtype=dtypes, keep_default_na=False, na_values={"value": [""]}, float_precision="round_trip"
    )
    return frame


def load_company_store(
    data_dir: Path, registry: Registry | None = None, company_ids: frozenset[str] | None = None
) -> tuple[pd.DataFrame, Registry]:
    """Every stored company row (the ``kind: company`` datasets), validated, plus the registry.

    ``company_ids`` are the companies a row may name (by default those of ``data/companies/companies.yaml``).

    Raises
    ------
    DataError
        With every problem in every file (and in the company list).
    """
    registry = registry or load_registry(data_dir)
    if not registry.company_datasets:
        return empty_company_store(), registry
    if company_ids is None:
        from igf_explorer.companies import load_companies

        company_ids = load_companies(data_dir).ids
    problems: list[Problem] = []
    frames = []
    schema = company_tidy_schema(registry, company_ids)
    for dataset in registry.company_datasets:
        display = f"{INDICATORS_DIR}/{dataset.path.name}"
        if not dataset.path.is_file():
            continue  # declared but not yet ingested
        try:
            frame = read_company_tidy_file(dataset.path)
        except (ValueError, pd.errors.ParserError) as exc:
            problems.append(Problem(display, f"cannot be read as the company tidy format: {exc}"))
            continue
        valid, found = validate_frame(frame, schema, display)
        problems.extend(found)
        if valid is not None:
            stray = sorted(set(valid["indicator"]) - {i.id for i in dataset.indicators})
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
    frame = pd.concat(frames, ignore_index=True) if frames else empty_company_store()
    return frame, registry
