"""The isolated check: the child's report comes back whole, and a child stopped by its processor-time or memory
budget becomes one clear problem (nothing changed), never a traceback."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from igf_explorer.ingest import isolated
from igf_explorer.ingest.isolated import Budget, check_isolated
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.reading import Limits
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest

TIDY = INGEST_FIXTURES / "tidy_utf8.csv"


@pytest.fixture(scope="module")
def slow_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook of 150,000 cells: several seconds of parsing, well within the default limits."""
    path = tmp_path_factory.mktemp("slow") / "slow.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["iso3", "year", "indicator", "value", "status", "note"])
    for row in range(25_000):
        sheet.append(["NGA", 2000 + row % 20, "internet_users", row / 1000, "", f"row {row}"])
    book.save(path)
    return path


def test_the_report_comes_back_as_the_pipeline_made_it() -> None:
    before = tree_digest(DATA_DIR)
    options = Options(vintage="2024-06")
    child = check_isolated(TIDY, DATA_DIR, options=options)
    here = run_ingest(TIDY, DATA_DIR, dry_run=True, options=options)
    assert child.ok and child.summary() == here.summary()
    assert child.merged.equals(here.merged) and child.names == here.names
    assert tree_digest(DATA_DIR) == before


def test_a_report_is_picklable() -> None:
    report = run_ingest(TIDY, DATA_DIR, dry_run=True, options=Options(vintage="2024-06"))
    again = pickle.loads(pickle.dumps(report))
    assert again.summary() == report.summary() and again.rows.equals(report.rows)


def test_the_input_limits_apply_in_the_child() -> None:
    report = check_isolated(TIDY, DATA_DIR, limits=Limits(max_rows=2), label="upload.csv")
    assert report.refused_by == "rows"
    assert [str(p) for p in report.problems] == ["tidy_utf8.csv: has 4 lines; the limit is 2 rows"]


def test_a_child_out_of_processor_time_says_so(slow_workbook: Path) -> None:
    report = check_isolated(slow_workbook, DATA_DIR, budget=Budget(cpu_seconds=1, wall_seconds=300))
    assert report.refused_by == "cpu_seconds", report.problems
    assert [str(p) for p in report.problems] == [
        "slow.xlsx: needs more than 1 s of processor time to check; nothing was changed"
    ]


def test_a_child_out_of_memory_says_so(slow_workbook: Path) -> None:
    report = check_isolated(slow_workbook, DATA_DIR, budget=Budget(memory_mb=isolated_baseline_mb() + 15))
    assert report.refused_by == "memory_mb", report.problems
    assert str(report.problems[0]).endswith("MB of memory to check; nothing was changed")


def isolated_baseline_mb() -> int:
    """The address space of a child that has imported the pipeline, before it reads anything."""
    probe = (
        "import igf_explorer.ingest.isolated, pathlib; "
        "print(next(l for l in pathlib.Path('/proc/self/status').read_text().splitlines() if l.startswith('VmSize')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return int(out.split()[1]) // 1024


def test_a_child_past_its_wall_time_is_stopped(slow_workbook: Path) -> None:
    report = check_isolated(slow_workbook, DATA_DIR, budget=Budget(wall_seconds=0.5))
    assert report.refused_by == "wall_seconds"
    assert str(report.problems[0]) == "slow.xlsx: took more than 0 s to check; nothing was changed"


@pytest.mark.parametrize(
    ("kind", "exitcode", "limit"),
    [
        ("died", -signal.SIGXCPU, "cpu_seconds"),
        ("died", -signal.SIGKILL, "memory_mb"),
        ("memory", 0, "memory_mb"),
        ("timeout", -signal.SIGKILL, "wall_seconds"),
        ("error", 0, ""),
        ("died", -signal.SIGSEGV, ""),
    ],
)
def test_every_way_a_child_ends_is_a_message(kind: str, exitcode: int, limit: str) -> None:
    request = isolated._Request(TIDY, DATA_DIR, "auto", Options(), {}, Limits(), "x.csv")
    report = isolated._outcome(request, kind, "ValueError" if kind == "error" else None, exitcode)
    assert report.refused_by == limit and len(report.problems) == 1
    assert str(report.problems[0]).startswith("x.csv: ") and "nothing was changed" in str(report.problems[0])
