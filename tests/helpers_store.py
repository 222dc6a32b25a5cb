"""Helpers for the indicator-store fault and concurrency tests: small data copies, fault hooks and worker processes.

This module imports only the standard library and ``igf_explorer.ingest.history`` so that worker processes started
from it come up quickly.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from igf_explorer.ingest import history

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
DATASET = "wcit12"
_SHA_LINE = re.compile(rb"^sha256: [0-9a-f]{64}$", re.MULTILINE)


class Crash(BaseException):
    """Stands for kill -9: a BaseException, so no ``except Exception`` cleanup runs."""


class FaultAt:
    """A FAULT_HOOK that records every step and fails at step ``at`` (1-based) with ``make()``."""

    def __init__(self, at: int | None, make: Callable[[str], BaseException]):
        self.at = at
        self.make = make
        self.steps: list[str] = []

    def __call__(self, step: str) -> None:
        self.steps.append(step)
        if self.at is not None and len(self.steps) == self.at:
            raise self.make(step)


def crash(step: str) -> BaseException:
    return Crash(step)


def disk_full(step: str) -> BaseException:
    return OSError(errno.ENOSPC, "No space left on device", step)


def copy_indicators(target_data: Path) -> Path:
    """A data directory holding only a copy of the repository's ``data/indicators``."""
    target_data.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_DATA / "indicators", target_data / "indicators")
    return target_data


def tree_bytes(root: Path, *, skip_history: bool = False) -> dict[str, bytes]:
    """Relative path → bytes of every file under ``root`` (optionally without ``.history``)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if skip_history and relative.parts[0] == ".history":
            continue
        if path.is_file():
            found[relative.as_posix()] = path.read_bytes()
    return found


def digest_of(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def visible(data_dir: Path) -> str:
    """Digest of what readers see: ``data/indicators`` without its history."""
    return digest_of(tree_bytes(data_dir / "indicators", skip_history=True))


def whole(data_dir: Path) -> str:
    """Digest of the entire data directory, history, lock file and any leftovers included."""
    return digest_of(tree_bytes(data_dir))


def leftovers(data_dir: Path) -> list[str]:
    """Names in the data directory that an unfinished commit leaves (everything dot-named but the lock file)."""
    return sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".") and p.name != history.LOCK_FILE)


def with_sidecar_hash(sidecar: bytes, data: bytes) -> bytes:
    """The sidecar with its ``sha256`` line set to the checksum of ``data``."""
    line = b"sha256: " + hashlib.sha256(data).hexdigest().encode()
    assert _SHA_LINE.search(sidecar), "sidecar has no sha256 line"
    return _SHA_LINE.sub(line, sidecar, count=1)


def set_notes(csv_bytes: bytes, notes: dict[int, str]) -> bytes:
    """The tidy CSV with the ``note`` of the given data rows (0-based) replaced."""
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline="")))
    column = rows[0].index("note")
    for row, note in notes.items():
        rows[row + 1][column] = note
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def notes_of(csv_bytes: bytes, rows: list[int]) -> list[str]:
    table = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline="")))
    column = table[0].index("note")
    return [table[row + 1][column] for row in rows]


def dataset_change(data_dir: Path, notes: dict[int, str]) -> dict[str, bytes | None]:
    """A realistic commit: new CSV and sidecar (with the matching checksum) of one dataset."""
    folder = data_dir / "indicators"
    new_csv = set_notes((folder / f"{DATASET}.csv").read_bytes(), notes)
    sidecar = with_sidecar_hash((folder / f"{DATASET}.meta.yml").read_bytes(), new_csv)
    return {f"{DATASET}.csv": new_csv, f"{DATASET}.meta.yml": sidecar}


def edit_row_worker(data_dir: str, row: int, tag: str, rounds: int, start: Any, done: Any) -> None:
    """One of two concurrent writers: each round, under the lock, read the CSV, change one row's note, commit."""
    path = Path(data_dir)
    for number in range(rounds):
        start.wait(timeout=30)
        with history.store_lock(path):
            change = dataset_change(path, {row: f"{tag} round {number}"})
            history.commit(path, change, "ingest", {"input": f"{tag}-{number}.csv"})
        done.wait(timeout=30)


KILL_LOOP = """
import sys
from pathlib import Path
from igf_explorer.ingest.history import commit

data = Path(sys.argv[1])
versions = [
    {name: (Path(sys.argv[2]) / name).read_bytes() for name in sys.argv[4:]},
    {name: (Path(sys.argv[3]) / name).read_bytes() for name in sys.argv[4:]},
]
print("ready", flush=True)
number = 0
while True:
    commit(data, versions[number % 2], "ingest", {"input": f"loop-{number}"})
    number += 1
"""


def drop_rows(data_dir: Path, dataset: str, iso3: str, year: int) -> None:
    """Remove a country's rows of one period from a copy of the store, through the store's own commit.

    Tests that preview an upload need a figure the file holds and the store does not; the shipped store may hold
    every figure of a fixture file, so the copy is made to lack one, with its sidecar's checksum kept true.
    """
    folder = data_dir / "indicators"
    data_path, sidecar_path = folder / f"{dataset}.csv", folder / f"{dataset}.meta.yml"
    lines = data_path.read_bytes().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{iso3},{year},".encode())]
    assert len(kept) < len(lines), f"{iso3} {year} is not stored in {dataset}"
    data = b"".join(kept)
    history.commit(
        data_dir,
        {data_path.name: data, sidecar_path.name: with_sidecar_hash(sidecar_path.read_bytes(), data)},
        "test",
        {},
    )
