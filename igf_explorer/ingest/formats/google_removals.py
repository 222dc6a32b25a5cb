"""Google Transparency Report, government requests to remove content, in both layouts Google has published.

* historical (half-years ending 2009-12-31 … 2019-06-30): one row per territory and half-year, with the number of
  all requests, of court orders and of other requests (executive, police, etc.); early periods print ``<10``;
* current (from the half-year ending 2019-06-30; the CSV inside ``google-government-removals.zip``): one row per
  territory, half-year and requester type (court order directed at Google, police, …).

Header names vary between vintages ("Requestor"/"Requester", "CLDR Territory Code"/"Region code"): each column is
found through a small table of the names it has been published under, never by a fuzzy match. A year's figure is
the sum of its half-years, and the row's note gives each half-year as published ("half-years ending 2021-06-30:
404; 2021-12-31: 391"). A count published as a range (``<10``) is never made a number: a year holding one is stored
as a range status of the indicator's sidecar (``ranges``), with an empty value. Territories that are not countries
(the European Union, Europol, Interpol) are reported by name and left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import pycountry

from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import (
    MAX_PROBLEMS_PER_KIND,
    Extracted,
    Format,
    nothing,
    reads_tables,
    records_frame,
)
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile, prefer_zip_member
from igf_explorer.ingest.tables import norm, read_text_table, text_layout
from igf_explorer.problems import Problem

REQUESTS, COURT_SHARE = "removal_requests", "removal_court_share"
# Google's bundle holds this table beside a breakdown by product and reason, which is not read.
prefer_zip_member(r"(^|/)google-government-removal-requests\.csv$")

# Each role's header names as Google has published them (compared after tables.norm: case and spaces folded).
_ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("period ending", "period end", "period ending date"),
    "name": ("country/region", "country / region", "country or region", "country", "region", "territory"),
    "code": ("cldr territory code", "region code", "country code", "territory code", "cldr code"),
    "requester": ("requestor", "requester", "requestor type", "requester type"),
    "requests": ("number of requests", "requests", "number of removal requests"),
    "all": ("all requests: number of requests", "all requests: requests", "all requests: number of removal requests"),
    "court": ("court orders: number of requests", "court orders: requests", "court orders: number of removal requests"),
    "other": (
        "other requests (executive, police, etc.): number of requests",
        "other requests (executive, police, etc.): requests",
        "other requests: number of requests",
        "other requests: requests",
    ),
}
_NEEDED = {
    "current": ("period", "name", "code", "requester", "requests"),
    "historical": ("period", "name", "code", "all", "court"),
}
# Requester types that are orders of a court. Suppression orders (Australia, Israel, New Zealand, …) are orders a
# court makes to keep information from publication; counted with them, the 2019-06-30 court orders of the current
# file come closest to the historical file's "Court Orders" for that period (United States 334 in both).
COURT_REQUESTERS = frozenset(
    {
        "court order directed at 3rd party",
        "court order directed at third party",
        "court order directed at google",
        "suppression orders",
        "suppression order",
    }
)
# The first half-year of the current layout: the historical layout's rows from then on are left out, so that each
# period is read from one layout only (Google revised some of its figures in the current one).
CURRENT_FROM = date(2019, 6, 30)
# CLDR codes that are not ISO 3166 countries: groupings and codes of their own.
_GROUPINGS = frozenset({"EU", "EZ", "UN", "QO", "001", "150"})
_CLDR_ONLY = {"XK": "XKX"}  # Kosovo
_RANGE = re.compile(r"<\s*(\d+)")
_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
_UNDISCLOSED = "?"


def _columns(frame_columns: list[str]) -> dict[str, str]:
    """Role → the column that holds it (the first alias present), from the file's own header names."""
    by_norm = {norm(c): c for c in reversed(frame_columns)}
    found = {}
    for role, aliases in _ALIASES.items():
        column = next((by_norm[a] for a in aliases if a in by_norm), None)
        if column is not None:
            found[role] = column
    return found


def _layout(roles: set[str]) -> str | None:
    return next((name for name, needed in _NEEDED.items() if set(needed) <= roles), None)


def detect(source: InputFile) -> bool:
    """A text table with a half-year, a territory and either requester types or the historical request columns."""
    if source.kind != "text":
        return False
    return _layout(set(_columns(text_layout(source).columns))) is not None


@dataclass(frozen=True)
class Count:
    """A number of requests as published: exact (low = high), a range (``<10`` is 0–9), or not disclosed."""

    low: int
    high: int
    text: str
    disclosed: bool = True

    @property
    def exact(self) -> bool:
        """Disclosed and a single number."""
        return self.disclosed and self.low == self.high

    def __add__(self, other: Count) -> Count:
        text = f"{self.low + other.low:,}" if self.exact and other.exact else f"{self.text} + {other.text}"
        return Count(self.low + other.low, self.high + other.high, text, self.disclosed and other.disclosed)


ZERO = Count(0, 0, "0")


def _count(text: str) -> Count | None:
    """A cell's count, or None when the cell is not a count (a problem for the caller to report)."""
    cell = text.strip()
    if _NUMBER.fullmatch(cell):
        number = int(cell.replace(",", ""))
        return Count(number, number, f"{number:,}")
    bound = _RANGE.fullmatch(cell)
    if bound and int(bound.group(1)) > 0:
        return Count(0, int(bound.group(1)) - 1, f"<{int(bound.group(1))}")
    if cell == _UNDISCLOSED:
        return Count(0, 0, cell, disclosed=False)
    return None


@dataclass
class HalfYear:
    """One territory's requests in one half-year, summed over its rows."""

    row: int  # the first row it was read from
    total: Count
    court: Count | None  # None when the court orders are not known (a range or an undisclosed total)


@dataclass
class _Reading:
    label: str
    columns: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    halves: dict[str, dict[date, HalfYear]] = field(default_factory=lambda: defaultdict(dict))
    names: dict[str, str] = field(default_factory=dict)  # iso3 → the territory's name as published (latest)
    periods: set[date] = field(default_factory=set)
    left_out: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, code) of territories not countries
    requesters: dict[str, bool] = field(default_factory=dict)  # requester type as published → counted as a court order

    def problem(self, message: str, row: int, role: str) -> None:
        self.problems.append(Problem(self.label, message, row=row, column=self.columns.get(role)))


def _period(text: str) -> date | None:
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return day if (day.month, day.day) in ((6, 30), (12, 31)) else None


def _iso3(code: str) -> str | None:
    if code in _CLDR_ONLY:
        return _CLDR_ONLY[code]
    country = pycountry.countries.get(alpha_2=code) if re.fullmatch(r"[A-Z]{2}", code) else None
    return country.alpha_3 if country is not None else None


def _read_rows(frame: pd.DataFrame, reading: _Reading, layout: str, keep_overlap: bool = False) -> None:
    """Every row into its territory's half-year; each cell that is not what it should be is a located problem."""
    columns = reading.columns
    seen: dict[tuple[str, date, str], int] = {}
    late = 0
    for row, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
        if not any(str(v).strip() for v in record.values()):
            continue
        name = " ".join(str(record[columns["name"]]).split())
        code = str(record[columns["code"]]).strip().upper()
        period = _period(str(record[columns["period"]]))
        if period is None:
            shown = str(record[columns["period"]]).strip()
            reading.problem(f"period '{shown}' is not the end of a half-year (YYYY-06-30 or YYYY-12-31)", row, "period")
            continue
        if layout == "historical" and period >= CURRENT_FROM and not keep_overlap:
            late += 1
            continue
        reading.periods.add(period)
        if not code or code in _GROUPINGS:
            reading.left_out[(name or "(no name)", code)] += 1
            continue
        iso3 = _iso3(code)
        if iso3 is None:
            reading.problem(f"territory code '{code}' is not a two-letter country code (CLDR)", row, "code")
            continue
        requester = " ".join(str(record[columns["requester"]]).split()) if layout == "current" else ""
        key = (iso3, period, requester.casefold())
        if key in seen:
            what = f"{code} {period}" + (f" {requester}" if requester else "")
            reading.problem(f"{what} is given twice (rows {seen[key]} and {row})", row, "code")
            continue
        seen[key] = row
        counts = _row_counts(record, row, reading, layout, requester)
        if counts is None:
            continue
        total, court = counts
        half = reading.halves[iso3].get(period)
        if half is None:
            reading.halves[iso3][period] = HalfYear(row, total, court)
        else:
            half.total = half.total + total
            half.court = None if half.court is None or court is None else half.court + court
        reading.names[iso3] = name or code
    if late:
        reading.notes.append(
            f"{late} rows of the half-year ending {CURRENT_FROM} left out: Google's current format has that period "
            "(with some figures revised), so each period is read from one format only"
        )


def _row_counts(
    record: Mapping[Hashable, Any], row: int, reading: _Reading, layout: str, requester: str
) -> tuple[Count, Count | None] | None:
    """A row's requests and court orders, or None (with the problem reported) when a count cannot be read."""
    columns = reading.columns
    role = "requests" if layout == "current" else "all"
    total = _count(str(record[columns[role]]))
    if total is None:
        shown = str(record[columns[role]]).strip()
        what = "is empty" if not shown else f"'{shown}' is not a number of requests"
        reading.problem(f"number of requests {what}", row, role)
        return None
    if layout == "current":
        court_order = requester.casefold() in COURT_REQUESTERS
        reading.requesters.setdefault(requester, court_order)
        return total, total if court_order else ZERO
    if not total.exact:
        return total, None  # the split of a range or of an undisclosed total is not known
    parts: list[Count | None] = []
    for part in ("court", "other"):
        if part not in columns:
            parts.append(None)
            continue
        text = str(record[columns[part]]).strip()
        value = _count(text) if text else ZERO
        if value is None or not value.exact:
            reading.problem(f"'{text}' is not a number of requests", row, part)
            return None
        parts.append(value)
    court, other = parts
    assert court is not None
    if other is not None and court.low + other.low != total.low:
        reading.problem(
            f"court orders ({court.low:,}) and other requests ({other.low:,}) do not add up to all requests "
            f"({total.low:,})",
            row,
            "all",
        )
        return None
    return total, court


def _range_status(low: int, high: int, ranges: dict[str, tuple[float, float]]) -> str | None:
    """The narrowest range status of the indicator that holds every value from ``low`` to ``high``."""
    fitting = [(b - a, status) for status, (a, b) in ranges.items() if a <= low and high <= b]
    return min(fitting)[1] if fitting else None


def _year_records(reading: _Reading, registry: Registry, layout: str) -> list[dict[str, Any]]:
    """One record per country, year and indicator: the half-years summed, each named in the note."""
    ranges = dict(registry.indicators[REQUESTS].ranges) if REQUESTS in registry.indicators else {}
    column = reading.columns["requests" if layout == "current" else "all"]
    out: list[dict[str, Any]] = []
    undisclosed: list[str] = []
    no_share: Counter[str] = Counter()
    for iso3 in sorted(reading.halves):
        halves = reading.halves[iso3]
        for year in sorted({p.year for p in halves}):
            parts, total, court = [], ZERO, ZERO
            court_known: bool = True
            first_row = min(h.row for p, h in halves.items() if p.year == year)
            for end in (date(year, 6, 30), date(year, 12, 31)):
                half = halves.get(end)
                if half is not None:
                    parts.append((end, half))
                    total = total + half.total
                    court_known = court_known and half.court is not None
                    court = court + half.court if half.court is not None else court
            if not total.disclosed:
                hidden = ", ".join(str(p) for p, h in parts if not h.total.disclosed)
                undisclosed.append(f"{reading.names[iso3]} {year} (half-year ending {hidden})")
                continue
            note = _note(year, {p: h.total.text for p, h in parts}, reading.periods)
            base = {
                "file": reading.label,
                "row": first_row,
                "column": column,
                "year_column": reading.columns["period"],
                "country_column": reading.columns["code"],
                "country": reading.names[iso3],
                "iso3": iso3,
                "year": str(year),
                "source": "",
            }
            if total.exact:
                out.append({**base, "indicator": REQUESTS, "value": str(total.low), "status": "", "note": note})
            else:
                status = _range_status(total.low, total.high, ranges)
                if status is None:
                    reading.problems.append(
                        Problem(
                            reading.label,
                            f"{iso3} {year}: the year's requests lie between {total.low:,} and {total.high:,} (a "
                            f"half-year was published as a range); no range status of {REQUESTS} holds that; add "
                            "one to the sidecar's 'ranges'",
                            row=first_row,
                            column=column,
                        )
                    )
                    continue
                out.append({**base, "indicator": REQUESTS, "value": "", "status": status, "note": note})
            if not total.exact or not court_known:
                no_share["a range"] += 1
                continue
            if total.low == 0:
                no_share["zero"] += 1
                continue
            share = round(100 * court.low / total.low, 1)
            court_parts = {p: f"{h.court.low:,} of {h.total.low:,}" for p, h in parts if h.court is not None}
            share_note = "court orders of requests, " + _note(year, court_parts, reading.periods)
            out.append({**base, "indicator": COURT_SHARE, "value": repr(share), "status": "", "note": share_note})
    if undisclosed:
        reading.notes.append(
            f"{len(undisclosed)} country-years left out: a half-year's count was published as '?' (not disclosed): "
            + "; ".join(undisclosed)
        )
    if no_share:
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(no_share.items()))
        reading.notes.append(f"court-order share not computed where the year's count is not exact and above 0 ({why})")
    return out


def _note(year: int, parts: dict[date, str], periods: set[date]) -> str:
    """'half-years ending 2021-06-30: 404; 2021-12-31: 391', saying which half-year the file lacks or not lists."""
    words = []
    for end in (date(year, 6, 30), date(year, 12, 31)):
        if end in parts:
            words.append(f"{end}: {parts[end]}")
        elif end in periods:
            words.append(f"{end}: not listed")
        else:
            covered = "Jan–Jun" if end.month == 12 else "Jul–Dec"
            words.append(f"{end}: not in the file (the year covers {covered} only)")
    return "half-years ending " + "; ".join(words)


def _layout_notes(reading: _Reading, layout: str, rows: int) -> None:
    periods = sorted(reading.periods)
    reading.notes.insert(
        0,
        f"{layout} layout: {rows} rows, {len(reading.halves)} countries, half-years ending {periods[0]} … "
        f"{periods[-1]}; yearly figures are the sums of the half-years, each named in the row's note",
    )
    for year in sorted({p.year for p in periods}):
        held = [p for p in periods if p.year == year]
        if len(held) == 1:
            months = "January–June" if held[0].month == 6 else "July–December"
            reading.notes.append(f"{year}: the file holds only the half-year ending {held[0]}: {year} covers {months}")
    if reading.left_out:
        listed = ", ".join(
            f"{name} ({code or 'no code'}, {count} row{'s' if count > 1 else ''})"
            for (name, code), count in sorted(reading.left_out.items())
        )
        reading.notes.append(f"not countries, left out: {listed}")
    if reading.requesters:
        court = sorted(r for r, c in reading.requesters.items() if c)
        other = sorted(r for r, c in reading.requesters.items() if not c)
        reading.notes.append(
            f"requester types counted as court orders: {', '.join(court) or 'none'}; as other requests: "
            f"{', '.join(other) or 'none'}"
        )


def half_years(source: InputFile, keep_overlap: bool = False) -> dict[str, dict[date, HalfYear]]:
    """Every country's half-years as published, by ISO3 (for audits such as the 2019-06-30 overlap of the layouts).

    ``keep_overlap`` keeps the historical layout's half-years from 2019-06-30 on, which ingest leaves out.

    Raises
    ------
    ValueError
        When the file has neither layout, or a row cannot be read (the problems are in the message).
    """
    frame, _ = read_text_table(source)
    columns = _columns([str(c) for c in frame.columns])
    layout = _layout(set(columns))
    if layout is None:
        raise ValueError(f"{source.name} has neither layout of Google's removal requests")
    reading = _Reading(source.name, columns)
    _read_rows(frame, reading, layout, keep_overlap)
    if reading.problems:
        raise ValueError("; ".join(str(p) for p in reading.problems[:5]))
    return dict(reading.halves)


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Yearly requests and court-order shares per country, from either layout."""
    frame, _ = read_text_table(source)
    columns = _columns([str(c) for c in frame.columns])
    layout = _layout(set(columns))
    if layout is None:
        missing = [
            f"{role} ({' / '.join(repr(a) for a in _ALIASES[role][:3])})"
            for role in _NEEDED["current"]
            if role not in columns
        ]
        return nothing(
            [Problem(source.name, "does not have the columns of Google's removal requests: " + "; ".join(missing))]
        )
    reading = _Reading(source.name, columns)
    _read_rows(frame, reading, layout)
    if not reading.periods:
        return nothing(reading.problems or [Problem(source.name, "has no data rows")], reading.notes)
    _layout_notes(reading, layout, len(frame))
    out = _year_records(reading, registry, layout)
    problems = reading.problems
    if len(problems) > MAX_PROBLEMS_PER_KIND * 4:
        problems = problems[: MAX_PROBLEMS_PER_KIND * 4] + [
            Problem(source.name, f"… and {len(problems) - MAX_PROBLEMS_PER_KIND * 4} more problems like these")
        ]
    return Extracted(records_frame(out), problems, reading.notes)


FORMAT = Format(
    name="google_removals",
    summary=(
        "Google Transparency Report government removal requests (the CSV, or google-government-removals.zip as "
        "downloaded): Period Ending, Country/Region, CLDR Territory Code, then Requestor and Number of Requests "
        "(current layout) or All Requests / Court Orders / Other Requests columns (historical layout)"
    ),
    detect=detect,
    extract=reads_tables(extract),
)
