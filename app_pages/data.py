"""Data: the indicator catalogue with provenance and coverage, and a safe way to check and preview an update."""

from __future__ import annotations

import hmac
import os
import tempfile
from pathlib import Path

import streamlit as st

from components import cached
from components.ingest_report import render_problems, render_summary, render_upload
from components.provenance import render_source_note
from components.tables import render_table
from igf_explorer.catalogue import catalogue_table, coverage_by_period
from igf_explorer.export import indicators_csv
from igf_explorer.ingest.adapters import UnsupportedFormat
from igf_explorer.ingest.pipeline import run_ingest

MAX_UPLOAD_MB = 50
TOKEN_ENV = "IGF_EXPLORER_MAINTAINER_TOKEN"
PREVIEW = "data.preview"

statement = cached.statement()
store, registry = cached.indicator_store()
theme_labels = {t.id: t.label for t in statement.themes}

st.title("Data")
st.markdown("Every indicator the explorer shows, where it comes from, and how much of the world and of time it covers.")
render_table(catalogue_table(store, registry, theme_labels), key="data.catalogue")
render_source_note("each dataset's sidecar in data/indicators/ (producer, licence, vintage, checksum)")

for dataset in registry.datasets:
    with st.expander(f"{dataset.field('title')}", expanded=False):
        st.markdown(
            f"**Producer:** {dataset.field('producer')}  \n**Licence:** {dataset.field('licence')}  \n**URL:** {dataset.field('url')}"
        )
        st.markdown(f"**Coverage:** {dataset.field('coverage')}")
        if dataset.field("note"):
            st.caption(str(dataset.field("note")))
        st.markdown(
            "Countries with a figure, per period (0 = no figure at all that period; countries never covered are not counted as zero):"
        )
        render_table(coverage_by_period(store, registry, dataset.id), key=f"data.coverage.{dataset.id}")
        st.download_button(
            f"Download {dataset.path.name}",
            indicators_csv(store, [i.id for i in dataset.indicators]),
            file_name=dataset.path.name,
            mime="text/csv",
            key=f"data.download.{dataset.id}",
        )

st.header("Check an update")
st.markdown(
    "Upload a file as its producer publishes it. The explorer runs the same validation as `igf-explorer ingest --dry-run` "
    "and shows what would change. Nothing is stored, and other visitors see nothing of it."
)


def ingest_uploads(files: list, dry_run: bool):  # type: ignore[no-untyped-def]
    """Run ingest on the uploaded files (a Metadata_Country_… file rides along with its WDI file)."""
    with tempfile.TemporaryDirectory() as folder:
        for upload in files:
            (Path(folder) / Path(upload.name).name).write_bytes(upload.getvalue())
        data_files = [u for u in files if not u.name.startswith("Metadata_")] or files
        target = Path(folder) / Path(data_files[0].name).name
        return run_ingest(target, cached.data_dir(), dry_run=dry_run, max_bytes=MAX_UPLOAD_MB * 1024 * 1024)


def maintainer_token() -> str | None:
    """The publishing token from st.secrets or the environment, if the operator set one."""
    try:
        configured = st.secrets.get("maintainer_token")
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        configured = None
    return str(configured) if configured else os.environ.get(TOKEN_ENV)


uploads = render_upload("data.upload", MAX_UPLOAD_MB)
report = None
if uploads:
    try:
        report = ingest_uploads(uploads, dry_run=True)
    except UnsupportedFormat as refusal:
        st.error(str(refusal))
if report is not None and not report.ok:
    render_problems(report)
elif report is not None:
    render_summary(report)
    if st.toggle("Preview this file's data in my session", key="data.preview_toggle"):
        st.session_state[PREVIEW] = report.merged
        st.info("Only your browser session sees the preview; the shared data is unchanged.")
        render_table(report.rows, key="data.preview_rows")
    else:
        st.session_state.pop(PREVIEW, None)
    token = maintainer_token()
    if token:
        entered = st.text_input("Maintainer token", type="password", key="data.token")
        if st.button("Publish to the shared data", key="data.publish", disabled=not entered):
            if hmac.compare_digest(entered.encode(), token.encode()):
                published = ingest_uploads(uploads, dry_run=False)
                st.session_state.pop(PREVIEW, None)
                st.success(f"Published; history entry {published.history_id}. Undo with `igf-explorer restore`.")
            else:
                st.error("That token is not right; nothing was published.")
    else:
        st.info(
            "Publishing to the shared data needs a maintainer. Run `igf-explorer ingest FILE` on the server "
            f"(then `igf-explorer check`), or set `{TOKEN_ENV}` (or `maintainer_token` in Streamlit's secrets) "
            "to publish from this page."
        )
