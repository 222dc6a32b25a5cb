"""Where the data directory is: ``--data-dir``, then ``IGF_EXPLORER_DATA_DIR``, then the repository's ``data/``."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DATA_DIR_ENV = "IGF_EXPLORER_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory to use, by precedence: argument, environment variable, default."""
    if explicit:
        return Path(explicit).resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).resolve()
    return DEFAULT_DATA_DIR


def _stamps(folder: str, relative: str, parts: list[str]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return  # removed while being read: the next stamp sees what replaced it
    for entry in entries:
        name = f"{relative}{entry.name}"
        try:
            if entry.is_dir(follow_symlinks=False):
                _stamps(entry.path, f"{name}/", parts)
            elif entry.is_file():
                stat = entry.stat()
                parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except FileNotFoundError:
            continue


def data_fingerprint(data_dir: Path) -> str:
    """Cheap version stamp of a data directory (names, sizes, mtimes) used as a cache key.

    Every server process takes it about once a second, so it walks with ``os.scandir`` (whose entries carry their
    type) rather than ``Path.rglob`` plus a ``stat`` per path: a few times faster on the shipped data.
    """
    parts: list[str] = []
    _stamps(str(data_dir), "", parts)
    return hashlib.sha1("|".join(parts).encode()).hexdigest()
