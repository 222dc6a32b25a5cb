"""Government requests for user data, per company, country and half-year: summed per country and calendar year.

The compilation (Alice Corona, from 19 companies' transparency reports, 2009–2013) has one row per company, country
and half-year, with two conventions of the compiler that are not counts:

- Twitter's "<10" (fewer than 10 requests) is written as 5.5. It is left out of the sum; a year's figure that has one
  is a lower bound (status "at least"), and a year whose only figures are "<10" has no value, only the range its
  status stands for (the sidecar's ``ranges``), or is left out where the sidecar declares no such range.
- A company that reported a whole year is split into two equal halves (Microsoft's 8,419 for Germany in 2012 as
  4,209.5 twice): the year's sum gives the published figure back; a company-year that does not add up to a whole
  number of requests is a problem.

Every yearly figure's note gives each company's half-years as the file has them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, nothing, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.numbers import parse_number
from igf_explorer.problems import Problem

INDICATOR = "user_data_requests"
_NEEDED = {"service provider", "period", "country", "user data requests"}
_PERIOD = re.compile(r"^((?:19|20)\d{2})\s*\((1st|2nd) half\)$", re.IGNORECASE)
_HALF = {"1st": "Jan–Jun", "2nd": "Jul–Dec"}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
# The compiler's stand-in for a published "<10": (company, as written in the file) → the number written for it.
FEWER_THAN_TEN = {"twitter": 5.5}
AT_LEAST = "at least"
# A year whose only figures are "<10": the status for one such half-year and for two.
ONLY_FEWER = {1: "fewer than 10", 2: "at most 18"}


def detect(source: InputFile) -> bool:
    """A text table with Service Provider, Period, Country and User Data Requests columns."""
    return source.kind == "text" and _NEEDED <= set(text_layout(source).columns)


@dataclass
class _CompanyYear:
    """One company's half-years for one country and year, as the file gives them."""

    rows: list[int] = field(default_factory=list)
    halves: dict[str, float] = field(default_factory=dict)  # "1st"/"2nd" → requests
    fewer: list[str] = field(default_factory=list)  # halves with a "<10"

    @property
    def total(self) -> float:
        return sum(self.halves.values())


def _figure(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def _counted(company: str, year: str, entry: _CompanyYear) -> str:
    """One company's counted part: 'Google Jan–Jun 112 + Jul–Dec 149', 'Microsoft 8,419 for 2012 (…)'."""
    values = list(entry.halves.values())
    if len(values) == 2 and values[0] == values[1] and values[0] != int(values[0]):
        return f"{company} {_figure(entry.total)} for {year} (given as two halves of {_figure(values[0])})"
    return f"{company} " + " + ".join(f"{_HALF[h]} {_figure(v)}" for h, v in sorted(entry.halves.items()))


def _note(year: str, companies: dict[str, _CompanyYear]) -> str:
    """What a yearly figure is made of, company by company, and what it leaves out."""
    ordered = sorted(companies.items(), key=lambda item: item[0].casefold())
    counted = "; ".join(_counted(c, year, e) for c, e in ordered if e.halves)
    fewer = "; ".join(
        f"{c} fewer than 10 in {' and '.join(_HALF[h] for h in sorted(e.fewer))}" for c, e in ordered if e.fewer
    )
    if not counted:
        return f"no exact figure: {fewer} (written 5.5 by the compiler, not a count)"
    if not fewer:
        return f"sum of {counted}"
    return f"sum of {counted}; not counted: {fewer} (written 5.5 by the compiler, not a count)"


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """One record per country and year: the sum over companies and half-years, with a note naming each part."""
    frame, _ = read_text_table(source)
    columns = {norm(c): str(c) for c in frame.columns}
    company_column, period_column = columns["service provider"], columns["period"]
    country_column, value_column = columns["country"], columns["user data requests"]
    year_column = columns.get("year", "")
    indicator = options.indicator or INDICATOR
    problems: list[Problem] = []
    groups: dict[tuple[str, str], dict[str, _CompanyYear]] = defaultdict(dict)
    seen: dict[tuple[str, str, str, str], int] = {}

    def problem(message: str, row: int, column: str) -> None:
        problems.append(Problem(source.name, message, row=row, column=column))

    for row, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
        company = " ".join(str(record[company_column]).split())
        country = " ".join(str(record[country_column]).split())
        period = " ".join(str(record[period_column]).split())
        text = str(record[value_column]).strip()
        if not any(str(v).strip() for v in record.values()):
            continue
        ok = True
        for value, column in ((company, company_column), (country, country_column)):
            if not value:
                problem(f"{column} is empty", row, column)
                ok = False
        match = _PERIOD.match(period)
        if not match:
            problem(f"period '{period}' is not 'YYYY (1st half)' or 'YYYY (2nd half)'", row, period_column)
            ok = False
        elif year_column and str(record[year_column]).strip() != match.group(1):
            problem(f"year '{record[year_column]}' does not match the period '{period}'", row, year_column)
            ok = False
        number = parse_number(text.replace(",", "") if _THOUSANDS.match(text) else text)
        if not (number == number and number >= 0):
            problem(f"'{text}' is not a number of requests", row, value_column)
            ok = False
        if not ok or match is None:
            continue
        year, half = match.group(1), match.group(2).lower()
        key = (company.casefold(), country.casefold(), year, half)
        if key in seen:
            problem(f"{company}, {country}, {period} is given twice (also row {seen[key]})", row, period_column)
            continue
        seen[key] = row
        entry = groups[(country, year)].setdefault(company, _CompanyYear())
        entry.rows.append(row)
        if FEWER_THAN_TEN.get(company.casefold()) == number:
            entry.fewer.append(half)
        else:
            entry.halves[half] = number

    for (country, year), companies in groups.items():
        for company, entry in companies.items():
            if entry.total != int(entry.total):
                problem(
                    f"{company}, {country}, {year}: the half-years add up to {_figure(entry.total)}, not a whole number "
                    "of requests (a split annual figure needs both halves)",
                    entry.rows[0],
                    value_column,
                )

    meta = registry.indicators.get(indicator)
    ranges = meta.ranges if meta is not None else {}
    out: list[dict[str, Any]] = []
    only_fewer: list[str] = []
    left_out: list[str] = []
    at_least = 0
    for (country, year), companies in groups.items():
        exact = {c: e for c, e in companies.items() if e.halves}
        fewer = sum(len(e.fewer) for e in companies.values())
        if exact:
            value = _figure(sum(e.total for e in exact.values())).replace(",", "")
            status = AT_LEAST if fewer else ""
            at_least += bool(fewer)
        else:
            status = ONLY_FEWER.get(fewer, "")
            if status not in ranges:
                left_out.append(f"{country} {year}")
                continue
            value = ""
            only_fewer.append(f"{country} {year} ({status})")
        first_row = min(r for e in companies.values() for r in e.rows)
        out.append(
            {
                "file": source.name,
                "row": first_row,
                "column": value_column,
                "year_column": period_column,
                "country_column": country_column,
                "country": country,
                "iso3": "",
                "year": year,
                "indicator": indicator,
                "value": value,
                "status": status,
                "note": _note(year, companies),
                "source": "",
            }
        )
    if not out and not problems:
        return nothing([Problem(source.name, "has no data rows")])
    companies_named = sorted({c for cs in groups.values() for c in cs}, key=str.casefold)
    notes = [f"{len(companies_named)} companies summed per country and year: {', '.join(companies_named)}"]
    if at_least:
        notes.append(
            f'{at_least} yearly figure{"s leave" if at_least > 1 else " leaves"} out a "<10" (written 5.5 by the '
            f"compiler) and {'are' if at_least > 1 else 'is'} stored as '{AT_LEAST}'"
        )
    if only_fewer:
        notes.append(f"stored without a value, as a range: {', '.join(only_fewer)}")
    if left_out:
        notes.append(
            'left out, their only figures being "<10" and the sidecar declaring no range for them: '
            + ", ".join(left_out)
        )
    return Extracted(records_frame(out), problems, notes)


FORMAT = Format(
    name="user_data",
    summary=(
        "government requests for user data per company: Service Provider, Period ('2012 (1st half)'), Country, "
        "User Data Requests (summed per country and year)"
    ),
    detect=detect,
    extract=reads_tables(extract),
)
