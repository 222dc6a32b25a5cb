"""Every crash the fuzzers found, kept as the smallest input that triggered it: each must now give located problems.

Not marked ``fuzz``: these always run. An input whose fix belongs to a module the fuzzing work does not own is an
expected failure (strict), so the suite says so the day it is fixed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from tests.conftest import DATA_DIR, FIXTURES, tree_digest
from tests.fuzz.oracle import assert_report_sound

FUZZ_FIXTURES = FIXTURES / "fuzz"


@dataclass(frozen=True)
class Case:
    """What a kept input must give now: ``(row, column)`` of a problem it must report, or None for an ok report."""

    where: tuple[int | None, str | None] | None
    open_in: str = ""  # the module whose fix is still to come (the test is an expected failure until then)


CASES = {
    # A UTF-8 byte-order mark, then bytes that are not UTF-8: UnicodeDecodeError out of reading._decode (fixed: a located problem).
    "bom_then_invalid_utf8.csv": Case((None, None)),
    # A UTF-16 byte-order mark and an odd number of bytes (a file cut short): UnicodeDecodeError, reading._decode (fixed).
    "utf16_bom_odd_length.csv": Case((None, None)),
    # A row with more cells than the header: pandas' ParserError surfaced as "does not have the layout" without the line.
    "wdi_ragged_row.csv": Case((3, None)),
    # A WDI preamble with CR line endings: the header was looked for on str.splitlines' lines, the table read after
    # LF bytes only, so nothing was left to read (EmptyDataError as "does not have the layout").
    "wdi_preamble_cr_line_endings.csv": Case(None),
    # Blank lines between records: the reader skips them, so every later row was reported a line or more too early.
    "tidy_blank_lines_before_bad_value.csv": Case((5, "value")),
    "fotn_blank_line_before_bad_total.csv": Case((4, "Total")),
    # A quoted cell over two lines: every later row was reported a line too early.
    "tidy_quoted_newline_before_bad_value.csv": Case((4, "value")),
}


def _params() -> list[object]:
    params: list[object] = []
    for name, case in sorted(CASES.items()):
        marks = (
            [pytest.mark.xfail(strict=True, raises=UnicodeDecodeError, reason=f"to be fixed in {case.open_in}")]
            if case.open_in
            else []
        )
        params.append(pytest.param(name, case, marks=marks, id=name))
    return params


def test_every_kept_input_is_listed() -> None:
    assert sorted(p.name for p in FUZZ_FIXTURES.iterdir()) == sorted(CASES)


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("regressions") / "data"
    shutil.copytree(FIXTURES / "store" / "indicators", root / "indicators")
    shutil.copytree(DATA_DIR / "names", root / "names")
    return root


@pytest.mark.parametrize(("name", "case"), _params())
def test_kept_crash_gives_located_problems(name: str, case: Case, small_data: Path) -> None:
    before = tree_digest(small_data)
    report = run_ingest(FUZZ_FIXTURES / name, small_data, options=Options(edition=2024), dry_run=True)
    assert_report_sound(report, name)
    if case.where is None:
        assert report.ok, report.problems
    else:
        row, column = case.where
        assert any(p.row == row and p.column == column for p in report.problems), report.problems
    assert tree_digest(small_data) == before
