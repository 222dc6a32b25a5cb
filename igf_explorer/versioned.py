"""One data version, loaded whole: what a page shows comes from a single state of the data directory.

An ingest published while a server reads the data (by this process, another replica or the command line) swaps
files under the reader. Reading the statement, then the indicators, then the links one after another could then
give one page the old indicators and the new links. :func:`load_whole` reads everything a page needs and keeps the
result only when the directory's fingerprint was the same before and after; otherwise it reads again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.links import Link, load_links
from igf_explorer.paths import data_fingerprint
from igf_explorer.statement import Statement, load_statement

# A commit takes well under a second; five reads that each straddle one mean ingests back to back.
LOAD_ATTEMPTS = 5


class DataBusyError(RuntimeError):
    """The data directory changed during every attempt to read it."""


@dataclass(frozen=True, eq=False)  # holds frames: compared by identity
class WholeData:
    """The statement, the indicator store and the links of one data version."""

    version: str  # the fingerprint of the directory these were read from, unchanged while reading
    statement: Statement
    store: IndicatorStore
    links: tuple[Link, ...]


def _read(data_dir: Path) -> tuple[Statement, IndicatorStore, tuple[Link, ...]]:
    frame, registry = load_store(data_dir)
    return load_statement(data_dir), IndicatorStore(frame, registry), load_links(data_dir)


def load_whole(
    data_dir: Path,
    read: Callable[[Path], tuple[Statement, IndicatorStore, tuple[Link, ...]]] = _read,
    fingerprint: Callable[[Path], str] = data_fingerprint,
    attempts: int = LOAD_ATTEMPTS,
) -> WholeData:
    """Every part of the data a page draws, all from one state of ``data_dir``.

    Parameters
    ----------
    data_dir
        The data directory.
    read, fingerprint
        How to read the parts and stamp the directory (the defaults; tests pass their own).
    attempts
        How many reads may be spoilt by a change before giving up.

    Raises
    ------
    DataError
        From the loaders, for invalid data.
    DataBusyError
        When the directory changed during every attempt.
    """
    for _ in range(attempts):
        before = fingerprint(data_dir)
        statement, store, links = read(data_dir)
        if fingerprint(data_dir) == before:
            return WholeData(before, statement, store, links)
    raise DataBusyError(f"{data_dir} changed while it was read, {attempts} times in a row")
