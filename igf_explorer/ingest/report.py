"""The ingest report as text lines: what the command line prints and the Data page shows, written once."""

from __future__ import annotations

import textwrap

import pandas as pd

from igf_explorer.ingest.pipeline import IngestReport

SHOWN_DIFFERENCES = 20
_MERGE = {
    "none": "add and update rows; remove nothing",
    "edition": "replace the whole edition(s) in the file",
    "series": "replace the whole series",
}


LONG_TEXT = 60


def _value(value: object) -> str:
    if isinstance(value, float):
        return "—" if pd.isna(value) else repr(value).removesuffix(".0")
    text = str(value)
    return repr(text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…")


def difference_lines(report: IngestReport, limit: int = SHOWN_DIFFERENCES) -> list[str]:
    """Each changed row with the fields that changed (old → new), then each removed row."""
    diff = report.diff
    if diff is None:
        return []
    lines = []
    who = "company" if report.entity == "company" else "iso3"
    for row in diff.changed.head(limit).to_dict("records"):
        changes = "; ".join(
            f"{field} {_value(row[f'{field}_old'])} → {_value(row[f'{field}_new'])}"
            for field in str(row["fields"]).split(",")
        )
        lines.append(f"{row[who]} {int(row['year'])} {row['indicator']}: {changes}")
    for row in diff.removed.head(limit).to_dict("records"):
        lines.append(f"{row[who]} {int(row['year'])} {row['indicator']}: removed (value {_value(row['value'])})")
    hidden = max(len(diff.changed) - limit, 0) + max(len(diff.removed) - limit, 0)
    if hidden:
        lines.append(f"… {hidden} more")
    return lines


def name_lines(report: IngestReport) -> list[str]:
    """Every distinct name with the code and country it became, and how; codes given as such in one wrapped list."""
    named = [m for m in report.names if m.how != "code" or m.name != m.iso3]
    codes = [m for m in report.names if m.how == "code" and m.name == m.iso3]
    lines = [
        f"{m.name} → {m.iso3} {m.country} ({m.how}, {m.rows} row{'s' if m.rows != 1 else ''})"
        if m.iso3
        else f"{m.name} → not resolved ({m.how}, {m.rows} row{'s' if m.rows != 1 else ''})"
        for m in sorted(named, key=lambda m: (m.iso3 == "", m.name.casefold()))
    ]
    if codes:
        listed = ", ".join(f"{m.iso3} {m.country}" for m in sorted(codes, key=lambda m: m.iso3))
        lines += textwrap.wrap(f"given as ISO3 codes ({len(codes)}): {listed}", width=110)
    return lines


def _entities(report: IngestReport) -> str:
    return "companies" if report.entity == "company" else "countries"


def report_lines(report: IngestReport, dry_run: bool) -> list[str]:
    """The whole report: header, notes, counts, merge rule, names, differences, and what was written."""
    if not report.ok:
        lines = [f"{report.input_name}: {len(report.problems)} problem(s); nothing was written."]
        lines += [f"  - {p}" for p in report.problems]
        if report.names:
            lines.append(f"  names → {_entities(report)}:")
            lines += [f"    {line}" for line in name_lines(report)]
        return lines
    summary = report.summary()
    lines = [
        f"{report.input_name}: format {summary['format']} → dataset {summary['dataset']}"
        + (" (dry run: nothing written)" if dry_run else "")
    ]
    lines += [f"  note: {note}" for note in report.notes]
    lines.append(
        f"  rows: {summary['rows']} ({summary['added']} added, {summary['changed']} changed, "
        f"{summary['unchanged']} unchanged, {summary['removed']} removed)"
    )
    lines.append(f"  merge: {_MERGE[report.replace]}")
    lines.append(f"  indicators: {', '.join(summary['indicators'])}")
    periods = summary["periods"]
    lines.append(f"  periods: {len(periods)} ({periods[0]}–{periods[-1]})" if periods else "  periods: none")
    lines.append(f"  {_entities(report)}: {summary.get('companies', summary['countries'])}")
    lines.append(f"  names → {_entities(report)}:")
    lines += [f"    {line}" for line in name_lines(report)]
    differences = difference_lines(report)
    if differences:
        lines.append(f"  differences from the stored data ({'would change' if dry_run else 'changed'}):")
        lines += [f"    {line}" for line in differences]
    if report.written:
        lines.append(f"  written; history entry {report.history_id} (undo with: igf-explorer restore <earlier id>)")
    return lines
