"""The ingest pipeline, a list of named stages with one failure path.

open → recognise → read → validate and resolve names → choose the dataset → collapse → guard the vintage → merge →
(write). Every stage adds its problems to one list, later stages still run on the rows that passed, and nothing is
written unless the list is empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from igf_explorer import logs
from igf_explorer.indicators import KEY, DatasetMeta, Registry, empty_store, load_store
from igf_explorer.ingest import stages, vintage
from igf_explorer.ingest.formats import FORMATS, Extracted, Format, detect_format, expectations
from igf_explorer.ingest.merge import Diff, merge
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile, LimitProblem, Limits, open_input
from igf_explorer.ingest.stages import NameMapping
from igf_explorer.ingest.store import sidecar_text, tidy_csv_bytes
from igf_explorer.problems import DataError, Problem


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
    names: list[NameMapping] = field(default_factory=list)
    replace: str = "none"
    written: bool = False
    history_id: str = ""
    merged: pd.DataFrame = field(default_factory=empty_store)  # the dataset as it would be stored
    refused_by: str = ""  # the input limit that refused the file ("bytes", "rows", "cpu_seconds", ...), if one did
    entity: str = "country"  # what the rows are about: "country" (iso3) or "company" (igf_explorer.ingest.company)

    @property
    def ok(self) -> bool:
        """No problem stopped the ingest."""
        return not self.problems

    @property
    def overrides_used(self) -> dict[str, str]:
        """Names resolved by an override."""
        return {m.name: m.iso3 for m in self.names if m.how == "override"}

    def first_view(self, registry: Registry) -> tuple[str, int]:
        """What a map of this file should open on: its first indicator in registry order, at its latest period."""
        present = set(self.rows["indicator"])
        indicator = next((i for i in registry.indicators if i in present), str(self.rows["indicator"].iloc[0]))
        return indicator, int(self.rows.loc[self.rows["indicator"] == indicator, "year"].max())

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
            "countries": int(self.rows["iso3"].nunique()) if "iso3" in self.rows else 0,
            **({"companies": int(self.rows["company"].nunique())} if self.entity == "company" else {}),
        }


class _Stop(Exception):
    """A stage cannot go on (no readable file, no format); its problems end the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


@dataclass
class _Run:
    """What the stages hand on to each other."""

    path: Path
    data_dir: Path
    options: Options
    overrides: Mapping[str, str]
    limits: Limits
    fmt: str
    report: IngestReport
    this_year: int
    problems: list[Problem] = field(default_factory=list)
    source: InputFile | None = None
    format: Format | None = None
    registry: Registry | None = None
    stored: pd.DataFrame = field(default_factory=empty_store)
    extracted: Extracted | None = None
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    tidy: pd.DataFrame = field(default_factory=empty_store)
    dataset: DatasetMeta | None = None
    vintage: str = ""
    companies: object = None  # the company list, on the company path (igf_explorer.ingest.company)

    def need_source(self) -> InputFile:
        assert self.source is not None
        return self.source

    def need_registry(self) -> Registry:
        assert self.registry is not None
        return self.registry


def _open(run: _Run) -> None:
    source, problems = open_input(run.path, limits=run.limits)
    if source is None:
        run.report.refused_by = next((p.limit for p in problems if isinstance(p, LimitProblem)), "")
        raise _Stop(problems)
    run.source = source
    if source.encoding not in ("", "utf-8", "utf-8-sig", "ascii"):
        run.report.notes.append(f"read as {source.encoding}")


def _recognise(run: _Run) -> None:
    source = run.need_source()
    try:
        detected = detect_format(source)
    except Exception as exc:  # noqa: BLE001 - an unreadable workbook is a problem with the file, not a crash
        raise _Stop([Problem(source.name, f"cannot be read: {exc}")]) from exc
    chosen = detected if run.fmt == "auto" else run.fmt
    if chosen is None:
        raise _Stop(
            [
                Problem(
                    source.name,
                    f"format not recognised from its columns. Each format expects: {expectations()}. "
                    "Pass --format NAME (and --edition YEAR where the file does not name its edition).",
                )
            ]
        )
    run.format = FORMATS[chosen]
    run.report.format = chosen
    if run.format.refusal:
        raise _Stop([Problem(source.name, run.format.refusal)])


def _load_stored(run: _Run) -> None:
    try:
        run.stored, run.registry = load_store(run.data_dir)
    except DataError as exc:
        raise _Stop([Problem(p.file, f"stored data: {p.message}", p.row, p.column) for p in exc.problems]) from exc


def _extract(run: _Run) -> None:
    source, registry = run.need_source(), run.need_registry()
    assert run.format is not None and run.format.extract is not None
    try:
        extracted = run.format.extract(source, registry, run.options)
    except (KeyError, ValueError, StopIteration) as exc:
        raise _Stop(
            [Problem(source.name, f"does not have the layout of the '{run.format.name}' format ({exc})")]
        ) from exc
    run.extracted = extracted
    run.report.notes += extracted.notes
    run.problems += extracted.problems
    # The records now hold everything; the decoded text and raw bytes are the largest things left in memory.
    source.utf8, source.raw = b"", b""
    if extracted.records.empty:
        raise _Stop([] if run.problems else [Problem(source.name, "has no data rows")])
    run.records = extracted.records


def _validate(run: _Run) -> None:
    records, bad, problems = stages.validate_records(run.records, run.need_registry())
    run.problems += problems
    records, missing, problems, run.report.names = stages.harmonize_countries(records, run.overrides, run.data_dir)
    run.problems += problems
    records = _without(records, bad | missing)
    late, problems = stages.check_periods(records, run.need_registry(), run.this_year)
    run.problems += problems
    run.records = _without(records, late)


def _without(records: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The records not in ``mask`` (the same frame, uncopied, when there are none: large inputs are mostly clean)."""
    return records[~mask] if mask.any() else records


def _choose_dataset(run: _Run) -> None:
    registry, source = run.need_registry(), run.need_source()
    datasets = sorted({registry.dataset_of(i).id for i in run.records["indicator"].unique()})
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
    run.dataset = next(d for d in registry.datasets if d.id == datasets[0])
    run.report.dataset = run.dataset.id


def _collapse(run: _Run) -> None:
    assert run.dataset is not None and run.format is not None
    records, notes = stages.select_years(run.records, run.dataset, run.options.years)
    run.report.notes += notes
    tidy, problems = stages.collapse(records, run.format.counts_events)
    run.problems += problems
    tidy = tidy.astype({"year": "int64", "value": float})
    run.problems += stages.gate(tidy, run.need_registry(), run.need_source().name)
    run.tidy = tidy


def _with_sources(tidy: pd.DataFrame, current: pd.DataFrame, run: _Run) -> pd.DataFrame:
    """Give every row a source: its own, else the stored one where the figure is unchanged, else the file's.

    The file's source names the file, its checksum and the dataset's producer, so provenance survives an ingest of
    a producer's spreadsheet, which has no source column.
    """
    assert run.dataset is not None
    own = tidy["source"]
    empty = stages.per_value(own, lambda v: not str(v).strip()).astype(bool)
    if not empty.any():
        return tidy
    source = run.need_source()
    producer = str(run.dataset.field("producer", "") or "").split(",")[0].strip()
    default = f"{producer + ': ' if producer else ''}{source.name} (sha256 {source.sha256[:12]})"
    if isinstance(own.dtype, pd.CategoricalDtype):
        # Stays categorical: one more category, not a million copies of the text.
        own = own.cat.add_categories([default]) if default not in own.cat.categories else own
        sources = own.where(~empty, default)
    else:
        sources = own.astype(object).where(~empty, default)
    if not current.empty:
        joined = tidy[KEY].join(current.set_index(KEY)[["value", "source"]], on=KEY)
        old_value, new_value = joined["value"].to_numpy(dtype=float), tidy["value"].to_numpy(dtype=float)
        same = (old_value == new_value) | (np.isnan(old_value) & np.isnan(new_value))  # a range row's empty value
        unchanged = empty.to_numpy() & same
        keep = unchanged & joined["source"].fillna("").astype(str).str.strip().ne("").to_numpy()
        if keep.any():
            sources = sources.astype(object).where(~keep, joined["source"])
    return tidy.assign(source=sources)


def _guard_vintage(run: _Run) -> None:
    dataset, source = run.dataset, run.need_source()
    assert dataset is not None and run.extracted is not None
    assert run.format is not None
    if not (dataset.single_vintage and run.format.releases):
        return
    stated = run.extracted.vintage or run.options.vintage or ""
    incoming = vintage.parse_vintage(stated)
    stored_text = dataset.field("vintage", "")
    stored = vintage.parse_vintage(stored_text)
    if incoming is None:
        run.problems.append(
            Problem(
                source.name,
                f"does not state its vintage{f' ({stated!r} is not a date)' if stated else ''}; pass "
                f"--vintage YYYY-MM[-DD] so that an older release cannot replace the stored one "
                f"({stored_text or 'not stated'})",
            )
        )
        return
    run.vintage = vintage.shown(incoming)
    if stored is None:
        run.report.notes.append(f"vintage {run.vintage} (the stored data states none)")
        return
    order = vintage.compare(incoming, stored)
    relation = {-1: "older than", 0: "the same as", 1: "newer than"}[order]
    run.report.notes.append(f"vintage {run.vintage} is {relation} the stored one ({stored_text})")
    if order < 0 and not run.options.allow_older:
        run.problems.append(
            Problem(
                source.name,
                f"is an older vintage ({run.vintage}) than the stored one ({stored_text}); the stored one is newer. "
                "Pass --allow-older to replace it anyway",
            )
        )
    if order != 0 and run.options.replace != "series":
        run.problems.append(
            Problem(
                source.name,
                f"is another vintage ({run.vintage}) of a series that must not mix vintages; pass --replace series "
                "to replace the whole series (the dry run lists the rows it would remove)",
            )
        )


def _merge(run: _Run) -> None:
    assert run.dataset is not None
    ids = [i.id for i in run.dataset.indicators]
    current = run.stored[run.stored["indicator"].isin(ids)]
    run.tidy = _with_sources(run.tidy, current, run)
    merged, diff = merge(current, run.tidy, run.options.replace)
    report = run.report
    report.rows, report.diff, report.merged, report.replace = run.tidy, diff, merged, run.options.replace


_FIRST_STAGES: tuple[Callable[[_Run], None], ...] = (_open, _recognise)
_STAGES: tuple[Callable[[_Run], None], ...] = (
    _load_stored,
    _extract,
    _validate,
    _choose_dataset,
    _collapse,
    _guard_vintage,
    _merge,
)


def _sidecar_fields(run: _Run, new_sha: str) -> dict[str, Any]:
    assert run.dataset is not None and run.extracted is not None
    dataset, merged = run.dataset, run.report.merged
    fields = dict(dataset.sidecar.fields)
    for key, value in run.extracted.sidecar_updates.items():
        if key == "editions":
            editions = {int(k): dict(v) for k, v in (fields.get("editions") or {}).items()}
            for year, info in value.items():
                editions.setdefault(int(year), {}).update(info)
            fields["editions"] = {year: editions[year] for year in sorted(editions)}
        elif value:
            fields[key] = value
    if run.vintage:
        fields["vintage"] = run.vintage
    stats = merged.groupby("indicator", observed=True).agg(
        countries=("iso3", "nunique"), first=("year", "min"), last=("year", "max"), rows=("year", "size")
    )
    counts = stats.to_dict("index")
    fields["coverage_computed"] = [
        f"{m.id}: {counts[m.id]['countries']} countries, {counts[m.id]['first']}–{counts[m.id]['last']}, "
        f"{counts[m.id]['rows']} rows"
        if m.id in counts
        else f"{m.id}: no rows"
        for m in dataset.indicators
    ]
    fields["sha256"] = new_sha
    return fields


def _write(run: _Run) -> None:
    from igf_explorer.ingest.history import commit

    assert run.dataset is not None
    report = run.report
    csv_bytes = tidy_csv_bytes(report.merged)
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


def run_ingest(
    path: Path,
    data_dir: Path,
    fmt: str = "auto",
    options: Options | None = None,
    dry_run: bool = False,
    overrides: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    label: str | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Ingest one file into ``data_dir`` (or only report, with ``dry_run``). Nothing is written unless all is well.

    ``limits`` bounds what the input may hold (bytes, unzipped bytes, rows, cells; :class:`Limits` by default);
    ``max_bytes``, when given, replaces its byte limit (the command line's ``--max-bytes``). Every run logs one
    ``ingest`` event (see :mod:`igf_explorer.logs`).

    Raises
    ------
    igf_explorer.ingest.history.StoreWriteError
        When the store cannot be written (disk full, read-only, lock not free); the store is then unchanged.
    """
    report = IngestReport(input_name=label or path.name)
    chosen = limits or Limits()
    if max_bytes is not None and max_bytes != chosen.max_bytes:
        chosen = chosen.with_bytes(max_bytes)
    run = _Run(path, data_dir, options or Options(), overrides or {}, chosen, fmt, report, datetime.now(UTC).year)
    try:
        _run_stages(run, dry_run)
    except Exception as exc:
        logs.event("ingest_error", logging.ERROR, input=report.input_name, dry_run=dry_run, error=type(exc).__name__)
        raise
    log_ingest(report, dry_run)
    return report


def log_ingest(report: IngestReport, dry_run: bool) -> None:
    """The ``ingest`` event of one run (and ``upload_refused`` when an input limit refused the file)."""
    if report.refused_by:
        logs.event("upload_refused", input=report.input_name, limit=report.refused_by)
    diff = report.diff
    logs.event(
        "ingest",
        input=report.input_name,
        format=report.format,
        dataset=report.dataset,
        ok=report.ok,
        problems=len(report.problems),
        rows_added=len(diff.added) if diff else 0,
        rows_changed=len(diff.changed) if diff else 0,
        rows_removed=len(diff.removed) if diff else 0,
        replace=report.replace,
        dry_run=dry_run,
        written=report.written,
        history_id=report.history_id or None,
    )


def _run_stages(run: _Run, dry_run: bool) -> None:
    """Every stage, then the write (unless a dry run or a problem); the report is filled in either way."""
    report, data_dir = run.report, run.data_dir
    with contextlib.ExitStack() as stack:
        if not dry_run:
            from igf_explorer.ingest.history import store_lock

            # Held from reading the stored data to the commit, so that two ingests are serialised, never interleaved.
            stack.enter_context(store_lock(data_dir))
        try:
            for stage in _FIRST_STAGES:
                stage(run)
            rest, write = _path_of(run)
            for stage in rest:
                stage(run)
        except _Stop as stop:
            report.problems = _unique(run.problems + stop.problems)
            return
        report.problems = _unique(run.problems)
        if report.problems or dry_run:
            return
        write(run)


def _path_of(run: _Run) -> tuple[tuple[Callable[[_Run], None], ...], Callable[[_Run], None]]:
    """The stages after recognition and the write: the company path for a company format, else the country one."""
    if run.format is not None and run.format.entity == "company":
        from igf_explorer.ingest import company

        return company.STAGES, company.write
    return _STAGES, _write


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
