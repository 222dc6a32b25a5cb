"""A per-country yes/no list, such as the WCIT-12 Final Acts signatures; states not listed stay unknown."""

from __future__ import annotations

import re
from typing import Any

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, nothing, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.problems import Problem

_YES = {"yes", "y", "signed", "1", "true"}
_NO = {"no", "n", "did not sign", "not signed", "0", "false"}


def detect(source: InputFile) -> bool:
    """A text table with a 'signed…' column and a country or iso3 column."""
    if source.kind != "text":
        return False
    columns = text_layout(source).columns
    return any(c.startswith("signed") for c in columns) and bool({"iso3", "country"} & set(columns))


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """One record per listed state: 1 signed, 0 did not sign."""
    frame, header_line = read_text_table(source)
    columns = {norm(c): str(c) for c in frame.columns}
    signed = next(original for normal, original in columns.items() if normal.startswith("signed"))
    years = re.findall(r"(?:19|20)\d{2}", signed)
    year = str(options.edition or (years[0] if years else ""))
    if not year:
        return nothing([Problem(source.name, f"cannot tell the year from '{signed}'; pass --edition", column=signed)])
    indicator = options.indicator or "wcit12_signed"

    def cell(record: dict[Any, Any], *names: str) -> str:
        column = next((columns[n] for n in names if n in columns), None)
        return str(record[column]).strip() if column is not None else ""

    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    country_column = columns.get("country", columns.get("iso3", ""))
    for row_number, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
        answer = str(record[signed]).strip().lower()
        if answer in _YES:
            value, status = "1", "signed"
        elif answer in _NO:
            value, status = "0", "did not sign"
        else:
            problems.append(
                Problem(source.name, f"'{record[signed]}' is neither yes nor no", row=row_number, column=signed)
            )
            continue
        out.append(
            {
                "file": source.name,
                "row": row_number,
                "column": signed,
                "year_column": "",
                "country_column": country_column,
                "country": cell(record, "country") or cell(record, "iso3"),
                "iso3": cell(record, "iso3"),
                "year": year,
                "indicator": indicator,
                "value": value,
                "status": status,
                "note": cell(record, "notes", "note"),
                "source": cell(record, "source"),
            }
        )
    return Extracted(records_frame(out), problems)


FORMAT = Format(
    name="signatures",
    summary="a per-country yes/no list: a 'signed…' column (its header or --edition gives the year) and country or iso3",
    detect=detect,
    extract=reads_tables(extract),
)
