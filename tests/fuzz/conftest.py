"""The fuzzers' shared setup: one small data directory per session, and the time budget as Hypothesis settings.

``IGF_FUZZ_SECONDS`` is the budget of the whole fuzz package (default 40 s, the CI run), shared among the fuzz tests
by weight; each test stops generating once its share is spent, and runs at most a number of examples derived from it.
The CI run is derandomised (the same examples every time); ``IGF_FUZZ_RANDOM=1`` (``make fuzz``) searches anew on
each run and keeps what fails in Hypothesis's example database under ``.hypothesis/`` (not committed), so the next run
tries it first. ``IGF_FUZZ_DEADLINE_MS`` is the per-example deadline (default 10 000 ms): an input that takes longer is
a hang, a failure like a crash.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import DATA_DIR, FIXTURES, tree_digest

FUZZ_SECONDS = float(os.environ.get("IGF_FUZZ_SECONDS", "40"))
RANDOM = os.environ.get("IGF_FUZZ_RANDOM", "") not in ("", "0")
DEADLINE_MS = float(os.environ.get("IGF_FUZZ_DEADLINE_MS", "10000"))
# The shares of the budget, by test; they add up to 1.
WEIGHTS = {
    "structure_pipeline": 0.30,
    "structure_formats": 0.20,
    "located_cells": 0.15,
    "bytes_pipeline": 0.15,
    "workbooks": 0.20,
}
# Examples per second each test manages on a CI machine, measured; max_examples is share × rate × 1.5, so that the
# clock is what normally ends a run and max_examples only bounds a fast machine (examples after the clock are wasted).
RATES = {
    "structure_pipeline": 5.0,
    "structure_formats": 10.0,
    "located_cells": 4.0,
    "bytes_pipeline": 8.0,
    "workbooks": 4.0,
}

EXAMPLES: Counter[str] = Counter()


@dataclass
class Clock:
    """A test's share of the budget. Once a failure is seen it never expires, so that shrinking can replay it."""

    name: str
    seconds: float
    start: float | None = None
    failed: bool = False
    _spent: bool = field(default=False, repr=False)

    def expired(self) -> bool:
        """True once the share is spent (then each further example returns at once)."""
        if self.start is None:
            self.start = time.monotonic()
        if self.failed:
            return False
        if not self._spent and time.monotonic() - self.start > self.seconds:
            self._spent = True
        if not self._spent:
            EXAMPLES[self.name] += 1
        return self._spent


def budget(name: str) -> tuple[settings, Clock]:
    """The Hypothesis settings and the clock of one fuzz test."""
    share = FUZZ_SECONDS * WEIGHTS[name]
    chosen = settings(
        max_examples=max(10, int(share * RATES[name] * 1.5)),
        deadline=timedelta(milliseconds=DEADLINE_MS),
        derandomize=not RANDOM,
        database=None if not RANDOM else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
    )
    return chosen, Clock(name, share)


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small data directory (the test store's indicators, the shipped name aliases and company list), checked
    unchanged after: a mutated file that still looks like a company format meets the company list, as in the store."""
    root = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(FIXTURES / "store" / "indicators", root / "indicators")
    shutil.copytree(DATA_DIR / "names", root / "names")
    shutil.copytree(DATA_DIR / "companies", root / "companies")
    before = tree_digest(root)
    yield root
    assert tree_digest(root) == before, "a dry run changed the data directory"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many examples each fuzzer ran, so a CI log shows what the budget bought."""
    if EXAMPLES:
        shown = ", ".join(f"{name} {count}" for name, count in sorted(EXAMPLES.items()))
        mode = "random" if RANDOM else "derandomized"
        terminalreporter.write_line(
            f"fuzz: {sum(EXAMPLES.values())} examples in a {FUZZ_SECONDS:g} s budget ({mode}): {shown}"
        )
