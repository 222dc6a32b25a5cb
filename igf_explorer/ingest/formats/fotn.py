"""Freedom House Freedom on the Net scores: one-edition score files and the multi-edition research table.

A one-edition file has short (A, B, C, Total) or long pillar headers; the research table has an ``edition`` column.

Values are stored on the scale each edition was published on. A file on the other scale (Freedom House's current
site shows old editions inverted) is converted back, and the file's scale is read from a scale column, from
``--scale``, or from its statuses, which fall in different score bands on the two scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from igf_explorer.fotn import published_scale
from igf_explorer.indicators import Registry
from igf_explorer.ingest.formats.base import Extracted, Format, nothing, reads_tables, records_frame
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import norm, read_text_table, read_workbook, text_layout, workbook_headers
from igf_explorer.numbers import parse_number
from igf_explorer.problems import Problem

PILLARS = ("obstacles", "limits", "violations")
_INDICATOR = {
    "obstacles": "fotn_obstacles",
    "limits": "fotn_limits",
    "violations": "fotn_violations",
    "total": "fotn_total",
}
_SHORT = {"a": "obstacles", "b": "limits", "c": "violations"}
_EDITION_IN_HEADER = re.compile(r"freedom on the net (\d{4})")
# Status bands of the total on each scale, as Freedom House defines them.
_BANDS = {
    "lower_is_freer": (("Free", 0, 30), ("Partly Free", 31, 60), ("Not Free", 61, 100)),
    "higher_is_freer": (("Free", 70, 100), ("Partly Free", 40, 69), ("Not Free", 0, 39)),
}
_IGNORED_TEXT = "text, not stored"


def _role(name: str) -> str | None:
    """What a column holds, from its normalised header."""
    if name in _SHORT:
        return _SHORT[name]
    for role, needles in (
        ("iso3", ("iso3", "iso code", "country code")),
        ("country", ("country",)),
        ("edition", ("edition",)),
        ("status", ("status",)),
        ("obstacles", ("obstacles",)),
        ("limits", ("limits",)),
        ("violations", ("violations",)),
        ("total", ("total",)),
        ("scale", ("scale",)),
        ("coverage", ("coverage",)),
    ):
        if any(needle in name for needle in needles):
            return role
    if name in ("source", "sources"):
        return "source"
    if name in ("note", "notes"):
        return "notes"
    if name == "year":
        return "edition"
    return None


def _columns_of(names: list[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for name in names:
        role = _role(norm(name))
        if role and role not in roles:
            roles[role] = name
    return roles


# Freedom in the World also heads categories A, B, C (then D to G) and has a total and a status: not FOTN's pillars.
_OTHER_SURVEYS = {"d", "e", "f", "g", "pr", "cl", "pr rating", "cl rating"}


def _looks_like_scores(names: list[str]) -> bool:
    normalised = {norm(n) for n in names}
    roles = {_role(n) for n in normalised}
    return {"country", "total"} <= roles and set(PILLARS) <= roles and not normalised & _OTHER_SURVEYS


def detect(source: InputFile) -> bool:
    """A table with a country, a total and the three pillars (A, B, C or their long names)."""
    if source.kind == "xlsx":
        return any(_looks_like_scores(h) for h in workbook_headers(source).values())
    return _looks_like_scores(text_layout(source).columns)


@dataclass(frozen=True)
class _Table:
    frame: pd.DataFrame
    header_line: int
    label: str


def _table(source: InputFile) -> _Table:
    if source.kind == "xlsx":
        for sheet, (frame, header_line) in read_workbook(source).items():
            if _looks_like_scores([str(c) for c in frame.columns]):
                return _Table(frame, header_line, f"{source.name} [{sheet}]")
        raise ValueError("no sheet has a country, a total and the three pillars")
    frame, header_line = read_text_table(source)
    return _Table(frame, header_line, source.name)


def band_status(total: float, scale: str) -> str:
    """The status a total falls in on a scale."""
    for status, low, high in _BANDS[scale]:
        if low <= round(total) <= high:
            return status
    return ""


def _other(scale: str) -> str:
    return "higher_is_freer" if scale == "lower_is_freer" else "lower_is_freer"


def _file_scale(rows: list[dict[str, Any]], edition: int, options: Options) -> tuple[str | None, str]:
    """The scale a one-edition file's figures are on, and how that was told (or None and why not).

    Statuses fall in different score bands on the two scales, so they tell the scale; a status that fits neither
    (a typo) does not count, and a status that contradicts the band of the scale the others fit is reported later.
    """
    published = published_scale(edition)
    if options.scale:
        return options.scale, f"--scale {options.scale}"
    known = {s.lower() for s, _, _ in _BANDS[published]}
    pairs = [(parse_number(r["total"]), r["status"].strip().lower()) for r in rows if r["status"] and r["total"]]
    pairs = [(t, s) for t, s in pairs if t == t and s in known]
    if not pairs:
        if published == "higher_is_freer":
            return published, "the scale every edition since 2019 was published on"
        return None, (
            f"cannot tell the scale of edition {edition}: the file has no statuses and no scale column; pass "
            "--scale lower_is_freer (as published until 2018) or --scale higher_is_freer (as Freedom House's site shows "
            "old editions today)"
        )
    fits = {
        scale: sum(band_status(total, scale).lower() == status for total, status in pairs)
        for scale in (published, _other(published))
    }
    best = max(fits, key=lambda s: (fits[s], s == published))
    if fits[best] > fits[_other(best)]:
        return best, f"{fits[best]} of its {len(pairs)} statuses fall in the {best.replace('_', ' ')} bands"
    if published == "higher_is_freer":
        # Both bands fit (e.g. Partly Free 40-60), and no edition since 2019 was ever shown on the old scale.
        return published, "the scale every edition since 2019 was published on"
    return None, (
        f"cannot tell the scale of edition {edition}: of {len(pairs)} statuses, {fits[published]} fit the published "
        f"scale and {fits[_other(published)]} the other; pass --scale"
    )


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Records for the total and each pillar present; pillar sums, scale and unknown figure columns checked."""
    table = _table(source)
    names = [str(c) for c in table.frame.columns]
    found = _columns_of(names)
    problems: list[Problem] = []
    notes: list[str] = []
    for name in names:
        if name in found.values() or not table.frame[name].astype(str).str.strip().ne("").any():
            continue
        numeric = table.frame[name].map(lambda v: parse_number(v) == parse_number(v) and str(v).strip() != "")
        if numeric.any():
            problems.append(
                Problem(
                    table.label,
                    f"column '{name}' carries figures this format does not read (it reads country, iso3, edition, "
                    "status, A/obstacles, B/limits, C/violations, total, scale, source, notes); remove or rename it",
                    column=name,
                )
            )
        else:
            notes.append(f"column '{name}' is {_IGNORED_TEXT}")
    header_editions = {int(y) for n in names for y in _EDITION_IN_HEADER.findall(norm(n))}
    if options.edition:
        header_editions.add(options.edition)
    if "edition" not in found and len(header_editions) != 1:
        problems.append(
            Problem(
                table.label,
                "cannot tell the edition: the headers do not name it; pass --edition YEAR (or choose it on the form)"
                if not header_editions
                else f"the headers and --edition disagree on the edition: {sorted(header_editions)}",
                column="edition",
            )
        )
    if problems and ("edition" not in found and len(header_editions) != 1):
        return nothing(problems, notes)

    rows: list[dict[str, Any]] = []
    for row_number, record in zip(table.frame.index.tolist(), table.frame.to_dict("records"), strict=True):
        cell = {role: str(record[column]).strip() for role, column in found.items()}
        rows.append(
            {
                "row": row_number,
                "edition": cell.get("edition") or str(next(iter(header_editions), "")),
                **{key: cell.get(key, "") for key in ("country", "iso3", "status", "scale", "source", "notes")},
                **{key: cell.get(key, "") for key in (*PILLARS, "total", "coverage")},
            }
        )
    rows = [r for r in rows if any(r[k] for k in ("country", "iso3", "total", *PILLARS))]
    scale_of_file: dict[int, str] = {}
    if "scale" not in found:
        for edition in sorted({int(r["edition"]) for r in rows if r["edition"].isdigit()}):
            scale, how = _file_scale([r for r in rows if r["edition"] == str(edition)], edition, options)
            if scale is None:
                problems.append(Problem(table.label, how, column=found.get("total")))
                continue
            scale_of_file[edition] = scale
            if scale != published_scale(edition):
                notes.append(
                    f"edition {edition}: the file is on the {scale.replace('_', ' ')} scale ({how}); its figures are "
                    f"stored converted to the scale the edition was published on ({published_scale(edition).replace('_', ' ')})"
                )

    out: list[dict[str, Any]] = []
    coverage: dict[int, str] = {}
    for row in rows:
        edition_text = row["edition"]
        year_column = found.get("edition", "")
        if not edition_text.isdigit():
            problems.append(
                Problem(table.label, f"edition '{edition_text}' is not a year", row=row["row"], column=year_column)
            )
            continue
        edition = int(edition_text)
        published = published_scale(edition)
        scale = row["scale"] or scale_of_file.get(edition) or (published if "scale" in found else "")
        if not scale:
            continue  # the file's scale is unknown: reported once above
        if scale not in _BANDS:
            problems.append(
                Problem(
                    table.label,
                    f"scale '{scale}' is neither lower_is_freer nor higher_is_freer",
                    row=row["row"],
                    column=found.get("scale"),
                )
            )
            continue
        if row["coverage"]:
            coverage.setdefault(edition, row["coverage"])
        numbers = {key: parse_number(row[key]) for key in (*PILLARS, "total") if row[key]}
        if set(numbers) == {*PILLARS, "total"} and all(v == v for v in numbers.values()):
            parts = sum(numbers[p] for p in PILLARS)
            if abs(parts - numbers["total"]) > 1e-9:
                problems.append(
                    Problem(
                        table.label,
                        f"pillars A + B + C add up to {parts:g}, not the total {numbers['total']:g}",
                        row=row["row"],
                        column=found["total"],
                    )
                )
        total = numbers.get("total", float("nan"))
        status = row["status"].strip()
        expected = band_status(total, scale) if total == total else ""
        if (
            expected
            and status.lower() in {s.lower() for s, _, _ in _BANDS[scale]}
            and status.lower() != expected.lower()
        ):
            # Kept as the source gives it (one of the two is wrong, and the file cannot tell which), but said.
            low, high = next((lo, hi) for s, lo, hi in _BANDS[scale] if s == expected)
            notes.append(
                f"row {row['row']}: status '{status}' does not fit the total {total:g} (on the "
                f"{scale.replace('_', ' ')} scale {low}–{high} is {expected}); both are stored as the source gives them"
            )
        for key, indicator in _INDICATOR.items():
            text = row[key]
            if not text:
                continue
            value: str = text
            number = numbers.get(key, float("nan"))
            if scale != published and number == number:
                value = repr(registry.indicator(indicator).range_max - number)
            out.append(
                {
                    "file": table.label,
                    "row": row["row"],
                    "column": found[key],
                    "year_column": year_column,
                    "country_column": found.get("country", found.get("iso3", "")),
                    "country": row["country"] or row["iso3"],
                    "iso3": row["iso3"],
                    "year": str(edition),
                    "indicator": indicator,
                    "value": value,
                    "status": row["status"] if key == "total" else "",
                    "note": row["notes"],
                    "source": row["source"],
                }
            )
    records = records_frame(out)
    editions: dict[int, dict[str, str]] = {}
    for year in sorted({int(y) for y in records["year"]}):
        editions[year] = {"scale": published_scale(year)}
        if year in coverage:
            editions[year]["coverage_period"] = coverage[year]
    return Extracted(records, problems, notes, sidecar_updates={"editions": editions})


FORMAT = Format(
    name="fotn",
    summary=(
        "Freedom House Freedom on the Net scores: a Country column, a Total and the three pillars (headed A, B, C or "
        "'A: Obstacles to Access' …), an optional Status; the edition from the headers, an 'edition' column, or "
        "--edition"
    ),
    detect=detect,
    extract=reads_tables(extract),
)
