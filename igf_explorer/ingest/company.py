"""The ingest path of company formats (``Format.entity == "company"``): the country pipeline's stages for companies.

open → recognise (shared with countries) → load the stored company data → read → validate and resolve company
names → choose the dataset → collapse → merge → (write). The guarantees are the country path's: every problem of a
file in one pass, each located by file, row and column; a company name the company list does not know is reported,
never matched by similarity; nothing is written unless the list of problems is empty; a write is one recorded
commit of ``data/indicators`` (so ``igf-explorer history`` and ``restore`` cover company files too).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from igf_explorer.companies import COMPANIES_FILE, Companies, load_companies
from igf_explorer.indicators import (
    COMPANY_KEY,
    COMPANY_TIDY_COLUMNS,
    Registry,
    company_tidy_schema,
    empty_company_store,
    load_company_store,
    load_registry,
)
from igf_explorer.ingest import stages
from igf_explorer.ingest.formats.base import located
from igf_explorer.ingest.merge import merge
from igf_explorer.ingest.pipeline import _extract, _Run, _Stop, _without
from igf_explorer.ingest.stages import NameMapping, per_value
from igf_explorer.ingest.store import format_values, sidecar_text
from igf_explorer.numbers import cell_text, parse_number
from igf_explorer.problems import DataError, Problem
from igf_explorer.validation import failure_cases_to_problems

_FORMULA = re.compile(r"^\s*[=+@]|^\s*-[^\d\s.]")
_TEXT_COLUMNS = ("company", "status", "note", "source")


def _load_stored(run: _Run) -> None:
    try:
        registry = load_registry(run.data_dir)
        companies = load_companies(run.data_dir)
        stored, _ = load_company_store(run.data_dir, registry, companies.ids)
    except DataError as exc:
        raise _Stop([Problem(p.file, f"stored data: {p.message}", p.row, p.column) for p in exc.problems]) from exc
    run.registry, run.stored = registry, stored
    run.report.entity = "company"
    run.report.rows = run.report.merged = empty_company_store()
    run.companies = companies


def _companies(run: _Run) -> Companies:
    assert isinstance(run.companies, Companies)
    return run.companies


def validate_records(records: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, pd.Series, list[Problem]]:
    """Convert text to numbers; check years, company indicators, values, ranges, statuses and text cells.

    Returns the converted records, a mask of the records with a problem, and the problems.
    """
    indicators = registry.company_indicators
    problems: list[Problem] = []
    year = per_value(records["year"], parse_number).astype(float)
    bad_year = year.isna() | (year % 1 != 0) | ~year.between(1900, 2100)
    problems += located(records, bad_year, "year '{year}' is not a year between 1900 and 2100", column="year_column")
    indicator = per_value(records["indicator"], cell_text).astype(str)
    known = indicator.isin(list(indicators))
    problems += located(
        records, ~known, "indicator '{indicator}' is not a registered company indicator", column="indicator"
    )
    value = per_value(records["value"], parse_number).astype(float)
    not_numeric = value.isna()
    problems += located(records, not_numeric, "value '{value}' is not a number")
    lows = indicator.map({i.id: i.range_min for i in indicators.values()}).astype(float)
    highs = indicator.map({i.id: i.range_max for i in indicators.values()}).astype(float)
    out_of_range = known & value.notna() & ~value.between(lows, highs)
    for indicator_id in indicator[out_of_range].unique():
        meta = indicators[indicator_id]
        problems += located(
            records,
            out_of_range & indicator.eq(indicator_id),
            f"value {{value}} is outside the range of {indicator_id} ({meta.range_min:g}–{meta.range_max:g})",
        )
    bad = bad_year | ~known | not_numeric | out_of_range
    text: dict[str, pd.Series] = {}
    for column in _TEXT_COLUMNS:
        text[column] = per_value(records[column], cell_text).astype(str)
        formula = text[column].map(lambda v: bool(_FORMULA.search(v))).astype(bool)
        problems += located(
            records,
            formula,
            f"{column} '{{{column}}}' looks like a spreadsheet formula; remove it",
            column="company_column" if column == "company" else column,
        )
        bad |= formula
    status = text["status"].copy()
    for meta in indicators.values():
        mine = indicator.eq(meta.id) & status.str.strip().ne("")
        if not meta.statuses or not mine.any():
            continue
        vocabulary = {" ".join(s.split()).casefold(): s for s in meta.statuses}
        mapped = status[mine].map(lambda s, v=vocabulary: v.get(" ".join(s.split()).casefold()))
        unknown = pd.Series(False, index=records.index)
        unknown[mine] = mapped.isna().to_numpy()
        problems += located(
            records.assign(status=status),
            unknown,
            f"status '{{status}}' is not one of {', '.join(meta.statuses)} ({meta.id})",
            column="status",
        )
        status[mine] = mapped.fillna("").to_numpy()
        bad |= unknown
    converted = records.assign(year=year, value=value, indicator=indicator, **{**text, "status": status})
    return converted, bad, problems


def resolve_companies(
    records: pd.DataFrame, companies: Companies
) -> tuple[pd.DataFrame, pd.Series, list[Problem], list[NameMapping]]:
    """Give every record a company id: its name or a listed alias (case and spaces aside), never a similar name.

    Returns the records with ``company`` as an id, a mask of the records without one, the problems (one per unknown
    name, with every row it is on) and the name → company mapping for the report.
    """
    names = per_value(records["company"], lambda v: " ".join(cell_text(v).split())).astype(str)
    resolutions = companies.resolve_all(n for n in pd.unique(names.to_numpy()) if n)
    problems: list[Problem] = []
    mappings: list[NameMapping] = []
    counts = names.value_counts()
    empty = names.eq("")
    problems += located(records, empty, "company name is empty", column="company_column")
    for name, resolution in resolutions.items():
        if resolution.company is not None:
            how = "exact name" if resolution.how == "name" else "alias"
            company = companies.by_id[resolution.company]
            mappings.append(NameMapping(name, company.id, company.name, how, int(counts[name])))
            continue
        mask = names.eq(name)
        rows = sorted(set(records.loc[mask, "row"].astype(int)))
        first = records[mask].iloc[0]
        where = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        problems.append(
            Problem(
                str(first["file"]),
                f"company '{name}' is not in {COMPANIES_FILE} (row{'s' if len(rows) > 1 else ''} {where}); add it "
                "there, or its spelling as an alias of the company it is (names are never matched by similarity)",
                row=int(first["row"]),
                column=str(first["company_column"]) or None,
            )
        )
        mappings.append(NameMapping(name, "", "", "unknown", int(mask.sum())))
    ids = names.map({n: r.company or "" for n, r in resolutions.items()}).fillna("").astype(str)
    return records.assign(company=ids), ids.eq(""), problems, mappings


def _validate(run: _Run) -> None:
    registry = run.need_registry()
    records, bad, problems = validate_records(run.records, registry)
    run.problems += problems
    records, missing, problems, run.report.names = resolve_companies(records, _companies(run))
    run.problems += problems
    records = _without(records, bad | missing)
    late, problems = stages.check_periods(records, registry.companies_only, run.this_year)
    run.problems += problems
    run.records = _without(records, late)


def _choose_dataset(run: _Run) -> None:
    registry, source = run.need_registry(), run.need_source()
    datasets = sorted({registry.company_dataset_of(i).id for i in run.records["indicator"].unique()})
    if len(datasets) > 1:
        raise _Stop(
            [
                Problem(
                    source.name, f"holds indicators of several datasets ({', '.join(datasets)}); ingest one at a time"
                )
            ]
        )
    if not datasets:
        raise _Stop([] if run.problems else [Problem(source.name, "has no usable data rows")])
    run.dataset = next(d for d in registry.company_datasets if d.id == datasets[0])
    run.report.dataset = run.dataset.id


def collapse(records: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per company × period × indicator; a key given twice with different values is a problem."""
    problems: list[Problem] = []
    duplicated = records.duplicated(COMPANY_KEY, keep=False)
    if duplicated.any():
        for key, group in records[duplicated].groupby(COMPANY_KEY, observed=True):
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
    tidy = records.drop_duplicates(COMPANY_KEY, keep="first") if duplicated.any() else records
    return tidy.loc[:, list(COMPANY_TIDY_COLUMNS)].reset_index(drop=True), problems


def gate(tidy: pd.DataFrame, registry: Registry, companies: Companies, label: str) -> list[Problem]:
    """The stored company schema (pandera, lazy) as the last check, so nothing the store would refuse is written."""
    from dataclasses import replace

    from pandera.errors import SchemaErrors

    try:
        company_tidy_schema(registry, companies.ids).validate(tidy, lazy=True)
    except SchemaErrors as exc:
        return [replace(p, row=None) for p in failure_cases_to_problems(exc.failure_cases, label)]
    return []


def _collapse(run: _Run) -> None:
    assert run.dataset is not None
    records, notes = stages.select_years(run.records, run.dataset, run.options.years)
    run.report.notes += notes
    tidy, problems = collapse(records)
    run.problems += problems
    tidy = tidy.astype({"year": "int64", "value": float})
    run.problems += gate(tidy, run.need_registry(), _companies(run), run.need_source().name)
    run.tidy = tidy


def _with_sources(tidy: pd.DataFrame, current: pd.DataFrame, run: _Run) -> pd.DataFrame:
    """Every row's source: its own, else the stored one where the figure and note are unchanged, else the file's.

    A row whose note the file changes comes from the file (RDR's year-over-year rows bring their notes to the 2020
    totals that 2020-totals.csv gave first), so its source names the file.
    """
    assert run.dataset is not None
    empty = tidy["source"].astype(str).str.strip().eq("")
    if not empty.any():
        return tidy
    source = run.need_source()
    producer = str(run.dataset.field("producer", "") or "").split(",")[0].strip()
    default = f"{producer + ': ' if producer else ''}{source.name} (sha256 {source.sha256[:12]})"
    sources = tidy["source"].astype(object).where(~empty, default)
    if not current.empty:
        joined = tidy[COMPANY_KEY].join(current.set_index(COMPANY_KEY)[["value", "note", "source"]], on=COMPANY_KEY)
        same_note = joined["note"].fillna("").astype(str).to_numpy() == tidy["note"].astype(str).to_numpy()
        unchanged = empty.to_numpy() & (joined["value"].to_numpy() == tidy["value"].to_numpy()) & same_note
        keep = unchanged & joined["source"].fillna("").astype(str).str.strip().ne("").to_numpy()
        sources = sources.where(~keep, joined["source"])
    return tidy.assign(source=sources.astype(str))


def _merge(run: _Run) -> None:
    assert run.dataset is not None
    ids = [i.id for i in run.dataset.indicators]
    current = run.stored[run.stored["indicator"].isin(ids)]
    run.tidy = _with_sources(run.tidy, current, run)
    merged, diff = merge(current, run.tidy, run.options.replace, COMPANY_KEY)
    report = run.report
    report.rows, report.diff, report.merged, report.replace = run.tidy, diff, merged, run.options.replace


STAGES: tuple[Callable[[_Run], None], ...] = (_load_stored, _extract, _validate, _choose_dataset, _collapse, _merge)


def company_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The stored CSV of a company frame: fixed columns, sorted rows, shortest exact numbers."""
    ordered = frame.sort_values(["indicator", "company", "year"], kind="stable").loc[:, list(COMPANY_TIDY_COLUMNS)]
    ordered = ordered.astype({"year": "int64", "value": "float64"})
    out = ordered.assign(value=format_values(ordered["value"]))
    return str(out.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def _sidecar_fields(run: _Run, new_sha: str) -> dict[str, Any]:
    assert run.dataset is not None and run.extracted is not None
    dataset, merged = run.dataset, run.report.merged
    fields = dict(dataset.sidecar.fields)
    for key, value in run.extracted.sidecar_updates.items():
        if value:
            fields[key] = value
    stats = merged.groupby("indicator", observed=True).agg(
        companies=("company", "nunique"), first=("year", "min"), last=("year", "max"), rows=("year", "size")
    )
    counts = stats.to_dict("index")
    fields["coverage_computed"] = [
        f"{m.id}: {counts[m.id]['companies']} companies, {counts[m.id]['first']}–{counts[m.id]['last']}, "
        f"{counts[m.id]['rows']} rows"
        if m.id in counts
        else f"{m.id}: no rows"
        for m in dataset.indicators
    ]
    fields["sha256"] = new_sha
    return fields


def write(run: _Run) -> None:
    """Commit the merged company dataset and its sidecar to ``data/indicators`` as one recorded history entry."""
    from igf_explorer.ingest.history import commit

    assert run.dataset is not None
    report = run.report
    csv_bytes = company_csv_bytes(report.merged)
    sidecar = sidecar_text(_sidecar_fields(run, hashlib.sha256(csv_bytes).hexdigest())).encode("utf-8")
    entry = commit(
        run.data_dir,
        {run.dataset.path.name: csv_bytes, run.dataset.sidecar.path.name: sidecar},
        "ingest",
        {
            "input": report.input_name,
            "input_sha256": run.need_source().sha256,
            "format": report.format,
            "dataset": run.dataset.id,
            "replace": run.options.replace,
            "summary": report.summary(),
        },
    )
    report.written = True
    report.history_id = str(entry["id"])


__all__ = ["STAGES", "collapse", "company_csv_bytes", "gate", "resolve_companies", "validate_records", "write"]
