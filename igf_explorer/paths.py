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


def data_fingerprint(data_dir: Path) -> str:
    """Cheap version stamp of a data directory (names, sizes, mtimes) used as a cache key."""
    parts = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            parts.append(f"{path.relative_to(data_dir)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()
