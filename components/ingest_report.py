"""Upload box and the report of a dry-run ingest: problems as a table, or the summary and the differences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from igf_explorer.ingest.pipeline import IngestReport


def render_upload(key: str, max_mb: int) -> Sequence[Any]:
    """File uploader for producers' files; returns the uploaded files (possibly none)."""
    files = st.file_uploader(
        "Check a producer's file (CSV or .xlsx)",
        type=["csv", "tsv", "txt", "xlsx"],
        accept_multiple_files=True,
        key=key,
        help=f"Up to {max_mb} MB. For a World Bank file, add its Metadata_Country_… file too, so aggregates are dropped by region.",
    )
    return list(files or [])


def render_problems(report: IngestReport) -> None:
    """Every problem, located by file, row and column."""
    st.error(
        f"{report.input_name}: {len(report.problems)} problem(s). Nothing would be stored.", icon=":material/error:"
    )
    table = pd.DataFrame([p.as_dict() for p in report.problems]).fillna("")
    # A plain HTML table: every message stays readable text (screen readers, copy and paste), unlike a canvas grid.
    with st.container(key="data-problems"):
        st.table(table.set_index("file"))


def render_summary(report: IngestReport) -> None:
    """What the file holds and how it differs from the stored data."""
    summary = report.summary()
    st.success(
        f"{report.input_name}: read as **{summary['format']}** for dataset **{summary['dataset']}**: "
        f"{summary['rows']} rows, {summary['countries']} countries, periods "
        f"{summary['periods'][0]}–{summary['periods'][-1]}.",
        icon=":material/check_circle:",
    )
    for note in report.notes:
        st.caption(note)
    columns = st.columns(4)
    for column, label in zip(columns, ("added", "changed", "unchanged", "removed"), strict=True):
        column.metric(label.capitalize(), summary[label])
    diff = report.diff
    if diff is None:
        return
    frames = []
    if len(diff.added):
        frames.append(diff.added.assign(change="added", old=None).rename(columns={"value": "new"}))
    if len(diff.changed):
        changed = diff.changed.rename(columns={"value_old": "old", "value_new": "new"})
        frames.append(changed[["iso3", "year", "indicator", "old", "new"]].assign(change="changed"))
    if len(diff.removed):
        frames.append(diff.removed.assign(change="removed", new=None).rename(columns={"value": "old"}))
    if frames:
        table = pd.concat(frames, ignore_index=True)[["change", "iso3", "year", "indicator", "old", "new"]]
        st.dataframe(table, hide_index=True, width="stretch", key="data.diff")
