"""Ranking Digital Rights' own CSVs (github:rankingdigitalrights/index2022): company scores, one format per layout.

Three layouts carry scores and load into the ``rdr`` company dataset; which indicator a score belongs to comes from
the indicators' ``source_codes`` in its sidecar (``RDR:Total``, ``RDR:Governance``, …, ``RDR:F06``), never from code:

- ``2022-year-over-year.csv``: one row per company and scope (Total, Governance, Freedom, Privacy), one column per
  Index year (2015, 2017–2020, 2022), and ``<year>DiffAdjusted`` columns: RDR's change from the previous Index
  adjusted for its methodology changes. Those are not scores; each year's is kept in its row's note.
- ``2020-totals.csv`` (``Index, Company, Score``): the 2020 Index totals of all 26 companies, telecoms included. Its
  earlier Index's rows are left out: they are not the scores RDR published in that Index (the 2019 Index's own data
  gives AT&T 47.88 and Twitter 55.16, this file 49 and 62), and RDR's site reads only the 2020 rows of this file.
- ``2022-levels.csv``: indicator scores per company, Index (2020, 2022) and service. Where RDR gives no company-level
  (``Group``) row, the company's score is the mean of its scored services, as RDR computes it (RDR's 2020 site shows
  Microsoft's F6 as 32, the mean of Bing 50, Skype 0 and OneDrive 45; P11a as 70); the row's note lists the services.

The specification files (company and indicator specs) carry no scores and are refused with that reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, company_records_frame, nothing, reads_tables
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.numbers import parse_number
from igf_explorer.problems import Problem

CODE_PREFIX = "RDR:"
_YEAR = re.compile(r"^(19|20)\d{2}$")
_ADJUSTED = re.compile(r"^((?:19|20)\d{2})\s*diffadjusted$")
_MISSING = {"", "na", "n/a"}


def _columns(source: InputFile) -> set[str]:
    return set(text_layout(source).columns) if source.kind == "text" else set()


def _is_year_over_year(columns: set[str]) -> bool:
    return {"company", "scope"} <= columns and any(_YEAR.match(c) for c in columns)


def _is_totals(columns: set[str]) -> bool:
    return columns == {"index", "company", "score"}


def _is_levels(columns: set[str]) -> bool:
    return {"index", "company", "indicator", "composite", "service", "score"} <= columns


def detect(source: InputFile) -> bool:
    """RDR's year-over-year, totals or levels CSV."""
    columns = _columns(source)
    return _is_year_over_year(columns) or _is_totals(columns) or _is_levels(columns)


def detect_specs(source: InputFile) -> bool:
    """RDR's company or indicator specifications."""
    columns = _columns(source)
    return {"company", "companyclean", "maintype", "country"} <= columns or {
        "indicator",
        "labelshort",
        "labellong",
        "scoringscope",
    } <= columns


def _codes(registry: Registry) -> dict[str, str]:
    """RDR code (``Total``, ``F06``…) → company indicator id, from the sidecars' ``source_codes``."""
    return {
        code.removeprefix(CODE_PREFIX): meta.id
        for meta in registry.company_indicators.values()
        for code in meta.source_codes
        if code.startswith(CODE_PREFIX)
    }


def _missing(text: object) -> bool:
    return str(text).strip().lower() in _MISSING


def _record(
    source: InputFile, row: int, column: str, company_column: str, company: str, year: str, indicator: str, value: str
) -> dict[str, Any]:
    return {
        "file": source.name,
        "row": row,
        "column": column,
        "year_column": column,
        "company_column": company_column,
        "company": company,
        "year": year,
        "indicator": indicator,
        "value": value,
        "status": "",
        "note": "",
        "source": "",
    }


def _year_over_year(source: InputFile, frame: pd.DataFrame, codes: Mapping[str, str]) -> Extracted:
    columns = {norm(c): str(c) for c in frame.columns}
    company_column, scope_column = columns["company"], columns["scope"]
    years = [original for normal, original in columns.items() if _YEAR.match(normal)]
    adjusted = {m.group(1): original for normal, original in columns.items() if (m := _ADJUSTED.match(normal))}
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    missing = 0
    for row, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
        scope = str(record[scope_column]).strip()
        indicator = codes.get(scope)
        if indicator is None:
            problems.append(
                Problem(
                    source.name,
                    f"scope '{scope}' is not one the rdr sidecar names ({', '.join(sorted(codes))})",
                    row=row,
                    column=scope_column,
                )
            )
            continue
        for year in years:
            cell = str(record[year]).strip()
            if _missing(cell):
                missing += 1
                continue
            item = _record(source, row, year, company_column, str(record[company_column]), year, indicator, cell)
            change = record.get(adjusted.get(year, ""), "")
            if change is not None and not _missing(change) and not math.isnan(parse_number(change)):
                item["note"] = (
                    f"RDR's change from the previous Index adjusted for its methodology changes ({adjusted[year]}): "
                    f"{parse_number(change):+g}"
                )
            out.append(item)
    notes = [
        f"{missing} cells are NA (the company was not in that Index): no row for them",
        f"the {len(adjusted)} DiffAdjusted columns are RDR's methodology-adjusted changes, not scores: each is kept in "
        "the note of the row it belongs to",
    ]
    return Extracted(company_records_frame(out), problems, notes)


def _totals(source: InputFile, frame: pd.DataFrame, codes: Mapping[str, str]) -> Extracted:
    columns = {norm(c): str(c) for c in frame.columns}
    index_column, company_column, score_column = columns["index"], columns["company"], columns["score"]
    indicator = codes.get("Total")
    if indicator is None:
        return nothing([Problem(source.name, "no company indicator has the source code RDR:Total")])
    indexes = pd.to_numeric(frame[index_column], errors="coerce")
    if indexes.isna().all():
        return nothing([Problem(source.name, "no row names its Index year", column=index_column)])
    latest = int(indexes.max())
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    earlier = missing = 0
    for row, record, index in zip(frame.index.tolist(), frame.to_dict("records"), indexes, strict=True):
        if math.isnan(index):
            problems.append(
                Problem(source.name, f"Index '{record[index_column]}' is not a year", row=row, column=index_column)
            )
            continue
        if int(index) != latest:
            earlier += 1
            continue
        if _missing(record[score_column]):
            missing += 1
            continue
        out.append(
            _record(
                source,
                row,
                score_column,
                company_column,
                str(record[company_column]),
                str(latest),
                indicator,
                str(record[score_column]),
            )
        )
    notes = [f"{missing} of the {latest} Index scores are NA: no row for them"] if missing else []
    if earlier:
        notes.append(
            f"{earlier} rows of earlier Indexes left out: this file's earlier scores are not those RDR published in "
            f"those Indexes (RDR's own site reads only its {latest} rows); the year-over-year file gives them"
        )
    return Extracted(company_records_frame(out), problems, notes)


def _levels(source: InputFile, frame: pd.DataFrame, codes: Mapping[str, str]) -> Extracted:
    columns = {norm(c): str(c) for c in frame.columns}
    index_column, company_column = columns["index"], columns["company"]
    indicator_column, composite_column = columns["indicator"], columns["composite"]
    service_column, score_column = columns["service"], columns["score"]
    wanted = frame[frame[indicator_column].str.strip().isin(list(codes))]
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    unscored: list[str] = []
    for key, group in wanted.groupby([index_column, company_column, indicator_column], sort=True):
        index, company, code = (str(part).strip() for part in key)
        scores = group[score_column].map(lambda v: float("nan") if _missing(v) else parse_number(v))
        bad = group[scores.isna() & ~group[score_column].map(_missing)]
        for row, cell in zip(bad.index.tolist(), bad[score_column], strict=True):
            problems.append(Problem(source.name, f"score '{cell}' is not a number", row=int(row), column=score_column))
        if len(bad):
            continue
        level = group[group[composite_column].str.strip().str.casefold() == "group"]
        scored = scores.loc[level.index].dropna() if len(level) else pd.Series(dtype=float)
        if len(scored):
            value, note = float(scored.iloc[0]), "RDR's company-level (Group) score"
            row = int(scored.index[0])
        else:
            services = group[group[composite_column].str.strip().str.casefold() == "services"]
            kept = scores.loc[services.index].dropna()
            if kept.empty:
                unscored.append(f"{company} {code} {index}")
                continue
            listed = "; ".join(f"{services.at[i, service_column]!s} {kept[i]:g}" for i in kept.index)
            skipped = [str(services.at[i, service_column]) for i in services.index if i not in kept.index]
            value = round(float(kept.mean()), 2)
            note = (
                f"mean of the {len(kept)} scored services, as RDR computes a company's indicator score ({listed})"
                + (f"; not scored: {', '.join(skipped)}" if skipped else "")
            )
            row = int(services.index[0])
        item = _record(source, row, score_column, company_column, str(company), str(index), codes[code], repr(value))
        item["note"] = note
        out.append(item)
    notes = [
        f"{wanted[indicator_column].nunique()} of the file's {frame[indicator_column].nunique()} indicators are read "
        f"({', '.join(f'{c} → {codes[c]}' for c in sorted(codes) if c in set(wanted[indicator_column]))}); the "
        "others are not in the rdr sidecar"
    ]
    if unscored:
        notes.append(f"no service scored, so no row: {', '.join(unscored)}")
    return Extracted(company_records_frame(out), problems, notes)


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Company records of whichever RDR score layout the file has."""
    frame, _ = read_text_table(source)
    codes = _codes(registry)
    if not codes:
        return nothing([Problem(source.name, "no company indicator has an RDR source code (RDR:…) in its sidecar")])
    columns = {norm(c) for c in frame.columns}
    if _is_year_over_year(columns):
        return _year_over_year(source, frame, codes)
    if _is_totals(columns):
        return _totals(source, frame, codes)
    return _levels(source, frame, codes)


FORMAT = Format(
    name="rdr",
    summary="Ranking Digital Rights' CSVs: year-over-year (Company, Scope, one column per Index year), totals (Index, "
    "Company, Score) or levels (Index, Company, Indicator, Composite, Service, Score)",
    detect=detect,
    extract=reads_tables(extract),
    entity="company",
)

SPECS_FORMAT = Format(
    name="rdr-specs",
    summary="Ranking Digital Rights' company or indicator specifications: refused",
    detect=detect_specs,
    refusal=(
        "is one of Ranking Digital Rights' specification files (company specs: name, type, region and headquarters; "
        "indicator specs: labels and guidance), which carry no scores, so there is nothing to ingest. The companies' "
        "headquarters and types are in data/companies/companies.yaml; load the scores from 2022-year-over-year.csv, "
        "2020-totals.csv or 2022-levels.csv."
    ),
    entity="company",
)

FORMATS = (FORMAT, SPECS_FORMAT)
