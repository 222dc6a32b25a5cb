"""Each input limit (bytes, unzipped bytes, rows, cells) refuses a file before it is parsed, with a located message,
on tiny fixtures with the limits lowered through parameters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.reading import Limits, open_input
from tests.conftest import DATA_DIR, INGEST_FIXTURES

TIDY = INGEST_FIXTURES / "tidy_utf8.csv"  # a header and 3 rows of 7 fields
WORKBOOK = INGEST_FIXTURES / "keepiton_small.xlsx"


def refusal(path: Path, limits: Limits) -> tuple[str, str]:
    """The one problem and the limit named when ``run_ingest`` refuses ``path`` under ``limits``."""
    report = run_ingest(path, DATA_DIR, dry_run=True, limits=limits, options=Options(vintage="2024-06"))
    assert len(report.problems) == 1, report.problems
    return str(report.problems[0]), report.refused_by


def test_the_defaults_accept_the_fixtures() -> None:
    for path in (TIDY, WORKBOOK):
        source, problems = open_input(path, limits=Limits())
        assert source is not None and problems == [], problems


def test_too_many_bytes() -> None:
    size = TIDY.stat().st_size
    text, limit = refusal(TIDY, Limits(max_bytes=size - 1))
    assert limit == "bytes"
    assert text == f"tidy_utf8.csv: is {size:,} bytes; the limit is {size - 1:,} (change it with --max-bytes)"


def test_too_many_unzipped_bytes() -> None:
    with zipfile.ZipFile(WORKBOOK) as archive:
        expanded = sum(i.file_size for i in archive.infolist())
    text, limit = refusal(WORKBOOK, Limits(max_unzipped_bytes=expanded - 1))
    assert limit == "unzipped_bytes"
    assert text.startswith(f"keepiton_small.xlsx: expands to {expanded:,} bytes when unzipped; the limit is")


def test_too_many_rows_in_a_text_file() -> None:
    text, limit = refusal(TIDY, Limits(max_rows=3))
    assert limit == "rows"
    assert text == "tidy_utf8.csv: has 4 lines; the limit is 3 rows"
    assert open_input(TIDY, limits=Limits(max_rows=4))[0] is not None


def test_too_many_cells_in_a_text_file() -> None:
    text, limit = refusal(TIDY, Limits(max_cells=20))
    assert limit == "cells"
    assert text == "tidy_utf8.csv: holds about 28 cells (4 lines × 7 columns); the limit is 20 cells"


def test_too_many_rows_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    book = openpyxl.Workbook()
    for row in range(1, 11):
        book.active.append([f"country {row}", 2020, row])
    book.save(path)
    text, limit = refusal(path, Limits(max_rows=9))
    assert limit == "rows"
    assert text == "rows.xlsx: holds at least 10 rows (counted up to sheet1); the limit is 9 rows"
    assert open_input(path, limits=Limits(max_rows=10))[0] is not None


def test_a_sparse_workbook_counts_the_grid_it_would_build(tmp_path: Path) -> None:
    """Two cells, A1 and Z1000, unzip to almost nothing but make a 1000 × 26 table."""
    path = tmp_path / "sparse.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"], book.active["Z1000"] = "iso3", 1
    book.save(path)
    text, limit = refusal(path, Limits(max_workbook_cells=25_999))
    assert limit == "workbook_cells"
    assert text == (
        "sparse.xlsx: holds at least 26,000 (used rows × used columns) cells (counted up to sheet1); "
        "the limit is 25,999 cells"
    )
    assert open_input(path, limits=Limits(max_workbook_cells=26_000))[0] is not None


def test_an_element_split_across_chunks_is_counted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from igf_explorer.ingest import reading

    path = tmp_path / "chunks.xlsx"
    book = openpyxl.Workbook()
    for row in range(1, 201):
        book.active.append([f"c{row}", row])
    book.save(path)
    monkeypatch.setattr(reading, "_XML_CHUNK", 7)  # every element start falls across a cut somewhere
    assert open_input(path, limits=Limits(max_rows=200, max_workbook_cells=400))[0] is not None
    problems = open_input(path, limits=Limits(max_rows=199))[1]
    assert "holds at least 200 rows" in str(problems[0])


def test_max_bytes_scales_the_unzipped_limit_as_the_command_line_does() -> None:
    assert Limits.for_bytes(10) == Limits(max_bytes=10, max_unzipped_bytes=40)
    assert Limits(max_rows=5).with_bytes(10) == Limits(max_bytes=10, max_unzipped_bytes=40, max_rows=5)
