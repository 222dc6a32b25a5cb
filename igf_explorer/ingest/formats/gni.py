"""The project's Global Network Initiative membership table: per company, the years it joined, any exit, sources.

The table has one row per company: the year it became an observer and a full member, whether it left, and sources.
Each company gets one record per year the table supports, 0 (observer) or 1 (full member), for the company
indicator whose ``source_codes`` hold ``GNI:member``. A company that never left is a member from the year it joined
to the last year the research covers (the dataset sidecar's ``last_year``, with its reason in ``last_year_note``);
a company that left at a time the table does not give (``left`` = "before 2017") gets only the years the table names,
and no year in between is filled in. A ``sources`` cell "same as X" takes the sources of company X's row.
"""

from __future__ import annotations

import re
from typing import Any

from igf_explorer.indicators import DatasetMeta, Registry
from igf_explorer.ingest.formats.base import Extracted, Format, company_records_frame, nothing, reads_tables
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.problems import Problem

CODE = "GNI:member"
_NEEDED = {"company", "observer from year", "full member from year", "left"}
_SAME_AS = re.compile(r"^same as (.+)$", re.IGNORECASE)


def detect(source: InputFile) -> bool:
    """A text table with company, observer_from_year, full_member_from_year and left columns."""
    return source.kind == "text" and _NEEDED <= set(text_layout(source).columns)


def _dataset(registry: Registry) -> DatasetMeta | None:
    return next(
        (d for d in registry.company_datasets for i in d.indicators if CODE in i.source_codes),
        None,
    )


def _year(text: str) -> int | None:
    cleaned = text.strip()
    return int(cleaned) if re.fullmatch(r"(19|20)\d{2}", cleaned) else None


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """One record per company and supported year: 0 observer, 1 full member."""
    dataset = _dataset(registry)
    if dataset is None:
        return nothing([Problem(source.name, f"no company indicator has the source code {CODE} in its sidecar")])
    indicator = next(i.id for i in dataset.indicators if CODE in i.source_codes)
    sidecar = f"{dataset.sidecar.path.name}"
    last_year = dataset.field("last_year")
    if not isinstance(last_year, int):
        return nothing([Problem(sidecar, "needs 'last_year', the last year the research covers", column="last_year")])
    frame, _ = read_text_table(source)
    columns = {norm(c): str(c) for c in frame.columns}
    company_column = columns["company"]
    observer_column, full_column = columns["observer from year"], columns["full member from year"]
    left_column = columns["left"]
    note_column, sources_column = columns.get("note"), columns.get("sources")
    records = frame.to_dict("records")
    sources_of = {
        " ".join(str(r[company_column]).split()).casefold(): str(r[sources_column]).strip() if sources_column else ""
        for r in records
    }
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    partial: list[str] = []
    for row, record in zip(frame.index.tolist(), records, strict=True):
        company = " ".join(str(record[company_column]).split())
        years: dict[str, int | None] = {}
        for column in (observer_column, full_column):
            text = str(record[column]).strip()
            years[column] = _year(text)
            if text and years[column] is None:
                problems.append(Problem(source.name, f"'{text}' is not a year", row=row, column=column))
        observer, full = years[observer_column], years[full_column]
        bad = any(str(record[c]).strip() and years[c] is None for c in (observer_column, full_column))
        if not bad and observer is None and full is None:
            problems.append(
                Problem(source.name, "gives neither an observer nor a full-member year", row=row, column=full_column)
            )
            continue
        if bad:
            continue
        if observer is not None and full is not None and full < observer:
            problems.append(
                Problem(
                    source.name,
                    f"full member from {full}, before observer from {observer}",
                    row=row,
                    column=full_column,
                )
            )
            continue
        first = min(y for y in (observer, full) if y is not None)
        if first > last_year:
            problems.append(
                Problem(
                    source.name,
                    f"joined in {first}, after the last year the research covers ({last_year}, {sidecar} last_year)",
                    row=row,
                    column=full_column if full == first else observer_column,
                )
            )
            continue
        left = str(record[left_column]).strip()
        source_text = str(record[sources_column]).strip() if sources_column else ""
        same = _SAME_AS.match(source_text)
        if same:
            source_text = sources_of.get(" ".join(same.group(1).split()).casefold(), "")
            if not source_text or _SAME_AS.match(source_text):
                problems.append(
                    Problem(
                        source.name,
                        f"sources say '{record[sources_column]}', but no row of that company gives sources",
                        row=row,
                        column=sources_column,
                    )
                )
                continue
        own_note = str(record[note_column]).strip() if note_column else ""
        if left:
            # Left at a time the table does not give: only the years it names, nothing in between.
            span = sorted({y for y in (observer, full) if y is not None})
            partial.append(company)
            why = f"left {left}: only the years the research names are stored"
        else:
            span = list(range(first, last_year + 1))
            why = f"no exit found up to {last_year}, the last year the research covers"
        for year in span:
            full_member = full is not None and year >= full
            column = full_column if full_member else observer_column
            history = ", ".join(
                part
                for part in (
                    f"observer from {observer}" if observer is not None else "",
                    f"full member from {full}" if full is not None else "",
                )
                if part
            )
            out.append(
                {
                    "file": source.name,
                    "row": row,
                    "column": column,
                    "year_column": column,
                    "company_column": company_column,
                    "company": company,
                    "year": str(year),
                    "indicator": indicator,
                    "value": "1" if full_member else "0",
                    "status": "full member" if full_member else "observer",
                    "note": "; ".join(p for p in (history, why, own_note) if p),
                    "source": source_text,
                }
            )
    notes = [f"years up to {last_year}, the last year the research covers ({sidecar} last_year)"]
    if partial:
        notes.append(f"left at a time not found, so only the years named: {', '.join(partial)}")
    return Extracted(company_records_frame(out), problems, notes)


FORMAT = Format(
    name="gni",
    summary="the GNI membership table: company, observer_from_year, full_member_from_year, left, note, sources",
    detect=detect,
    extract=reads_tables(extract),
    entity="company",
)
