"""The ingest pipeline: read → validate → harmonize country names → aggregate → diff → (write + history)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from igf_explorer.indicators import (
    KEY,
    TIDY_COLUMNS,
    DatasetMeta,
    Registry,
    empty_store,
    load_store,
    tidy_schema,
)
from igf_explorer.ingest.adapters import ADAPTERS, Extracted, Options, UnsupportedFormat, detect_format
from igf_explorer.ingest.reading import DEFAULT_MAX_BYTES, open_input
from igf_explorer.ingest.store import (
    Diff,
    append_log,
    diff_rows,
    ensure_initial_entry,
    in_scope,
    sidecar_text,
    tidy_csv_bytes,
    write_atomic,
)
from igf_explorer.metadata import sha256_of
from igf_explorer.names import resolve_names
from igf_explorer.problems import DataError, Problem
from igf_explorer.validation import failure_cases_to_problems

MAX_PROBLEMS_PER_KIND = 50
# Spreadsheet programs run cells that start like a formula; such text never belongs in a data file.
_FORMULA = r"^\s*[=+@]|^\s*-[^\d\s.]"
_TEXT_COLUMNS = ("country", "status", "note", "source")


@dataclass
class IngestReport:
    """What an ingest found and did."""

    input_name: str
    format: str = ""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=empty_store)
    diff: Diff | None = None
    dataset: str = ""
    overrides_used: dict[str, str] = field(default_factory=dict)
    written: bool = False
    history_id: str = ""
    merged: pd.DataFrame = field(default_factory=empty_store)  # the dataset as it would be stored

    @property
    def ok(self) -> bool:
        """No problem stopped the ingest."""
        return not self.problems

    def summary(self) -> dict[str, Any]:
        """Counts for the success message."""
        diff = self.diff
        return {
            "format": self.format,
            "dataset": self.dataset,
            "rows": len(self.rows),
            "added": len(diff.added) if diff else 0,
            "changed": len(diff.changed) if diff else 0,
            "unchanged": diff.unchanged if diff else 0,
            "removed": len(diff.removed) if diff else 0,
            "indicators": sorted(self.rows["indicator"].unique().tolist()),
            "periods": sorted(int(y) for y in self.rows["year"].unique()),
            "countries": int(self.rows["iso3"].nunique()),
        }


def _shown(value: Any) -> Any:
    """A cell as a message quotes it: floats as written (40, not 40.0)."""
    return repr(value).removesuffix(".0") if isinstance(value, float) else value


def _located(records: pd.DataFrame, mask: pd.Series, message: str, column: str | None = None) -> list[Problem]:
    hits = records[mask]
    problems = [
        Problem(
            str(r["file"]),
            message.format(**{str(k): _shown(v) for k, v in r.items()}),
            row=int(r["row"]),
            column=column or str(r["column"]),
        )
        for r in hits.head(MAX_PROBLEMS_PER_KIND).to_dict("records")
    ]
    if len(hits) > MAX_PROBLEMS_PER_KIND:
        problems.append(
            Problem(str(hits["file"].iloc[0]), f"… and {len(hits) - MAX_PROBLEMS_PER_KIND} more rows like these")
        )
    return problems


def per_value(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """Apply ``function`` once per distinct value and spread the results over the rows (inputs repeat a lot)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Work on the categories only; the result stays categorical, which keeps later checks cheap too.
        mapped = [function(value) for value in series.cat.categories]
        codes = series.cat.codes.to_numpy()
        if len(set(mapped)) == len(mapped) and all(isinstance(m, str) for m in mapped):
            return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(mapped)), index=series.index)
        return pd.Series(np.asarray(mapped, dtype=object)[codes], index=series.index)
    uniques = pd.unique(series.to_numpy())
    mapping = {value: function(value) for value in uniques}
    return pd.Series(series.map(mapping).to_numpy(), index=series.index)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def parse_number(text: Any) -> float:
    """An exact float from a cell (Python's parser, so values round-trip); NaN unless it is a finite number."""
    if isinstance(text, (int, float, np.number)) and not isinstance(text, bool):
        number = float(text)
    else:
        cleaned = _text(text).strip().removeprefix("+")
        try:
            number = float(cleaned)
        except ValueError:
            return float("nan")
    return number if np.isfinite(number) else float("nan")


def validate_records(records: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert text to numbers and check years, indicators, values and text cells; report every bad row."""
    problems: list[Problem] = []
    year = per_value(records["year"], parse_number).astype(float)
    bad_year = year.isna() | (year % 1 != 0) | ~year.between(1900, 2100)
    problems += _located(records, bad_year, "year '{year}' is not a year between 1900 and 2100", column="year")
    indicator = per_value(records["indicator"], _text)
    known = indicator.isin(list(registry.indicators))
    problems += _located(
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
        not_numeric = value.isna() & per_value(records["value"], lambda v: _text(v).strip() != "").astype(bool)
    problems += _located(records, not_numeric, "value '{value}' is not a number")
    lows = indicator.map({i.id: i.range_min for i in registry.indicators.values()}).astype(float)
    highs = indicator.map({i.id: i.range_max for i in registry.indicators.values()}).astype(float)
    out_of_range = known & value.notna() & ~value.between(lows, highs)
    for indicator_id in indicator[out_of_range].unique():
        meta = registry.indicator(indicator_id)
        mask = out_of_range & indicator.eq(indicator_id)
        problems += _located(
            records,
            mask,
            f"value {{value}} is outside the range of {indicator_id} ({meta.range_min:g}–{meta.range_max:g})",
        )
    looks_like_formula = re.compile(_FORMULA)
    text_columns = {}
    for column in _TEXT_COLUMNS:
        text_columns[column] = per_value(records[column], _text)
        formula = per_value(records[column], lambda v: bool(looks_like_formula.search(_text(v)))).astype(bool)
        problems += _located(
            records, formula, f"{column} '{{{column}}}' looks like a spreadsheet formula; remove it", column=column
        )
    converted = records.assign(year=year, value=value, indicator=indicator, **text_columns)
    return converted, problems


def harmonize_countries(
    records: pd.DataFrame, overrides: Mapping[str, str]
) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Give every record an ISO3 code: codes given are checked, names are resolved; no guess fills a gap."""
    from igf_explorer.indicators import is_economy_code

    problems: list[Problem] = []
    iso3 = per_value(records["iso3"], lambda v: _text(v).strip().upper())
    has_code = iso3.ne("")
    bad_code = has_code & ~per_value(iso3, is_economy_code).astype(bool)
    problems += _located(
        records.assign(iso3=iso3), bad_code, "'{iso3}' is not an ISO 3166-1 alpha-3 code", column="iso3"
    )
    names = records.loc[~has_code, "country"]
    resolutions = resolve_names([_text(n) for n in pd.unique(names.to_numpy())], overrides)
    used = {n: r.iso3 or "" for n, r in resolutions.items() if r.via_override}
    for name, resolution in resolutions.items():
        if resolution.iso3:
            continue
        mask = ~has_code & records["country"].eq(name)
        rows = records.loc[mask, "row"].astype(int).tolist()
        first = records[mask].iloc[0]
        where = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        fix = f"Pass --override '{name}=ISO3'"
        if resolution.status == "ambiguous":
            message = f"country name '{name}' is ambiguous ({' or '.join(resolution.candidates)}); rows {where}. {fix}"
        else:
            message = f"country name '{name}' is not recognised; rows {where}. {fix}"
        problems.append(Problem(str(first["file"]), message, row=int(first["row"]), column=str(first["column"])))
    if (~has_code).any():
        resolved = per_value(
            records["country"], lambda n: resolutions[_text(n)].iso3 or "" if _text(n) in resolutions else ""
        )
        iso3 = iso3.astype(object).where(has_code, resolved)
    return records.assign(iso3=iso3), problems, used


def to_tidy(records: pd.DataFrame, count_rows: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Collapse records to one row per key: counted (events), or checked for conflicting duplicates."""
    if count_rows:
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
                        column="value",
                    )
                )
    tidy = records.drop_duplicates(KEY, keep="first") if duplicated.any() else records
    return tidy.loc[:, list(TIDY_COLUMNS)].reset_index(drop=True), problems


def _dataset_for(tidy: pd.DataFrame, registry: Registry, label: str) -> tuple[DatasetMeta | None, list[Problem]]:
    datasets = {registry.dataset_of(i).id for i in tidy["indicator"].unique()}
    if len(datasets) != 1:
        return None, [
            Problem(
                label,
                f"holds indicators of several datasets ({', '.join(sorted(datasets))}); ingest one dataset at a time",
            )
        ]
    return next(d for d in registry.datasets if d.id in datasets), []


def _sidecar_fields(
    dataset: DatasetMeta, merged: pd.DataFrame, updates: Mapping[str, Any], new_sha: str
) -> dict[str, Any]:
    fields = dict(dataset.sidecar.fields)
    for key, value in updates.items():
        if key == "editions":
            editions = {int(k): dict(v) for k, v in (fields.get("editions") or {}).items()}
            for year, info in value.items():
                editions.setdefault(int(year), {}).update(info)
            fields["editions"] = {year: editions[year] for year in sorted(editions)}
        elif value:
            fields[key] = value
    stats = merged.groupby("indicator", observed=True).agg(
        countries=("iso3", "nunique"), first=("year", "min"), last=("year", "max"), rows=("year", "size")
    )
    per_indicator = []
    for meta in dataset.indicators:
        if meta.id in stats.index:
            row = stats.loc[meta.id]
            per_indicator.append(
                f"{meta.id}: {row['countries']} countries, {row['first']}–{row['last']}, {row['rows']} rows"
            )
        else:
            per_indicator.append(f"{meta.id}: no rows")
    fields["coverage_computed"] = per_indicator
    fields["sha256"] = new_sha
    return fields


def run_ingest(
    path: Path,
    data_dir: Path,
    fmt: str = "auto",
    options: Options | None = None,
    dry_run: bool = False,
    overrides: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    label: str | None = None,
) -> IngestReport:
    """Ingest one file into ``data_dir`` (or only report, with ``dry_run``). Nothing is written unless all is well."""
    options = options or Options()
    report = IngestReport(input_name=label or path.name)
    source, problems = open_input(path, max_bytes)
    if source is None:
        report.problems = problems
        return report
    try:
        detected = detect_format(source)
    except Exception as exc:  # noqa: BLE001 - an unreadable workbook is a problem with the file, not a crash
        report.problems = [Problem(source.name, f"cannot be read: {exc}")]
        return report
    chosen = detected if fmt == "auto" else fmt
    if chosen == "da2i":
        raise UnsupportedFormat(
            f"{source.name} is the TASCHA/IFLA DA2I database (columns ISO3, Year, value, Name), which ingest does not load: "
            "its 'FotN' series shows every edition on Freedom House's current, inverted scale (100 = most free) although its "
            "metadata says 0 = best, and it mixes dozens of unrelated indicators under one value column. Load FOTN from "
            "Freedom House's own spreadsheets (--format fotn) and internet use from the World Bank file (--format worldbank)."
        )
    if chosen is None:
        report.problems = [Problem(source.name, "format not recognised; pass --format tidy|worldbank|fotn|keepiton")]
        return report
    report.format = chosen
    registry = None
    try:
        stored, registry = load_store(data_dir)
    except DataError as exc:
        report.problems = [Problem(p.file, f"stored data: {p.message}", p.row, p.column) for p in exc.problems]
        return report
    try:
        extracted: Extracted = ADAPTERS[chosen](source, registry, options)
    except (KeyError, ValueError, StopIteration) as exc:
        report.problems = [Problem(source.name, f"does not have the layout of the '{chosen}' format ({exc})")]
        return report
    report.notes = extracted.notes
    # The records now hold everything; the decoded text and raw bytes are the largest things left in memory.
    source.utf8, source.raw = b"", b""
    if extracted.problems:
        report.problems = extracted.problems
        return report
    if extracted.records.empty:
        report.problems = [Problem(source.name, "has no data rows")]
        return report
    records, problems = validate_records(extracted.records, registry)
    if options.years and not problems:
        first, last = options.years
        keep = records["year"].between(first, last)
        report.notes.append(f"{int((~keep).sum())} values outside {first}–{last} left out (--years)")
        records = records[keep]
    records, name_problems, report.overrides_used = harmonize_countries(records, overrides or {})
    problems += name_problems
    if problems:
        report.problems = problems
        return report
    tidy, problems = to_tidy(records, extracted.count_rows)
    if problems:
        report.problems = problems
        return report
    schema_errors = _final_gate(tidy, registry, records, source.name)
    if schema_errors:
        report.problems = schema_errors
        return report
    dataset, problems = _dataset_for(tidy, registry, source.name)
    if dataset is None:
        report.problems = problems
        return report
    tidy = tidy.astype({"year": "int64", "value": float})
    current = stored[stored["indicator"].isin([i.id for i in dataset.indicators])]
    replaced = in_scope(current, tidy, extracted.scope)
    report.diff = diff_rows(current[replaced], tidy)
    report.rows = tidy
    report.dataset = dataset.id
    kept = current[~replaced]
    merged = pd.concat([kept, tidy], ignore_index=True) if len(kept) else tidy.reset_index(drop=True)
    report.merged = merged
    if dry_run:
        return report
    csv_bytes = tidy_csv_bytes(merged)
    sidecar = _sidecar_fields(dataset, merged, extracted.sidecar_updates, _sha(csv_bytes))
    ensure_initial_entry(data_dir)
    write_atomic(dataset.path, csv_bytes)
    write_atomic(dataset.sidecar.path, sidecar_text(sidecar).encode("utf-8"))
    entry = append_log(
        data_dir,
        "ingest",
        {
            "input": report.input_name,
            "input_sha256": sha256_of(path),
            "format": chosen,
            "dataset": dataset.id,
            "summary": report.summary(),
        },
    )
    report.written = True
    report.history_id = str(entry["id"])
    return report


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _final_gate(tidy: pd.DataFrame, registry: Registry, records: pd.DataFrame, label: str) -> list[Problem]:
    """The stored schema (pandera, lazy) as the last check; failures point back to input rows where possible."""
    from pandera.errors import SchemaErrors

    try:
        tidy_schema(registry).validate(tidy, lazy=True)
    except SchemaErrors as exc:
        # Rows here are positions in the collapsed table, not in the input file, so they are not shown.
        return [replace(p, row=None) for p in failure_cases_to_problems(exc.failure_cases, label)]
    return []
