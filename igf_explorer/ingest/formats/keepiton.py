"""Access Now #KeepItOn sheets, whatever each year's layout: one row per shutdown, counted per country and year."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, read_workbook, text_layout, workbook_headers
from igf_explorer.problems import Problem

_NEEDED = {"country", "start date"}


def detect(source: InputFile) -> bool:
    """A sheet or table with a country and a start date per shutdown."""
    if source.kind == "xlsx":
        return any(_NEEDED <= set(h) for h in workbook_headers(source).values())
    return _NEEDED <= set(text_layout(source).columns)


def _tables(source: InputFile) -> list[tuple[str, str, pd.DataFrame, int]]:
    if source.kind == "xlsx":
        return [(f"{source.name} [{name}]", name, frame, line) for name, (frame, line) in read_workbook(source).items()]
    frame, header_line = read_text_table(source)
    return [(source.name, "", frame, header_line)]


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """One record per shutdown; the year from a year column, the sheet's name, or ``--edition``."""
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    notes: list[str] = []
    indicator = options.indicator or "shutdowns"
    for label, sheet, frame, _ in _tables(source):
        columns = {norm(c): str(c) for c in frame.columns}
        if not _NEEDED <= set(columns):
            notes.append(f"sheet '{sheet}' skipped: it has no 'country' and 'start_date' columns")
            continue
        country_column, year_column = columns["country"], columns.get("year", "")
        sheet_year = re.search(r"(19|20)\d{2}", sheet) if sheet and "+" not in sheet else None
        for row_number, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
            country = " ".join(str(record[country_column]).split())
            if not country:
                if any(str(v).strip() for v in record.values()):
                    problems.append(Problem(label, "country is empty", row=row_number, column=country_column))
                continue
            if year_column:
                year = str(record[year_column]).strip().split(".")[0]
            elif sheet_year:
                year = sheet_year.group(0)
            elif options.edition:
                year = str(options.edition)
            else:
                problems.append(
                    Problem(
                        label,
                        "cannot tell the year: no 'year' column and no year in the sheet's name; pass --edition",
                        row=row_number,
                    )
                )
                break
            out.append(
                {
                    "file": label,
                    "row": row_number,
                    "column": country_column,
                    "year_column": year_column,
                    "country_column": country_column,
                    "country": country,
                    "iso3": "",
                    "year": year,
                    "indicator": indicator,
                    "value": "1",
                    "status": "",
                    "note": "",
                    "source": "",
                }
            )
    return Extracted(records_frame(out), problems, notes)


FORMAT = Format(
    name="keepiton",
    summary="Access Now #KeepItOn data: one row per shutdown with 'country' and 'start_date' columns (any sheet layout)",
    detect=detect,
    extract=reads_tables(extract),
    counts_events=True,
)
