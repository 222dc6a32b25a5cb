"""Freedom House Freedom in the World raw data: one row per country or territory and edition, every sub-score.

The producer's workbook (sheet ``FIW13-24``, a title row above the header) names countries only, marks territories
in a ``C/T`` column, and gives each edition, which covers the calendar year before it: records are filed under the
year measured (edition − 1) and each says its edition in its note. Four columns are read: the total, category D
(freedom of expression and belief) and its questions D1 (free media) and D4 (free private discussion); the total is
checked against PR + CL and D against D1 + D2 + D3 + D4 where those columns are present.

A territory is kept only when its name resolves strictly to an ISO 3166 code of its own (Hong Kong, Puerto Rico):
one without a code (Abkhazia, Tibet, …), or whose name the alias list files under a state the file rates itself
(Somaliland under Somalia), is left out and named in the notes. Overrides do not apply to territories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from igf_explorer.countries import country_name
from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, nothing, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, read_workbook, text_layout, workbook_headers
from igf_explorer.names import resolve_names
from igf_explorer.numbers import parse_number
from igf_explorer.problems import DataError, Problem

# Normalised header → indicator. Only these figures are stored; the other sub-scores are read for the sum checks.
INDICATORS = {"total": "fiw_total", "d": "fiw_expression", "d1": "fiw_free_media", "d4": "fiw_private_discussion"}
_SIGNATURE = {"edition", "total", "pr", "cl", "d", "d1", "d4"}
_STATUS = {"f": "Free", "pf": "Partly Free", "nf": "Not Free", "free": "Free", "partly free": "Partly Free"}
_STATUS["not free"] = "Not Free"
_SUMS = (("total", ("pr", "cl")), ("d", ("d1", "d2", "d3", "d4")))


def _country_column(names: list[str]) -> str | None:
    return next((n for n in names if norm(n).startswith("country")), None)


def _looks_like_fiw(names: list[str]) -> bool:
    normalised = {norm(n) for n in names}
    return _SIGNATURE - {"edition"} <= normalised and _country_column(names) is not None


def detect(source: InputFile) -> bool:
    """A table with a country column, Total, PR, CL and category D with D1 and D4 (Freedom in the World's headers)."""
    if source.kind == "xlsx":
        return any(_looks_like_fiw(h) for h in workbook_headers(source).values())
    return _looks_like_fiw(text_layout(source).columns)


@dataclass(frozen=True)
class _Table:
    frame: pd.DataFrame
    label: str


def _table(source: InputFile) -> _Table:
    if source.kind == "xlsx":
        for sheet, (frame, _) in read_workbook(source).items():
            if _looks_like_fiw([str(c) for c in frame.columns]):
                return _Table(frame, f"{source.name} [{sheet}]")
        raise ValueError("no sheet has a country column, Total, PR, CL, D, D1 and D4")
    frame, _ = read_text_table(source)
    return _Table(frame, source.name)


def _data_dir(registry: Registry) -> Path | None:
    """The data directory whose alias list the pipeline resolves names with (the sidecars' parent's parent)."""
    return next((d.path.parent.parent for d in registry.datasets), None)


def _territories_left_out(rows: list[dict[str, Any]], registry: Registry) -> tuple[set[str], list[str]]:
    """Territory names to leave out, and notes naming each with the reason.

    Raises
    ------
    DataError
        When the alias list cannot be read (the pipeline would refuse the names anyway).
    """
    territories = sorted({r["country"] for r in rows if r["kind"] == "t"})
    if not territories:
        return set(), []
    countries = sorted({r["country"] for r in rows if r["kind"] != "t"})
    resolved = resolve_names([*territories, *countries], data_dir=_data_dir(registry))
    rated = {resolved[c].iso3 for c in countries if resolved[c].iso3}
    no_code = [t for t in territories if not resolved[t].iso3]
    filed_under = {t: str(resolved[t].iso3) for t in territories if resolved[t].iso3 in rated}
    notes = []
    if no_code:
        notes.append(f"territories without an ISO 3166 code, left out: {', '.join(no_code)}")
    if filed_under:
        named = "; ".join(
            f"{t} (the alias list files it under {c}, {country_name(c)}, which the file rates itself)"
            for t, c in filed_under.items()
        )
        notes.append(f"territories without an ISO 3166 code of their own, left out: {named}")
    return set(no_code) | set(filed_under), notes


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Records for the total (with its status), D, D1 and D4 of every country and coded territory, per year."""
    table = _table(source)
    columns = {norm(c): str(c) for c in table.frame.columns}
    country_column = _country_column(list(table.frame.columns))
    if country_column is None:  # only when --format fiw is forced on another layout
        raise ValueError("no Country/Territory column")
    edition_column = columns.get("edition", "")
    if not edition_column and not options.edition:
        return nothing(
            [Problem(table.label, "has no 'Edition' column; pass --edition YEAR (the edition, not the year measured)")]
        )
    kind_column, status_column = columns.get("c/t", ""), columns.get("status", "")
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    for row_number, record in zip(table.frame.index.tolist(), table.frame.to_dict("records"), strict=True):
        cell = {key: str(record[column]).strip() for key, column in columns.items()}
        country = " ".join(str(record[country_column]).split())
        if not country:
            if any(cell.values()):
                problems.append(Problem(table.label, "country is empty", row=row_number, column=country_column))
            continue
        kind = cell.get("c/t", "c").lower() or "c"
        if kind not in ("c", "t"):
            problems.append(
                Problem(
                    table.label,
                    f"'{cell['c/t']}' is neither c (country) nor t (territory)",
                    row=row_number,
                    column=kind_column,
                )
            )
            continue
        rows.append({"row": row_number, "country": country, "kind": kind, "cell": cell})
    try:
        left_out, notes = _territories_left_out(rows, registry)
    except DataError as error:
        return nothing(problems + error.problems)
    out: list[dict[str, Any]] = []
    for row in rows:
        if row["country"] in left_out:
            continue
        cell, row_number = row["cell"], row["row"]
        edition_text = cell.get("edition") or str(options.edition or "")
        edition = parse_number(edition_text)
        if not (edition == edition and edition % 1 == 0 and 1973 <= edition <= 2100):
            problems.append(
                Problem(table.label, f"edition '{edition_text}' is not a year", row=row_number, column=edition_column)
            )
            continue
        status = ""
        if status_column and cell.get("status"):
            status = _STATUS.get(cell["status"].lower(), "")
            if not status:
                problems.append(
                    Problem(
                        table.label,
                        f"status '{cell['status']}' is not F, PF or NF (Free, Partly Free, Not Free)",
                        row=row_number,
                        column=status_column,
                    )
                )
                continue
        for whole, parts in _SUMS:
            if not all(p in cell for p in parts):
                continue
            numbers = [parse_number(cell[p]) for p in (whole, *parts)]
            if all(n == n for n in numbers) and abs(sum(numbers[1:]) - numbers[0]) > 1e-9:
                problems.append(
                    Problem(
                        table.label,
                        f"{' + '.join(columns[p] for p in parts)} add up to {sum(numbers[1:]):g}, not "
                        f"{columns[whole]} {numbers[0]:g}",
                        row=row_number,
                        column=columns[whole],
                    )
                )
        note = f"Freedom in the World {int(edition)} (covers {int(edition) - 1})"
        for key, indicator in INDICATORS.items():
            if not cell.get(key):
                continue
            out.append(
                {
                    "file": table.label,
                    "row": row_number,
                    "column": columns[key],
                    "year_column": edition_column,
                    "country_column": country_column,
                    "country": row["country"],
                    "iso3": "",
                    "year": str(int(edition) - 1),
                    "indicator": indicator,
                    "value": cell[key],
                    "status": status if key == "total" else "",
                    "note": note,
                    "source": "",
                }
            )
    editions = sorted({int(r["year"]) + 1 for r in out})
    if len(editions) == 1:
        notes.append(f"edition {editions[0]} stored under the year it measures, {editions[0] - 1}")
    elif editions:
        notes.append(
            f"editions {editions[0]}–{editions[-1]} stored under the years they measure, "
            f"{editions[0] - 1}–{editions[-1] - 1}"
        )
    return Extracted(records_frame(out), problems, notes)


FORMAT = Format(
    name="fiw",
    summary=(
        "Freedom House Freedom in the World raw data: Country/Territory, C/T, Edition, Status and the sub-scores "
        "(PR, CL, D, D1 … D4, Total), any title row above the header; year = edition − 1"
    ),
    detect=detect,
    extract=reads_tables(extract),
)
