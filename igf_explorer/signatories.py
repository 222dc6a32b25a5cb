"""Signatories: reading the CSV, parsing the statement's wrapped two-column signatory table, and counting origins."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from igf_explorer.countries import Region, continent_of, country_name, in_region, is_iso3, subregion_of
from igf_explorer.problems import Problem
from igf_explorer.statement import Signatory
from igf_explorer.validation import validate_frame

SIGNATORY_COLUMNS = [
    "name",
    "person",
    "organization",
    "type",
    "base_iso3",
    "focus_iso3",
    "focus_description",
    "country_basis",
    "description",
    "source",
]
_REQUIRED_TEXT = pa.Check.str_length(min_value=1)
_ISO3_OR_EMPTY = pa.Check(lambda s: s.eq("") | s.map(is_iso3), element_wise=False, name="iso3_or_empty")
_ISO3_LIST = pa.Check(
    lambda s: s.map(lambda v: all(is_iso3(code) for code in v.split(";")) if v else True),
    name="iso3_list_semicolon_separated",
)

SIGNATORY_SCHEMA = pa.DataFrameSchema(
    {
        "name": pa.Column(str, _REQUIRED_TEXT, unique=True),
        "person": pa.Column(str),
        "organization": pa.Column(str),
        "type": pa.Column(str, pa.Check.isin(["organization", "individual"])),
        "base_iso3": pa.Column(str, _ISO3_OR_EMPTY),
        "focus_iso3": pa.Column(str, _ISO3_LIST),
        "focus_description": pa.Column(str),
        "country_basis": pa.Column(str, _REQUIRED_TEXT),
        "description": pa.Column(str),
        "source": pa.Column(str, _REQUIRED_TEXT),
    },
    strict=True,
    ordered=False,
)


def read_signatories(path: Path, problems: list[Problem], display_name: str | None = None) -> tuple[Signatory, ...]:
    """Read and validate the signatories CSV; every problem goes to ``problems``."""
    name = display_name or path.name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, "file is missing"))
        return ()
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(Problem(name, f"cannot be read as CSV: {exc}"))
        return ()
    valid, found = validate_frame(frame, SIGNATORY_SCHEMA, name)
    if valid is None:
        problems.extend(found)
        return ()
    return tuple(
        Signatory(
            name=row["name"],
            person=row["person"],
            organization=row["organization"],
            type=row["type"],
            base_iso3=row["base_iso3"],
            focus_iso3=tuple(code for code in row["focus_iso3"].split(";") if code),
            focus_description=row["focus_description"],
            country_basis=row["country_basis"],
            description=row["description"],
            source=row["source"],
        )
        for row in valid.to_dict("records")
    )


def parse_signatory_block(original_markdown: str) -> list[str]:
    """Names in the statement's signatory table, in reading order (left column, then right).

    The table's cells wrap across rows: a cell that does not start with ``- `` continues the entry above it.
    """
    lines = original_markdown.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if "Signatories" in line)
    except StopIteration:
        return []
    columns: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.count("|") < 2:
            continue
        cells = line.split("|")[1:-1]
        if all(set(cell.strip()) <= set("-") for cell in cells):
            continue  # header or separator row
        while len(columns) < len(cells):
            columns.append([])
        for column, cell in zip(columns, cells, strict=False):  # short rows leave columns out
            text = cell.strip()
            if text.startswith("- "):
                column.append(text[2:].strip())
            elif text and column:
                column[-1] = f"{column[-1]} {text}"
    return [name for column in columns for name in column]


def signatories_in_region(signatories: Iterable[Signatory], region: Region | None) -> list[Signatory]:
    """Signatories based in ``region``; with no region, all of them (unknown origins included)."""
    if region is None:
        return list(signatories)
    return [s for s in signatories if s.origin_known and in_region(s.base_iso3, region)]


def signatory_table(signatories: Iterable[Signatory]) -> pd.DataFrame:
    """One row per signatory with readable country names; unknown origins say so."""
    rows = []
    for s in signatories:
        rows.append(
            {
                "Signatory": s.name,
                "Type": s.type,
                "Based in": country_name(s.base_iso3) if s.origin_known else "origin unknown",
                "Focus countries": ", ".join(country_name(c) for c in s.focus_iso3) or s.focus_description,
                "How the country is known": s.country_basis,
                "Source": s.source,
            }
        )
    return pd.DataFrame(rows)


def counts_by_country(signatories: Iterable[Signatory]) -> pd.DataFrame:
    """Signatories per base country, with continent and sub-region; unknown origins form their own row."""
    rows = []
    for s in signatories:
        if s.origin_known:
            rows.append(
                {
                    "iso3": s.base_iso3,
                    "Country": country_name(s.base_iso3),
                    "Continent": continent_of(s.base_iso3),
                    "Sub-region": subregion_of(s.base_iso3),
                }
            )
        else:
            rows.append({"iso3": "", "Country": "origin unknown", "Continent": "unknown", "Sub-region": "unknown"})
    frame = pd.DataFrame(rows, columns=["iso3", "Country", "Continent", "Sub-region"])
    counted = frame.groupby(["iso3", "Country", "Continent", "Sub-region"], dropna=False).size()
    return (
        counted.rename("Signatories")
        .reset_index()
        .sort_values(["Signatories", "Country"], ascending=[False, True], ignore_index=True)
    )


def counts_by_region(signatories: Iterable[Signatory], level: str = "Continent") -> pd.DataFrame:
    """Signatories per continent or sub-region (``level``), unknown origins counted as 'unknown'."""
    by_country = counts_by_country(signatories)
    grouped = by_country.groupby(level, dropna=False)["Signatories"].sum()
    return grouped.reset_index().sort_values(["Signatories", level], ascending=[False, True], ignore_index=True)


def origin_counts(signatories: Iterable[Signatory]) -> dict[str, int]:
    """How many base countries, continents and sub-regions the signatories with a known origin come from."""
    known = counts_by_country(signatories)
    known = known[known["iso3"] != ""]
    return {
        "Base countries": int(known["iso3"].nunique()),
        "Continents": int(known["Continent"].nunique()),
        "Sub-regions": int(known["Sub-region"].nunique()),
    }
