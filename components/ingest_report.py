"""The report of a dry-run ingest: the problems as a table, or what would change.

What would change: the counts, how every name became a code, the notes, the rows a replace would remove, and each
changed field with its old and new value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components.tables import markdown_safe
from igf_explorer.ingest.pipeline import IngestReport
from igf_explorer.ingest.report import report_lines
from igf_explorer.ingest.stages import NameMapping
from igf_explorer.text import escape_markdown

KEY = ["iso3", "year", "indicator"]
COMPANY_KEY = ["company", "year", "indicator"]  # a company dataset's rows (igf_explorer.ingest.company)


def _key(frame: pd.DataFrame) -> list[str]:
    return COMPANY_KEY if "company" in frame.columns else KEY


FIELDS = ("value", "status", "note", "source")
REMOVING = {
    "edition": "you chose to replace the whole edition(s) in the file",
    "series": "you chose to replace the whole series",
}


# The core's messages name the command line's flags; on this page the same choices are fields of the form.
FORM_LABELS = {
    "--format": "Format",
    "--edition": "Edition or year",
    "--vintage": "Vintage",
    "--years": "Years to keep",
    "--indicator": "Indicator",
    "--scale": "FOTN scale",
    "--override": "Name overrides",
    "--overrides": "Name overrides",
    "--allow-older": "Allow an older vintage to replace a newer one",
    "--replace none": "Add and update rows; remove nothing",
    "--replace edition": "Replace the whole edition(s) in the file",
    "--replace series": "Replace the whole series",
}
_OVERRIDE = re.compile(r"\b([Pp])ass --override ('[^']*')")
_PASS = re.compile(
    r"\b([Pp])ass (--replace (?:none|edition|series)|--[a-z][a-z-]*)"
    r"(?: (?:YEAR|NAME|ID|YYYY-MM\[-DD\]))?(?: \(or choose it on the form\))?"
)
_FLAG = re.compile(r"(--replace (?:none|edition|series)|--[a-z][a-z-]*)(?: (?:YEAR|NAME|ID|YYYY-MM\[-DD\]))?")


def for_the_form(message: str) -> str:
    """A core message with the command line's flags named as the form's fields.

    "pass --edition YEAR" becomes "choose “Edition or year” on the form"; flags the form does not have stay.
    """

    def choose(match: re.Match[str]) -> str:
        flag = match.group(2)
        if flag not in FORM_LABELS:
            return match.group(0)
        return f"{'C' if match.group(1) == 'P' else 'c'}hoose “{FORM_LABELS[flag]}” on the form"

    def named(match: re.Match[str]) -> str:
        return f"“{FORM_LABELS[match.group(1)]}”" if match.group(1) in FORM_LABELS else match.group(0)

    message = _OVERRIDE.sub(
        lambda m: f"{'A' if m.group(1) == 'P' else 'a'}dd {m.group(2)} to “Name overrides” on the form", message
    )
    return _FLAG.sub(named, _PASS.sub(choose, message))


def render_problem_list(messages: Sequence[str], title: str) -> None:
    """A short error with its reasons."""
    st.error(escape_markdown(f"{title}: " + "; ".join(messages)), icon=":material/error:")


def render_problems(report: IngestReport) -> None:
    """Every problem, located by file, row and column."""
    st.error(
        f"{escape_markdown(report.input_name)}: {len(report.problems)} problem(s). Nothing would be stored.",
        icon=":material/error:",
    )
    table = pd.DataFrame(
        [{k: "" if v is None else str(v) for k, v in p.as_dict().items()} for p in report.problems],
        columns=["file", "row", "column", "problem"],
    )
    table["problem"] = table["problem"].map(lambda m: for_the_form(str(m)))
    # A plain HTML table: every message stays readable text (screen readers, copy and paste), unlike a canvas grid.
    with st.container(key="data-problems"):
        st.table(markdown_safe(table).set_index("file"))
    render_names(report)
    render_cli_text(report)


def render_names(report: IngestReport) -> None:
    """How every distinct name in the file became a code (or did not)."""
    names = list(report.names)
    if names:
        with st.expander(f"Country names and codes ({len(names)}): how each became an ISO3 code", expanded=False):
            st.dataframe(names_table(names), hide_index=True, width="stretch", key="data.names")


def render_cli_text(report: IngestReport) -> None:
    """The same report as ``igf-explorer ingest --dry-run`` prints it."""
    with st.expander("The same report as the command line prints it", expanded=False):
        st.code("\n".join(report_lines(report, dry_run=True)), language=None)


def _pair(changed: pd.DataFrame, field: str) -> tuple[str, str]:
    """The old and new column of a field in a diff (``value_old``/``value_new``, or ``old_value``/``new_value``)."""
    if f"{field}_old" in changed.columns:
        return f"{field}_old", f"{field}_new"
    return f"old_{field}", f"new_{field}"


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(values: pd.Series) -> pd.Series:
    return values.map(_cell)


def changes_table(changed: pd.DataFrame) -> pd.DataFrame:
    """One row per changed field of a changed row: country, period, indicator, field, old, new."""
    frames = []
    for field in FIELDS:
        old, new = _pair(changed, field)
        if old not in changed.columns:
            continue
        left, right = changed[old], changed[new]
        if field == "value":
            differs = ~((left == right) | (left.isna() & right.isna()))
        else:
            differs = left.astype(object).fillna("").astype(str) != right.astype(object).fillna("").astype(str)
        rows = changed[differs]
        frames.append(
            pd.DataFrame(
                {
                    **{k: rows[k].astype(str) for k in _key(changed)},
                    "field": field,
                    "old": _shown(rows[old]),
                    "new": _shown(rows[new]),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=[*_key(changed), "field", "old", "new"])
    return pd.concat(frames, ignore_index=True).sort_values(_key(changed), kind="stable").reset_index(drop=True)


def names_table(names: Sequence[NameMapping]) -> pd.DataFrame:
    """Every distinct name (or code) in the file, the code and country it became, and how."""
    return pd.DataFrame(
        [
            {
                "In the file": n.name,
                "ISO3": n.iso3,
                "Country": n.country,
                "How": n.how,
                "Rows": n.rows,
            }
            for n in names
        ],
        columns=["In the file", "ISO3", "Country", "How", "Rows"],
    )


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.loc[:, [c for c in [*_key(frame), "value"] if c in frame.columns]].copy()
    if "value" in shown:
        shown["value"] = _shown(shown["value"])
    return shown.astype({"year": str}) if "year" in shown else shown


def render_summary(report: IngestReport, replace: str = "none") -> None:
    """What the file holds and how it differs from the stored data."""
    summary = report.summary()
    periods = summary["periods"]
    st.success(
        f"{escape_markdown(report.input_name)}: read as **{escape_markdown(summary['format'])}** for dataset "
        f"**{escape_markdown(summary['dataset'])}**: "
        f"{summary['rows']} rows, "
        + (f"{summary['companies']} companies" if "companies" in summary else f"{summary['countries']} countries")
        + (f", periods {periods[0]}–{periods[-1]}." if periods else "."),
        icon=":material/check_circle:",
    )
    for note in report.notes:
        st.caption(f"Note: {escape_markdown(note)}")
    columns = st.columns(4)
    for column, label in zip(columns, ("added", "changed", "unchanged", "removed"), strict=True):
        column.metric(label.capitalize(), summary[label])
    render_names(report)
    diff = report.diff
    if diff is None:
        render_cli_text(report)
        return
    if len(diff.changed):
        st.markdown(f"**Changed** ({len(diff.changed)} rows): every field that changes, with its old and new value")
        st.dataframe(changes_table(diff.changed), hide_index=True, width="stretch", key="data.changes")
    if len(diff.removed):
        why = REMOVING.get(replace, "the file replaces them")
        st.markdown(f"**Would be removed** ({len(diff.removed)} rows): stored, not in the file, and {why}")
        st.dataframe(_rows(diff.removed), hide_index=True, width="stretch", key="data.removed")
    if len(diff.added):
        st.markdown(f"**Added** ({len(diff.added)} rows)")
        st.dataframe(_rows(diff.added), hide_index=True, width="stretch", key="data.added")
    render_cli_text(report)
