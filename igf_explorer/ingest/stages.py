"""The named stages between a format's records and the tidy rows to merge.

Validate, resolve names, check periods, select years, collapse, gate: each reports every problem it finds and passes
on only the records without one, so that one run lists every problem of a file and none is reported twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from igf_explorer.countries import country_name
from igf_explorer.indicators import (
    KEY,
    TIDY_COLUMNS,
    DatasetMeta,
    Registry,
    is_economy_code,
    is_range_row,
    tidy_schema,
)
from igf_explorer.ingest.formats.base import located
from igf_explorer.names import resolve_names
from igf_explorer.numbers import cell_text, parse_number
from igf_explorer.problems import DataError, Problem
from igf_explorer.validation import failure_cases_to_problems

# Spreadsheet programs run cells that start like a formula; such text never belongs in a data file.
_FORMULA = re.compile(r"^\s*[=+@]|^\s*-[^\d\s.]")
_TEXT_COLUMNS = ("country", "status", "note", "source")


def per_value(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """Apply ``function`` once per distinct value and spread the results over the rows (inputs repeat a lot)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Work on the categories only; the result stays categorical, which keeps later checks cheap too.
        mapped = [function(value) for value in series.cat.categories]
        codes = series.cat.codes.to_numpy()
        if len(set(mapped)) == len(mapped) and all(isinstance(m, str) for m in mapped):
            return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(mapped)), index=series.index)
        # Booleans and numbers stay a typed array: an object array of a million flags costs a cast per check.
        typed = all(isinstance(m, (bool, float, int, np.bool_, np.number)) for m in mapped) and bool(mapped)
        return pd.Series(np.asarray(mapped, dtype=None if typed else object)[codes], index=series.index)
    uniques = pd.unique(series.to_numpy())
    mapping = {value: function(value) for value in uniques}
    return pd.Series(series.map(mapping).to_numpy(), index=series.index)


def _canonical(text: str) -> str:
    return " ".join(text.split()).casefold()


def validate_records(records: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, pd.Series, list[Problem]]:
    """Convert text to numbers; check years, indicators, values, ranges, statuses and text cells.

    Returns the converted records, a mask of the records with a problem, and the problems.
    """
    problems: list[Problem] = []
    year = per_value(records["year"], parse_number).astype(float)
    bad_year = year.isna() | (year % 1 != 0) | ~year.between(1900, 2100)
    problems += located(records, bad_year, "year '{year}' is not a year between 1900 and 2100", column="year_column")
    indicator = per_value(records["indicator"], cell_text)
    known = indicator.isin(list(registry.indicators))
    problems += located(
        records,
        ~known,
        "indicator '{indicator}' is not registered (see data/indicators/*.meta.yml)",
        column="indicator",
    )
    if pd.api.types.is_float_dtype(records["value"]):
        value = records["value"].where(np.isfinite(records["value"]))
        not_numeric = value.isna()
    else:
        value = per_value(records["value"], parse_number).astype(float)
        not_numeric = value.isna() & per_value(records["value"], lambda v: cell_text(v).strip() != "").astype(bool)
    problems += located(records, not_numeric, "value '{value}' is not a number")
    lows = indicator.map({i.id: i.range_min for i in registry.indicators.values()}).astype(float)
    highs = indicator.map({i.id: i.range_max for i in registry.indicators.values()}).astype(float)
    out_of_range = known & value.notna() & ~value.between(lows, highs)
    for indicator_id in indicator[out_of_range].unique():
        meta = registry.indicator(indicator_id)
        problems += located(
            records,
            out_of_range & indicator.eq(indicator_id),
            f"value {{value}} is outside the range of {indicator_id} ({meta.range_min:g}–{meta.range_max:g})",
        )
    bad = bad_year | ~known | not_numeric | out_of_range
    text_columns = {}
    for column in _TEXT_COLUMNS:
        text_columns[column] = per_value(records[column], cell_text)
        formula = per_value(records[column], lambda v: bool(_FORMULA.search(cell_text(v)))).astype(bool)
        problems += located(
            records,
            formula,
            f"{column} '{{{column}}}' looks like a spreadsheet formula; remove it",
            column="country_column" if column == "country" else column,
        )
        bad |= formula
    status, status_problems, bad_status = _statuses(records, indicator, text_columns["status"], registry)
    problems += status_problems
    converted = records.assign(year=year, value=value, indicator=indicator, **{**text_columns, "status": status})
    ranged, range_problems = _ranges(converted, known & ~not_numeric & ~bad_status, registry)
    problems += range_problems
    return converted, bad | bad_status | ranged, problems


def _ranges(records: pd.DataFrame, checked: pd.Series, registry: Registry) -> tuple[pd.Series, list[Problem]]:
    """A value is empty exactly where its status stands for a range (the sidecar's ``ranges``): never guessed."""
    problems: list[Problem] = []
    empty = records["value"].isna() & checked
    range_row = is_range_row(records, registry.indicators) & checked
    for indicator_id in pd.unique(records.loc[empty & ~range_row, "indicator"]):
        ranges = registry.indicator(str(indicator_id)).ranges
        either = f", or give it a status that stands for a range ({', '.join(ranges)})" if ranges else ""
        problems += located(
            records,
            empty & ~range_row & records["indicator"].eq(indicator_id),
            f"value is empty; leave the row out{either}",
        )
    given = range_row & ~empty
    for indicator_id in pd.unique(records.loc[given, "indicator"]):
        meta = registry.indicator(str(indicator_id))
        for status, (low, high) in meta.ranges.items():
            problems += located(
                records,
                given & records["indicator"].eq(indicator_id) & records["status"].eq(status),
                f"status '{status}' stands for a range ({low:g}–{high:g}), so the value must be empty, not {{value}}",
            )
    return (empty & ~range_row) | given, problems


def _statuses(
    records: pd.DataFrame, indicator: pd.Series, status: pd.Series, registry: Registry
) -> tuple[pd.Series, list[Problem], pd.Series]:
    """Statuses in their indicator's vocabulary (case and spacing normalised); anything else is a problem."""
    problems: list[Problem] = []
    bad = pd.Series(False, index=records.index)
    result = status.astype(object)
    for meta in registry.indicators.values():
        if not meta.statuses:
            continue
        mine = indicator.eq(meta.id)
        if not mine.any():
            continue
        vocabulary = {_canonical(s): s for s in meta.statuses}

        def in_vocabulary(text: str, vocabulary: dict[str, str] = vocabulary) -> str | None:
            return vocabulary.get(_canonical(text), None if text.strip() else "")

        mapped = per_value(status[mine], in_vocabulary)
        unknown = pd.Series(False, index=records.index)
        unknown[mine] = mapped.isna().to_numpy()
        problems += located(
            records.assign(status=status),
            unknown,
            f"status '{{status}}' is not one of {', '.join(meta.statuses)} ({meta.id})",
            column="status",
        )
        result[mine] = mapped.fillna("").to_numpy()
        bad |= unknown
    return result.astype(str), problems, bad


@dataclass(frozen=True)
class NameMapping:
    """One distinct country name or code of the input and the country it became."""

    name: str
    iso3: str
    country: str
    how: str  # code, exact name, alias, override; or unknown, ambiguous
    rows: int


_HOW = {"code": "code", "exact": "exact name", "alias": "alias", "override": "override"}


def harmonize_countries(
    records: pd.DataFrame, overrides: Mapping[str, str], data_dir: Path | None = None
) -> tuple[pd.DataFrame, pd.Series, list[Problem], list[NameMapping]]:
    """Give every record an ISO3 code: codes given are checked, names resolved exactly or by alias, never guessed.

    A row that gives both a name and a code must agree on the country. Returns the records with ``iso3``, a mask of
    the records without a country, the problems, and the name → code mapping for the report.
    """
    problems: list[Problem] = []
    iso3 = per_value(records["iso3"], lambda v: cell_text(v).strip().upper())
    has_code = iso3.ne("")
    bad_code = has_code & ~per_value(iso3, is_economy_code).astype(bool)
    problems += located(
        records.assign(iso3=iso3), bad_code, "'{iso3}' is not an ISO 3166-1 alpha-3 code", column="iso3"
    )
    names = per_value(records["country"], lambda v: " ".join(cell_text(v).split()))
    distinct = [n for n in pd.unique(names.to_numpy()) if n]
    try:
        resolutions = resolve_names(distinct, overrides, data_dir=data_dir) if distinct else {}
    except DataError as error:
        # Without the alias file, "Congo" would pass as an exact name: refuse rather than resolve less strictly.
        problems += error.problems
        return records.assign(iso3=iso3), pd.Series(True, index=records.index), problems, []
    counts = names.value_counts()
    mappings: list[NameMapping] = []
    resolved_code = per_value(names, lambda n: (resolutions[n].iso3 or "") if n in resolutions else "")
    for name, resolution in resolutions.items():
        mask = names.eq(name)
        if resolution.iso3:
            given = iso3[mask & has_code]
            if given.empty or not given.ne(resolution.iso3).any():
                how = _HOW.get(resolution.how, resolution.how)
                mappings.append(
                    NameMapping(name, resolution.iso3, country_name(resolution.iso3), how, int(counts[name]))
                )
                continue
            # The name says one country and the code another: a wrong-country landing if either were trusted.
            conflict = mask & has_code & iso3.ne(resolution.iso3)
            problems += located(
                records.assign(iso3=iso3),
                conflict,
                f"country '{name}' is {resolution.iso3} ({country_name(resolution.iso3)}), but its iso3 says "
                "'{iso3}'; correct one of them",
                column="country_column",
            )
            bad_code |= conflict
            continue
        if not (mask & ~has_code).any():
            continue  # a name the code already settles (e.g. WDI's "Egypt, Arab Rep." beside EGY)
        unresolved = mask & ~has_code
        rows = records.loc[unresolved, "row"].astype(int).tolist()
        first = records[unresolved].iloc[0]
        where = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        fix = f"Pass --override '{name}=ISO3'"
        if resolution.status == "ambiguous":
            options = " or ".join(f"{c} ({country_name(c)})" for c in resolution.candidates)
            message = f"country name '{name}' is ambiguous ({options}); rows {where}. {fix}"
        else:
            likely = ", ".join(f"{c} ({country_name(c)})" for c in resolution.candidates)
            message = f"country name '{name}' is not recognised{f' (did you mean {likely}?)' if likely else ''}; rows {where}. {fix}"
        problems.append(
            Problem(str(first["file"]), message, row=int(first["row"]), column=str(first["country_column"]) or None)
        )
        mappings.append(NameMapping(name, "", "", resolution.status, int(unresolved.sum())))
    # Codes whose rows carry a name that resolved to the same code are listed once, under that name.
    for code, count in iso3[has_code & ~bad_code & resolved_code.eq("")].value_counts().items():
        if count == 0:
            continue  # a category of a categorical column that no kept row uses
        mappings.append(NameMapping(str(code), str(code), country_name(str(code)), "code", int(count)))
    final = iso3 if has_code.all() else iso3.astype(object).where(has_code, resolved_code)
    missing = bad_code | final.eq("")
    return records.assign(iso3=final), missing, problems, mappings


def check_periods(records: pd.DataFrame, registry: Registry, this_year: int) -> tuple[pd.Series, list[Problem]]:
    """Every period is one the producer could have published: not in the future, not before its first, not skipped."""
    problems: list[Problem] = []
    bad = pd.Series(False, index=records.index)
    datasets = {registry.dataset_of(i).id: registry.dataset_of(i) for i in records["indicator"].unique()}
    for dataset in datasets.values():
        mine = records["indicator"].isin([i.id for i in dataset.indicators])
        for year in sorted(records.loc[mine, "year"].dropna().unique()):
            why = dataset.periods.refusal(int(year), this_year)
            if why:
                hit = mine & records["year"].eq(year)
                problems += located(records, hit, f"{why} ({dataset.id})", column="year_column")[:1]
                bad |= hit
    return bad, problems


def select_years(
    records: pd.DataFrame, dataset: DatasetMeta, years: tuple[int, int] | None
) -> tuple[pd.DataFrame, list[str]]:
    """Keep the periods asked for (``--years``), else the dataset's period of interest (its sidecar's ``keep_from``)."""
    if years is None and dataset.periods.keep_from is None:
        return records, []
    first, last = years if years is not None else (dataset.periods.keep_from or 1900, 2100)
    keep = records["year"].between(first, last)
    if keep.all():
        return records, []
    why = "--years" if years is not None else f"the period of interest in {dataset.sidecar.path.name}"
    span = f"{first}–{last}" if years is not None else f"before {first}"
    return records[keep], [
        f"{int((~keep).sum())} values {span if years is None else 'outside ' + span} left out ({why})"
    ]


def collapse(records: pd.DataFrame, counts_events: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per key: events counted, or repeated keys checked for conflicting values."""
    if counts_events:
        counted = records.groupby(KEY, as_index=False, observed=True).agg(value=("value", "size"))
        tidy = counted.assign(status="", note="", source="")
        return tidy.loc[:, list(TIDY_COLUMNS)], []
    problems: list[Problem] = []
    duplicated = records.duplicated(KEY, keep=False)
    if duplicated.any():
        for key, group in records[duplicated].groupby(KEY, observed=True):
            if group["value"].nunique(dropna=False) > 1 or group["status"].nunique() > 1:
                values = ", ".join(f"{v:g} (row {r})" for v, r in zip(group["value"], group["row"], strict=True))
                problems.append(
                    Problem(
                        str(group["file"].iloc[0]),
                        f"{key[0]} {key[1]:g} {key[2]} is given twice with different values: {values}",
                        row=int(group["row"].iloc[1]),
                        column=str(group["column"].iloc[1]) or "value",
                    )
                )
    tidy = records.drop_duplicates(KEY, keep="first") if duplicated.any() else records
    return tidy.loc[:, list(TIDY_COLUMNS)].reset_index(drop=True), problems


def gate(tidy: pd.DataFrame, registry: Registry, label: str) -> list[Problem]:
    """The stored schema (pandera, lazy) as the last check, so nothing the store would refuse is written."""
    from pandera.errors import SchemaErrors

    try:
        tidy_schema(registry).validate(tidy, lazy=True)
    except SchemaErrors as exc:
        # Rows here are positions in the collapsed table, not in the input file, so they are not shown.
        return [replace(p, row=None) for p in failure_cases_to_problems(exc.failure_cases, label)]
    return []
