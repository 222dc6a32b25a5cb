"""Fixtures shared by every test layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from igf_explorer.statement import Statement, load_statement

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_statement() -> Statement:
    """The statement as shipped in data/."""
    return load_statement(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data directory, for tests that break things."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


INGEST_FIXTURES = FIXTURES / "ingest"


def tree_digest(root: Path) -> str:
    """One checksum over every file's path and bytes under ``root``: equal digests mean byte-for-byte equal trees."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
