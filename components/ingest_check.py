"""The Data page's ingest: the form, one dry run per file and choice set, publishing, and the history with restore.

The form takes the command line's choices. A dry run of a large file takes seconds to minutes, so its report is kept
in the session under a key made of the uploaded bytes' sha256, the choices and the data version: reruns (a sidebar
click, a toggle) reuse it. The dry run of a visitor's file runs in a child process within a time and memory budget
(:mod:`igf_explorer.ingest.isolated`), so no upload can stall the other visitors. Publishing (maintainer token only)
runs in this process, after the same bytes passed that check, because it takes the store's lock and writes.

The maintainer token is read from the configuration inside the button's callback (never kept in the widget's
arguments), compared in constant time, cleared from the session once used, and each attempt waits out a backoff per
session and per client address (:mod:`igf_explorer.throttle`); every refusal is logged, without the token.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from components import cached, preview
from components.ingest_report import render_problem_list
from igf_explorer import logs
from igf_explorer.ingest import history
from igf_explorer.ingest.formats import FORMATS, LOADABLE
from igf_explorer.ingest.isolated import Budget, check_isolated
from igf_explorer.ingest.options import REPLACE_CHOICES, Options, Replace, Scale
from igf_explorer.ingest.overrides import parse_override_lines
from igf_explorer.ingest.pipeline import IngestReport, run_ingest
from igf_explorer.ingest.reading import Limits
from igf_explorer.text import escape_markdown
from igf_explorer.throttle import Throttle

logs.configure()
MAX_UPLOAD_MB = 50
LIMITS = Limits.for_bytes(MAX_UPLOAD_MB * 1024 * 1024)
BUDGET = Budget()
# One table for the whole server process: every session's and every address's wrong tokens.
THROTTLE = Throttle()
_CLIENT = "data._client"  # a random id of this browser session, for the throttle and the log (never the token)
TOKEN_ENV = "IGF_EXPLORER_MAINTAINER_TOKEN"
UPLOAD, FORMAT, EDITION, OVERRIDES = "data.upload", "data.format", "data.edition", "data.overrides"
VINTAGE, INDICATOR, SCALE, YEARS = "data.vintage", "data.indicator", "data.scale", "data.years"
REPLACE, ALLOW_OLDER, TOKEN, RESTORE_TOKEN = "data.replace", "data.allow_older", "data.token", "data.restore_token"
SCALES: tuple[Scale | None, ...] = (None, "higher_is_freer", "lower_is_freer")
_REPORT, _SHAS, _PUBLISHED = "data._report", "data._sha256", "data._published"
_PUBLISH_OUTCOME, _RESTORE_OUTCOME = "data._publish_outcome", "data._restore_outcome"
MERGE_LABELS: dict[str, str] = {
    "none": "Add and update rows; remove nothing",
    "edition": "Replace the whole edition(s) in the file",
    "series": "Replace the whole series",
}
# StoreWriteError: disk full, read-only folder, lock timeout (the core then left the store unchanged). OSError: a
# failure below it that the core did not wrap.
WRITE_ERRORS: tuple[type[BaseException], ...] = (history.StoreWriteError, OSError)


class Upload(Protocol):
    """What the page needs of an uploaded file (Streamlit's ``UploadedFile``)."""

    name: str
    file_id: str

    def getvalue(self) -> bytes:
        """The file's bytes."""
        ...


@dataclass(frozen=True)
class Choice:
    """The form's choices, as the command line takes them: a format, name overrides and the core's options."""

    fmt: str = "auto"
    overrides: tuple[tuple[str, str], ...] = ()
    options: Options = Options()

    @property
    def replace(self) -> Replace:
        """The merge rule chosen."""
        return self.options.replace


def maintainer_token() -> str | None:
    """The publishing token from st.secrets or the environment, if the operator set one."""
    try:
        configured = st.secrets.get("maintainer_token")
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        configured = None
    return str(configured) if configured else os.environ.get(TOKEN_ENV)


def _format_label(name: str) -> str:
    return "Recognise it from its content" if name == "auto" else f"{name}: {FORMATS[name].summary}"


def _years(text: str) -> tuple[int, int] | None:
    """``2005-2023`` or ``2019`` → (first, last); None for a text that is neither."""
    first, _, last = text.strip().partition("-")
    if not first.strip().isdigit() or not (last.strip() or first).isdigit():
        return None
    return int(first), int(last.strip() or first)


def render_form(indicators: Mapping[str, str]) -> tuple[list[Upload], Choice | None]:
    """The upload and its choices (``indicators``: id → name, for the indicator choice).

    Returns the files and the choices last submitted; no choices while one of them is wrong (said in an error).
    """
    with st.form("data.check"):
        files = st.file_uploader(
            "A producer's file (CSV, .xlsx, or a zip as downloaded)",
            type=["csv", "tsv", "txt", "xlsx", "zip"],
            accept_multiple_files=True,
            key=UPLOAD,
            help=f"Up to {MAX_UPLOAD_MB} MB. For a World Bank file, add its Metadata_Country_… file too, so "
            "aggregates are dropped by region.",
        )
        st.selectbox("Format", ["auto", *LOADABLE], format_func=_format_label, key=FORMAT)
        first, second, third = st.columns(3)
        first.number_input(
            "Edition or year",
            min_value=1900,
            max_value=2100,
            value=None,
            step=1,
            key=EDITION,
            placeholder="from the file",
            help="For a file that does not say which edition or year it holds (the command line's --edition).",
        )
        second.text_input(
            "Vintage",
            key=VINTAGE,
            placeholder="from the file",
            help="The release date of a file that does not state it, YYYY-MM or YYYY-MM-DD (--vintage).",
        )
        third.text_input(
            "Years to keep", key=YEARS, placeholder="all", help="Only these years, e.g. 2005-2023 (--years)."
        )
        first, second = st.columns(2)
        first.selectbox(
            "Indicator",
            [None, *indicators],
            format_func=lambda i: "from the file" if i is None else f"{i}: {indicators[i]}",
            key=INDICATOR,
            help="The indicator the values belong to, when the file does not say (--indicator).",
        )
        second.selectbox(
            "FOTN scale",
            SCALES,
            format_func=lambda s: "from the file (statuses or a scale column)" if s is None else s,
            key=SCALE,
            help="The scale of a Freedom on the Net file that has neither statuses nor a scale column (--scale).",
        )
        st.radio("Rows already stored", REPLACE_CHOICES, format_func=MERGE_LABELS.__getitem__, key=REPLACE)
        st.checkbox("Allow an older vintage to replace a newer one", key=ALLOW_OLDER, help="--allow-older")
        st.text_area(
            "Name overrides, one NAME=ISO3 per line",
            key=OVERRIDES,
            placeholder="Côte d'Ivoire=CIV",
            help="For a country name the explorer does not recognise or finds ambiguous (--override).",
        )
        st.form_submit_button("Check the file", type="primary")
    wrong: list[str] = []
    overrides, problems = parse_override_lines(str(st.session_state.get(OVERRIDES) or "").splitlines(), "overrides")
    wrong += [f"name overrides, line {p.row}: {p.message}" if p.row else p.message for p in problems]
    years_text = str(st.session_state.get(YEARS) or "").strip()
    years = _years(years_text) if years_text else None
    if years_text and years is None:
        wrong.append(f"years to keep: '{years_text}' is not START-END, e.g. 2005-2023")
    if wrong:
        st.error("Fix the form first: " + escape_markdown("; ".join(wrong)), icon=":material/error:")
        return list(files or []), None
    edition = st.session_state.get(EDITION)
    options = Options(
        edition=int(edition) if edition is not None else None,
        replace=st.session_state.get(REPLACE) or "none",
        allow_older=bool(st.session_state.get(ALLOW_OLDER)),
        vintage=str(st.session_state.get(VINTAGE) or "").strip() or None,
        indicator=st.session_state.get(INDICATOR),
        scale=st.session_state.get(SCALE),
        years=years,
    )
    return list(files or []), Choice(
        str(st.session_state.get(FORMAT) or "auto"), tuple(sorted(overrides.items())), options
    )


def _digest(files: Sequence[Upload]) -> tuple[tuple[str, str], ...]:
    """(name, sha256) of every file, each hashed once per upload."""
    known: dict[str, str] = st.session_state.get(_SHAS) or {}
    shas = {f.file_id: known.get(f.file_id) or hashlib.sha256(f.getvalue()).hexdigest() for f in files}
    st.session_state[_SHAS] = shas
    return tuple(sorted((_safe_name(f.name), shas[f.file_id]) for f in files))


def check_key(files: Sequence[Upload], choice: Choice) -> str:
    """One id for these bytes, these choices and the current data version."""
    return hashlib.sha256(repr((_digest(files), choice, cached.data_version())).encode()).hexdigest()


def _safe_name(name: str) -> str:
    """The file name a browser sent, without any folder part ('..' and '' become 'upload')."""
    base = Path(name).name
    return base if base not in ("", ".", "..") else "upload"


def ingest_uploads(files: Sequence[Upload], choice: Choice, dry_run: bool) -> IngestReport:
    """Run ingest on the uploaded files (a Metadata_Country_… file rides along with its WDI file)."""
    with tempfile.TemporaryDirectory() as folder:
        for upload in files:
            (Path(folder) / _safe_name(upload.name)).write_bytes(upload.getvalue())
        data_files = [u for u in files if not _safe_name(u.name).startswith("Metadata_")] or list(files)
        target = Path(folder) / _safe_name(data_files[0].name)
        if dry_run:
            return check_isolated(
                target,
                cached.data_dir(),
                fmt=choice.fmt,
                options=choice.options,
                overrides=dict(choice.overrides),
                limits=LIMITS,
                label=target.name,
                budget=BUDGET,
            )
        return run_ingest(
            target,
            cached.data_dir(),
            fmt=choice.fmt,
            options=choice.options,
            dry_run=False,
            overrides=dict(choice.overrides),
            limits=LIMITS,
            label=target.name,
        )


def checked_report(files: Sequence[Upload], choice: Choice) -> tuple[str, IngestReport | None]:
    """The dry run's report for these files and choices: computed once, then kept in the session.

    None (with an error shown) when the upload cannot even be put in a temporary folder (disk full).
    """
    key = check_key(files, choice)
    held = st.session_state.get(_REPORT)
    if held is not None and held[0] == key:
        return key, held[1]
    st.session_state.pop(_REPORT, None)  # the previous report's frames go before the next are built
    try:
        with st.spinner("Checking the file (a large workbook can take a minute or two)…"):
            report = ingest_uploads(files, choice, dry_run=True)
    except OSError as error:
        st.error(
            f"The file could not be checked ({escape_markdown(error)}). Nothing was changed.", icon=":material/error:"
        )
        return key, None
    st.session_state[_REPORT] = (key, report)
    return key, report


def already_published(files: Sequence[Upload], choice: Choice) -> bool:
    """Whether these very files and choices were just published from this session (no dry run to repeat)."""
    return st.session_state.get(_PUBLISHED) == (_digest(files), choice)


def _unchanged_stamp() -> tuple[tuple[str, int, int], ...]:
    folder = cached.data_dir() / "indicators"
    if not folder.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    )


def _write_failed(error: BaseException, before: tuple[tuple[str, int, int], ...], what: str) -> tuple[str, str]:
    if _unchanged_stamp() != before:  # never claim "unchanged" without looking
        return (
            "error",
            f"The data was only partly {what} ({escape_markdown(error)}). Run `igf-explorer check` on the server.",
        )
    return (
        "error",
        f"Nothing was {what}: the shared data cannot be written. Nothing was changed. (Details: {escape_markdown(error)})",
    )


def _throttle_keys() -> list[tuple[str, str]]:
    """The throttle keys of this browser session and of its client address (no address in tests)."""
    client = st.session_state.get(_CLIENT)
    if not client:
        client = st.session_state[_CLIENT] = secrets.token_hex(16)
    keys = [("session", str(client))]
    address = _client_address()
    if address:
        keys.append(("address", address))
    return keys


def _client_address() -> str | None:
    """The visitor's address: the connection's, or the ``X-Real-IP`` a proxy on this host (deploy's nginx) set.

    The header is believed only on a connection from this host: a local user could forge it, but has the shell.
    """
    address = st.context.ip_address
    if isinstance(address, str) and address:
        return address
    forwarded = st.context.headers.get("X-Real-IP") if address is None else None
    return (forwarded.strip()[:64] or None) if isinstance(forwarded, str) else None


def _right_token(key: str, action: str) -> bool:
    """Whether the token typed in ``key`` is the configured one; the field is cleared, the attempt throttled.

    The configured token is read here, in the callback, so that no widget argument or session value holds it.
    """
    entered = str(st.session_state.get(key) or "")
    st.session_state[key] = ""  # the token does not outlive the click that used it
    keys = _throttle_keys()
    waited = THROTTLE.attempt(keys)  # this session's thread only: sleeping releases the GIL
    configured = maintainer_token() or ""
    right = bool(entered) and bool(configured) and hmac.compare_digest(entered.encode(), configured.encode())
    del entered, configured
    if right:
        THROTTLE.succeeded(keys)
        return True
    address = next((v for k, v in keys if k == "address"), None)
    logs.event(
        "token_refused",
        logging.WARNING,
        action=action,
        session=logs.pseudonym(keys[0][1]),
        address=logs.pseudonym(address),
        count=THROTTLE.count(keys),
        waited_seconds=round(waited, 3),
    )
    return False


def _refused_text(what: str) -> str:
    wait = THROTTLE.delay(THROTTLE.count(_throttle_keys()))
    return f"That token is not right; nothing was {what}. The next try answers after {wait:g} s."


def _publish(files: Sequence[Upload], choice: Choice) -> None:
    if not _right_token(TOKEN, "publish"):
        st.session_state[_PUBLISH_OUTCOME] = ("error", _refused_text("published"))
        return
    before = _unchanged_stamp()
    name = _safe_name(files[0].name) if files else ""
    try:
        report = ingest_uploads(files, choice, dry_run=False)
    except WRITE_ERRORS as error:
        logs.event("publish", logging.ERROR, input=name, outcome="write_failed", error=type(error).__name__)
        st.session_state[_PUBLISH_OUTCOME] = _write_failed(error, before, "published")
        return
    finally:
        cached.forget_version()
    if not report.ok:
        logs.event("publish", input=report.input_name, outcome="problems", problems=len(report.problems))
        st.session_state[_PUBLISH_OUTCOME] = (
            "error",
            f"Not published: {len(report.problems)} problem(s) (the stored data may have changed since the check). "
            + escape_markdown("; ".join(str(p) for p in report.problems[:5])),
        )
        return
    logs.event("publish", input=report.input_name, outcome="published", history_id=report.history_id)
    preview.stop()
    st.session_state[_PUBLISHED] = (_digest(files), choice)
    st.session_state.pop(_REPORT, None)
    st.session_state[_PUBLISH_OUTCOME] = (
        "success",
        f"Published {escape_markdown(report.input_name)}; history entry {report.history_id}. Every visitor now sees it; "
        "undo it with a restore below.",
    )


def render_outcome(key: str) -> None:
    """The message a publish or restore left for this run."""
    outcome = st.session_state.pop(key, None)
    if outcome is not None:
        kind, text = outcome
        (st.success if kind == "success" else st.error)(text)


def render_publish(files: Sequence[Upload], choice: Choice) -> None:
    """The maintainer's publish button, or how publishing works when no token is configured."""
    if not maintainer_token():
        st.info(
            "Publishing to the shared data needs a maintainer. Run `igf-explorer ingest FILE` on the server "
            f"(then `igf-explorer check`), or set `{TOKEN_ENV}` (or `maintainer_token` in Streamlit's secrets) "
            "to publish from this page."
        )
        return
    entered = st.text_input("Maintainer token to publish", type="password", key=TOKEN)
    st.button(
        "Publish to the shared data",
        key="data.publish",
        disabled=not entered,
        on_click=_publish,
        args=(list(files), choice),  # never the token: a widget's arguments live as long as the widget
    )


def _restore(entry_id: str) -> None:
    if not _right_token(RESTORE_TOKEN, "restore"):
        st.session_state[_RESTORE_OUTCOME] = ("error", _refused_text("restored"))
        return
    before = _unchanged_stamp()
    try:
        entry = history.restore(cached.data_dir(), entry_id)
    except KeyError:
        st.session_state[_RESTORE_OUTCOME] = ("error", f"There is no history entry {entry_id}; nothing was changed.")
        return
    except WRITE_ERRORS as error:
        st.session_state[_RESTORE_OUTCOME] = _write_failed(error, before, "restored")
        return
    finally:
        cached.forget_version()
    preview.stop()
    st.session_state.pop(_REPORT, None)
    st.session_state[_RESTORE_OUTCOME] = (
        "success",
        f"Restored the state of entry {entry_id}; recorded as entry {entry['id']}.",
    )


def history_table(entries: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """History entries, newest first, as a table."""
    rows = []
    for entry in reversed(entries):
        summary = entry.get("summary") or {}
        rows.append(
            {
                "Entry": entry.get("id", ""),
                "Time (UTC)": str(entry.get("time", "")).replace("T", " ").removesuffix("+00:00"),
                "Action": entry.get("action", ""),
                "What": entry.get("input")
                or (f"entry {entry['restored']}" if entry.get("restored") else "")
                or entry.get("note", ""),
                "Dataset": entry.get("dataset", ""),
                "Added": summary.get("added"),
                "Changed": summary.get("changed"),
                "Removed": summary.get("removed"),
            }
        )
    return pd.DataFrame(rows).astype({"Added": "Int64", "Changed": "Int64", "Removed": "Int64"})


def render_history() -> None:
    """Every recorded state of the indicator store; a maintainer can put any of them back."""
    st.header("History")
    render_outcome(_RESTORE_OUTCOME)
    try:
        entries = cached.history()
    except history.StoreWriteError as error:
        render_problem_list([str(error)], "The history cannot be read")
        return
    if not entries:
        st.caption("No history yet: nothing has been ingested into this data.")
        return
    st.dataframe(history_table(entries), hide_index=True, width="stretch", key="data.history")
    if not maintainer_token():
        st.caption("A maintainer can restore any of these states (`igf-explorer restore ID`).")
        return
    labels = {
        str(e["id"]): f"{e['id']} · {e.get('time', '')} · {e.get('action', '')} {e.get('input', '')}" for e in entries
    }
    with st.container(key="data-restore", border=True):
        chosen = st.selectbox(
            "State to restore", list(reversed(labels)), format_func=labels.__getitem__, key="data.restore_entry"
        )
        entered = st.text_input("Maintainer token to restore", type="password", key=RESTORE_TOKEN)
        st.button(
            "Restore this state",
            key="data.restore",
            disabled=not entered or chosen is None,
            on_click=_restore,
            args=(str(chosen),),
        )
