"""Participation lists such as the Wassenaar Arrangement's: one 0/1 column per list of participating states.

A list's column names its size and, where the list is dated, its year (``participating_2012_list_41``). A list headed
``current`` holds from the latest accession that made it: its year is the latest "joined <day> <month> <year>" in the
notes of the states it adds to the previous dated list, or ``--edition``. A list with neither (``in_list_40``) is left
out and said so. Only participating states are stored (value 1): the lists are exhaustive, so a state without a row
is not a participating state, which the sidecar's display words say. Each list must hold as many states as its header
says.
"""

from __future__ import annotations

import re
from typing import Any

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.problems import Problem

INDICATOR = "wassenaar_participating"
_LIST = re.compile(r"^(?:in|participating)\b.*\blist (\d+)$")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_JOINED = re.compile(r"\bjoined (\d{1,2} [A-Z][a-z]{2,8} ((?:19|20)\d{2}))")
_YES, _NO = {"1", "yes"}, {"0", "no", ""}


def _lists(names: list[str]) -> list[tuple[str, int]]:
    """(column as written, list size) for every list column."""
    found = []
    for name in names:
        match = _LIST.match(norm(name))
        if match:
            found.append((name, int(match.group(1))))
    return found


def detect(source: InputFile) -> bool:
    """A text table with a country or iso3 column and one or more '…list_NN' participation columns."""
    if source.kind != "text":
        return False
    columns = text_layout(source).columns
    return bool(_lists(columns)) and bool({"iso3", "country"} & set(columns))


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """One record per participating state and dated list; every list's count checked against its header."""
    frame, _ = read_text_table(source)
    columns = {norm(c): str(c) for c in frame.columns}
    names = [str(c) for c in frame.columns]
    country_column = columns.get("country", columns.get("iso3", ""))
    note_column = columns.get("note", columns.get("notes", ""))
    indicator = options.indicator or INDICATOR
    problems: list[Problem] = []
    notes: list[str] = []
    records = frame.to_dict("records")
    row_numbers = frame.index.tolist()

    def cell(record: dict[Any, Any], key: str) -> str:
        return str(record[columns[key]]).strip() if key in columns else ""

    members: dict[str, list[int]] = {}  # list column → positions of its participating states
    for column, size in _lists(names):
        listed, bad = [], 0
        for position, record in enumerate(records):
            answer = str(record[column]).strip().lower()
            if answer in _YES:
                listed.append(position)
            elif answer not in _NO:
                bad += 1
                problems.append(
                    Problem(
                        source.name, f"'{record[column]}' is neither 1 nor 0", row=row_numbers[position], column=column
                    )
                )
        members[column] = listed
        if len(listed) != size and not bad:
            problems.append(
                Problem(source.name, f"the list holds {len(listed)} states; its header says {size}", column=column)
            )

    years: dict[str, str] = {}
    dated: list[tuple[int, str]] = []
    for column, _size in _lists(names):
        dated_by = _YEAR.search(norm(column))
        if dated_by:
            years[column] = dated_by.group(1)
            dated.append((int(dated_by.group(1)), column))
    for column, size in _lists(names):
        if column in years:
            continue
        if "current" not in norm(column):
            notes.append(f"list '{column}' ({size} states) names no year: left out")
            continue
        if options.edition:
            years[column] = str(options.edition)
            continue
        previous = set(members[max(dated)[1]]) if dated else set()
        joined = [
            _JOINED.search(str(records[p][note_column])) if note_column else None
            for p in members[column]
            if p not in previous
        ]
        found = sorted((int(m.group(2)), m.group(1)) for m in joined if m)
        if not found:
            problems.append(
                Problem(
                    source.name,
                    "cannot tell the year of the current list: no state it adds to the latest dated list has a "
                    "'joined <day> <month> <year>' note; pass --edition YEAR",
                    column=column,
                )
            )
            continue
        years[column] = str(found[-1][0])
        notes.append(f"list '{column}' ({size} states) stored as {found[-1][0]}: it holds from {found[-1][1]}")

    out: list[dict[str, Any]] = []
    for column, year in years.items():
        for position in members[column]:
            record = records[position]
            out.append(
                {
                    "file": source.name,
                    "row": row_numbers[position],
                    "column": column,
                    "year_column": column,
                    "country_column": country_column,
                    "country": cell(record, "country") or cell(record, "iso3"),
                    "iso3": cell(record, "iso3"),
                    "year": year,
                    "indicator": indicator,
                    "value": "1",
                    "status": "",
                    "note": str(record[note_column]).strip() if note_column else "",
                    "source": cell(record, "source"),
                }
            )
    return Extracted(records_frame(out), problems, notes)


FORMAT = Format(
    name="wassenaar",
    summary=(
        "participation lists (Wassenaar Arrangement): country or iso3 and one 0/1 column per list, headed with its year "
        "and size ('participating_2012_list_41') or 'current'"
    ),
    detect=detect,
    extract=reads_tables(extract),
)
