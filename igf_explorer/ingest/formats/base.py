"""What every format module hands the pipeline: long records, one per country × period × indicator, located."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from igf_explorer.indicators import Registry
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import TableError
from igf_explorer.problems import Problem

# Every record says where it came from (file, row, and the columns its value, period and country were read from),
# so that any later stage can point at the cell.
RECORD_COLUMNS = [
    "file",
    "row",
    "column",
    "year_column",
    "country_column",
    "country",
    "iso3",
    "year",
    "indicator",
    "value",
    "status",
    "note",
    "source",
]
_TEXT = ("file", "column", "year_column", "country_column", "country", "iso3", "status", "note", "source")
# A company format's records name a company instead of a country: the name as written and the column it was read from.
COMPANY_RECORD_COLUMNS = [
    "file",
    "row",
    "column",
    "year_column",
    "company_column",
    "company",
    "year",
    "indicator",
    "value",
    "status",
    "note",
    "source",
]
_COMPANY_TEXT = ("file", "column", "year_column", "company_column", "company", "status", "note", "source")


@dataclass
class Extracted:
    """A format's output: records, the problems found while reading them, and what the file says about itself."""

    records: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sidecar_updates: dict[str, Any] = field(default_factory=dict)
    vintage: str = ""  # the vintage the file states (ISO date or year-month), '' when it states none


def records_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Records from row dictionaries, text columns never NaN."""
    frame = pd.DataFrame(list(rows), columns=RECORD_COLUMNS)
    for column in _TEXT:
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def company_records_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Company records from row dictionaries, text columns never NaN."""
    frame = pd.DataFrame(list(rows), columns=COMPANY_RECORD_COLUMNS)
    for column in _COMPANY_TEXT:
        frame[column] = frame[column].fillna("").astype(str)
    return frame


MAX_PROBLEMS_PER_KIND = 50


def _shown(value: Any) -> Any:
    """A cell as a message quotes it: floats as written (40, not 40.0)."""
    return repr(value).removesuffix(".0") if isinstance(value, float) else value


def located(records: pd.DataFrame, mask: pd.Series, message: str, column: str | None = None) -> list[Problem]:
    """One problem per record where ``mask`` holds (at most 50 of a kind, then a count).

    ``message`` is a format string over the record's fields; ``column`` names the cell's column, or the name of
    the record field that holds it (``"country_column"``, ``"company_column"``, ``"year_column"``), or by default the
    value's column.
    """
    hits = records[mask]
    problems = []
    for record in hits.head(MAX_PROBLEMS_PER_KIND).to_dict("records"):
        if column in ("country_column", "year_column", "company_column"):
            where = str(record[column]) or None
        else:
            where = column or str(record["column"]) or None
        problems.append(
            Problem(
                str(record["file"]),
                message.format(**{str(k): _shown(v) for k, v in record.items()}),
                row=int(record["row"]),
                column=where,
            )
        )
    if len(hits) > MAX_PROBLEMS_PER_KIND:
        problems.append(
            Problem(str(hits["file"].iloc[0]), f"… and {len(hits) - MAX_PROBLEMS_PER_KIND} more rows like these")
        )
    return problems


def nothing(problems: list[Problem], notes: list[str] | None = None) -> Extracted:
    """An extraction that found only problems."""
    return Extracted(records_frame([]), problems, notes or [])


Extract = Callable[[InputFile, Registry, Options], Extracted]


def reads_tables(extract: Extract) -> Extract:
    """``extract`` with a table that cannot be parsed reported as its located problem, not raised."""

    @functools.wraps(extract)
    def wrapped(source: InputFile, registry: Registry, options: Options) -> Extracted:
        try:
            return extract(source, registry, options)
        except TableError as error:
            return nothing([error.problem])

    return wrapped


@dataclass(frozen=True)
class Format:
    """One producer's layout: how to recognise it, what it expects, and how to read it (or why it is refused)."""

    name: str
    summary: str  # what the format expects, for the unrecognised-format message and the Data page
    detect: Callable[[InputFile], bool]
    extract: Extract | None = None
    refusal: str = ""  # a recognised file that ingest does not load, and why
    counts_events: bool = False  # one record per event, counted per country and period
    releases: bool = False  # a producer's release of a whole series, with a vintage (not a hand-made correction)
    entity: Literal["country", "company"] = "country"  # company: records name companies (igf_explorer.ingest.company)
