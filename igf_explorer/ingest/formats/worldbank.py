"""World Bank WDI wide CSV: one row per economy and indicator, one column per year; aggregates dropped."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from igf_explorer.indicators import Registry, is_economy_code
from igf_explorer.ingest.formats.base import Extracted, Format, nothing, reads_tables
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile, open_input
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.problems import Problem

_NEEDED = {"country name", "country code", "indicator name", "indicator code"}


def detect(source: InputFile) -> bool:
    """A text table with WDI's four identifying columns."""
    return source.kind == "text" and _NEEDED <= set(text_layout(source).columns)


def parse_vintage(text: str) -> str:
    """A WDI 'Last Updated Date' as an ISO date ('' when it is not a date)."""
    text = text.strip().strip('"').strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{1,2})/(\d{1,2})/(\d{4})"):
        match = re.fullmatch(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if pattern.startswith(r"(\d{4})") else (parts[2], parts[0], parts[1])
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return ""
    return ""


def _metadata_regions(source: InputFile) -> dict[str, str] | None:
    """Country code → region from the WDI ``Metadata_Country_…`` file beside the data file, if there is one."""
    candidate = source.path.with_name("Metadata_Country_" + source.path.name)
    if not candidate.is_file():
        return None
    meta, problems = open_input(candidate)
    if meta is None or problems:
        return None
    frame, _ = read_text_table(meta)
    columns = {norm(c): c for c in frame.columns}
    if "country code" not in columns or "region" not in columns:
        return None
    return dict(zip(frame[columns["country code"]], frame[columns["region"]], strict=True))


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Long records of every economy's figures; the preamble's date is the vintage."""
    frame, header_line = read_text_table(source)
    layout = text_layout(source)
    columns = {norm(c): c for c in frame.columns}
    code_col, name_col, indicator_col = columns["country code"], columns["country name"], columns["indicator code"]
    year_cols = [c for c in frame.columns if re.fullmatch(r"\d{4}", str(c).strip())]
    notes: list[str] = []
    vintage = parse_vintage(layout.last_updated)
    problems: list[Problem] = []
    if layout.last_updated and not vintage:
        problems.append(
            Problem(source.name, f"'Last Updated Date' '{layout.last_updated}' is not a date", row=layout.skip)
        )
    regions = _metadata_regions(source)
    if regions is not None:
        is_economy = frame[code_col].map(lambda code: bool(regions.get(code, "").strip()))
        notes.append("aggregates dropped using the WDI country metadata file (rows without a region)")
    else:
        is_economy = frame[code_col].map(is_economy_code)
        notes.append(
            "no WDI metadata file beside the input: aggregates dropped because their codes are not ISO 3166 codes"
        )
    notes.append(f"{int((~is_economy).sum())} aggregates dropped, {int(is_economy.sum())} economies kept")
    frame = frame.assign(_row=frame.index.to_numpy()).loc[is_economy]

    indicator_ids = {}
    for code in frame[indicator_col].unique():
        meta = registry.indicator(options.indicator) if options.indicator else registry.by_source_code(code)
        if meta is None:
            problems.append(
                Problem(
                    source.name, f"indicator code '{code}' is not registered; pass --indicator ID", column=indicator_col
                )
            )
        else:
            indicator_ids[code] = meta.id
    if problems:
        return nothing(problems, notes)
    long = frame.melt(
        id_vars=["_row", code_col, name_col, indicator_col], value_vars=year_cols, var_name="year", value_name="value"
    )
    long = long[long["value"].str.strip() != ""]
    records = pd.DataFrame(
        {
            "file": source.name,
            "row": long["_row"],
            "column": long["year"].astype(str),
            "year_column": long["year"].astype(str),
            "country_column": code_col,
            "country": long[name_col],
            "iso3": long[code_col],
            "year": long["year"].astype(str).str.strip(),
            "indicator": long[indicator_col].map(indicator_ids),
            "value": long["value"],
            "status": "",
            "note": "",
            "source": "",
        }
    ).sort_values(["row", "year"])
    return Extracted(records.reset_index(drop=True), problems, notes, vintage=vintage)


FORMAT = Format(
    name="worldbank",
    summary=(
        "a World Bank WDI CSV (columns Country Name, Country Code, Indicator Name, Indicator Code, then one per year), "
        "with or without its 'Data Source / Last Updated Date' preamble; put the Metadata_Country_… file beside it"
    ),
    detect=detect,
    extract=reads_tables(extract),
    releases=True,
)
