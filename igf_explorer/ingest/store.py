"""Writing the indicator store: merge with what is stored, diff, atomic writes, and a restorable history."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from igf_explorer.indicators import INDICATORS_DIR, KEY, TIDY_COLUMNS
from igf_explorer.metadata import sha256_of

HISTORY_DIR = ".history"
LOG_FILE = "log.jsonl"
_COMPARED = ["value", "status", "note", "source"]


@dataclass(frozen=True)
class Diff:
    """How new rows compare with the stored rows they replace."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # key + old_* and new_* columns
    unchanged: int


def in_scope(stored: pd.DataFrame, incoming: pd.DataFrame, scope: str) -> pd.Series:
    """Which stored rows the incoming rows replace: whole indicators, indicator × period pairs, or single keys."""
    if stored.empty:
        return pd.Series(False, index=stored.index, dtype=bool)
    if scope == "indicator":
        return stored["indicator"].isin(set(incoming["indicator"]))
    columns = KEY if scope == "key" else ["indicator", "year"]

    def keys(frame: pd.DataFrame) -> pd.MultiIndex:
        typed = frame[columns].astype({c: ("int64" if c == "year" else str) for c in columns})
        return pd.MultiIndex.from_frame(typed)

    return pd.Series(keys(stored).isin(keys(incoming)), index=stored.index, dtype=bool)


def diff_rows(old: pd.DataFrame, new: pd.DataFrame) -> Diff:
    """Added, removed, changed and unchanged rows between two tidy frames of the same scope."""
    if old.empty:
        return Diff(added=new[KEY + ["value"]], removed=old[KEY + ["value"]], changed=_no_changes(), unchanged=0)
    old = old.astype(dict.fromkeys(("iso3", "indicator", "status", "note", "source"), str))
    new = new.astype(dict.fromkeys(("iso3", "indicator", "status", "note", "source"), str))
    merged = old.merge(new, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    differs = pd.Series(False, index=both.index)
    for column in _COMPARED:
        left, right = both[f"{column}_old"], both[f"{column}_new"]
        if column == "value":
            differs |= ~((left == right) | (left.isna() & right.isna()))
        else:
            differs |= left.fillna("") != right.fillna("")
    changed = both[differs]
    return Diff(
        added=added[KEY + ["value_new"]].rename(columns={"value_new": "value"}),
        removed=removed[KEY + ["value_old"]].rename(columns={"value_old": "value"}),
        changed=changed[KEY + [f"{c}_{s}" for c in _COMPARED for s in ("old", "new")]],
        unchanged=int(len(both) - len(changed)),
    )


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=KEY + [f"{c}_{s}" for c in _COMPARED for s in ("old", "new")])


def format_values(values: pd.Series) -> pd.Series:
    """Shortest text that reads back as the same float; whole numbers without '.0'."""
    return values.map(repr).str.removesuffix(".0")


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _plain_text(column: pd.Series) -> bool:
    """Whether no cell of a text column needs CSV quoting (checked once per distinct value)."""
    return not any(_NEEDS_QUOTES.search(str(value)) for value in column.unique())


def tidy_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The stored CSV of a tidy frame: fixed columns, sorted rows, shortest exact numbers.

    Large stores without commas or quotes in their text go through Arrow's CSV writer, several times faster
    than pandas' and producing the same text for such data.
    """
    ordered = frame.sort_values(["indicator", "iso3", "year"], kind="stable").loc[:, list(TIDY_COLUMNS)]
    ordered = ordered.astype({"year": "int64", "value": "float64"})
    header = ",".join(TIDY_COLUMNS) + "\n"
    text_columns = ["iso3", "indicator", "status", "note", "source"]
    if all(_plain_text(ordered[c]) for c in text_columns):
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        table = pa.Table.from_pandas(ordered, preserve_index=False)
        # Categorical columns arrive as dictionary arrays; Arrow decodes them to plain strings in C++.
        table = table.cast(
            pa.schema(
                [
                    pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) or f.name in text_columns else f
                    for f in table.schema
                ]
            )
        )
        sink = io.BytesIO()
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
        return header.encode("utf-8") + sink.getvalue()
    out = ordered.assign(value=format_values(ordered["value"]))
    return str(out.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sidecar_text(fields: Mapping[str, Any]) -> str:
    """YAML for a sidecar, keys in the order given."""
    return str(yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=120))


# --- history ---------------------------------------------------------------------------------------------------------


def _history(data_dir: Path) -> Path:
    return data_dir / INDICATORS_DIR / HISTORY_DIR


def _tracked_files(data_dir: Path) -> list[Path]:
    folder = data_dir / INDICATORS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def snapshot(data_dir: Path) -> dict[str, str]:
    """Store every file of ``data/indicators`` by content; return name → sha256."""
    objects = _history(data_dir) / "objects"
    objects.mkdir(parents=True, exist_ok=True)
    state = {}
    for path in _tracked_files(data_dir):
        digest = sha256_of(path)
        target = objects / digest
        if not target.exists():
            shutil.copyfile(path, target)
        state[path.name] = digest
    return state


def read_log(data_dir: Path) -> list[dict[str, Any]]:
    """Every history entry, oldest first."""
    log = _history(data_dir) / LOG_FILE
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def append_log(data_dir: Path, action: str, details: Mapping[str, Any]) -> dict[str, Any]:
    """Record the current state of ``data/indicators`` as a new history entry."""
    entries = read_log(data_dir)
    now = datetime.now(UTC)
    entry = {
        "id": f"{len(entries) + 1:04d}",
        "time": now.isoformat(timespec="seconds"),
        "action": action,
        **details,
        "state": snapshot(data_dir),
    }
    log = _history(data_dir) / LOG_FILE
    text = log.read_text(encoding="utf-8") if log.is_file() else ""
    write_atomic(log, (text + json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8"))
    return entry


def ensure_initial_entry(data_dir: Path) -> None:
    """Before the first recorded change, record the state as it is, so it can be restored."""
    if not read_log(data_dir):
        append_log(data_dir, "initial", {"note": "state before the first recorded ingest"})


def restore(data_dir: Path, entry_id: str) -> dict[str, Any]:
    """Put ``data/indicators`` back to the state recorded by ``entry_id``; record the restore itself.

    Raises
    ------
    KeyError
        When no entry has that id.
    """
    entry = next((e for e in read_log(data_dir) if e["id"] == entry_id), None)
    if entry is None:
        raise KeyError(entry_id)
    folder = data_dir / INDICATORS_DIR
    objects = _history(data_dir) / "objects"
    wanted: dict[str, str] = entry["state"]
    for name, digest in wanted.items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != digest:
            write_atomic(path, (objects / digest).read_bytes())
    for path in _tracked_files(data_dir):
        if path.name not in wanted:
            path.unlink()
    return append_log(data_dir, "restore", {"restored": entry_id})
