"""Fuzzing the ingest adapters: every input gives a report, with located problems or rows, never an exception.

Marked ``fuzz``: the default run is short and derandomised (``IGF_FUZZ_SECONDS``, 40 s over the package); ``make fuzz``
runs ten minutes of random search. A failure prints the input's reproduction blob; keep the input it shrank to in
``tests/fixtures/fuzz/`` (see ``test_regressions.py``).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from igf_explorer.indicators import Registry, load_store
from igf_explorer.ingest import stages
from igf_explorer.ingest.formats import FORMATS
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import open_input
from tests.fuzz import inputs
from tests.fuzz.conftest import budget
from tests.fuzz.oracle import (
    OPTION_CHOICES,
    assert_problems_located,
    assert_report_sound,
    ingest_bytes,
    known_open_crash,
)

pytestmark = pytest.mark.fuzz

FORMAT_CHOICES = ["auto", *FORMATS]
formats = st.sampled_from(FORMAT_CHOICES)
options = st.sampled_from(OPTION_CHOICES)
# The WDI metadata file beside a WDI input: absent, as shipped, or mutated.
_METADATA = "Metadata_Country_API_TEST_WDI.csv"


@functools.cache
def _registry(data_dir: Path) -> Registry:
    return load_store(data_dir)[1]


def _beside(name: str, metadata: bytes | None) -> dict[str, bytes]:
    return {_METADATA: metadata} if name == "API_TEST_WDI.csv" and metadata is not None else {}


metadata_files = st.one_of(
    st.none(),
    st.just((inputs.INGEST_FIXTURES / _METADATA).read_bytes()),
    st.builds(
        inputs.write_csv,
        inputs.mutated_grid([list(r) for r in inputs.seed_grid(_METADATA)]),
        inputs.text_styles,
    ),
)

STRUCTURE_PIPELINE, STRUCTURE_PIPELINE_CLOCK = budget("structure_pipeline")


@STRUCTURE_PIPELINE
@given(case=inputs.structured_text(), fmt=formats, opts=options, metadata=metadata_files)
def test_mutated_producer_files_through_the_pipeline(
    small_data_dir: Path, case: tuple[str, str, bytes], fmt: str, opts: Options, metadata: bytes | None
) -> None:
    if STRUCTURE_PIPELINE_CLOCK.expired():
        return
    name, seed_format, data = case
    try:
        report = ingest_bytes(data, name, small_data_dir, fmt, opts, _beside(name, metadata))
        assert_report_sound(report, name)
    except BaseException:
        STRUCTURE_PIPELINE_CLOCK.failed = True
        raise


STRUCTURE_FORMATS, STRUCTURE_FORMATS_CLOCK = budget("structure_formats")


@STRUCTURE_FORMATS
@given(case=inputs.structured_text(), opts=options)
def test_mutated_producer_files_through_each_format(
    small_data_dir: Path, case: tuple[str, str, bytes], opts: Options
) -> None:
    """Each format's own functions: detect never raises; a format that detects a file reads it without raising,
    and its records pass validation and name resolution without raising."""
    if STRUCTURE_FORMATS_CLOCK.expired():
        return
    name, _, data = case
    registry = _registry(small_data_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="igf-fuzz-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            try:
                source, problems = open_input(path)
            except Exception as error:
                if known_open_crash(error) is None:
                    raise
                return
            assert_problems_located(problems, name)
            if source is None:
                return
            for fmt in FORMATS.values():
                if not fmt.detect(source) or fmt.extract is None:
                    continue
                extracted = fmt.extract(source, registry, opts)
                assert_problems_located(extracted.problems, name)
                records, _, problems = stages.validate_records(extracted.records, registry)
                assert_problems_located(problems, name)
                _, _, problems, _ = stages.harmonize_countries(records, {}, None)
                assert_problems_located(problems, name)
    except BaseException:
        STRUCTURE_FORMATS_CLOCK.failed = True
        raise


BYTES_PIPELINE, BYTES_PIPELINE_CLOCK = budget("bytes_pipeline")


@BYTES_PIPELINE
@given(case=inputs.damaged_bytes(), fmt=formats, opts=options)
def test_damaged_bytes_through_the_pipeline(
    small_data_dir: Path, case: tuple[str, bytes], fmt: str, opts: Options
) -> None:
    if BYTES_PIPELINE_CLOCK.expired():
        return
    name, data = case
    try:
        assert_report_sound(ingest_bytes(data, name, small_data_dir, fmt, opts), name)
    except BaseException:
        BYTES_PIPELINE_CLOCK.failed = True
        raise


WORKBOOKS, WORKBOOKS_CLOCK = budget("workbooks")


@WORKBOOKS
@given(
    case=st.one_of(inputs.structured_workbook(), inputs.broken_workbook().map(lambda c: (c[0], "", c[1]))),
    fmt=formats,
    opts=options,
)
def test_workbooks_mutated_and_broken_through_the_pipeline(
    small_data_dir: Path, case: tuple[str, str, bytes], fmt: str, opts: Options
) -> None:
    if WORKBOOKS_CLOCK.expired():
        return
    name, _, data = case
    try:
        assert_report_sound(ingest_bytes(data, name, small_data_dir, fmt, opts), name)
    except BaseException:
        WORKBOOKS_CLOCK.failed = True
        raise


# One bad cell in an otherwise good file, written in any delimiter, encoding and line ending, with blank lines and
# cells that span lines anywhere: the report must name the line and column a spreadsheet shows that cell in.
LOCATED_SEEDS = {
    "tidy_utf8.csv": {
        "value": ["lots", "1,5", "<10", "inf", "=1+1", "1e309", "-5", "101"],
        "year": ["20x1", "1800"],
        "iso3": ["XYZ", "12"],
    },
    "signatures.csv": {"signed_final_acts_2012": ["maybe", "?", "2"]},
    "fotn_2024_five_countries.csv": {"Total": ["lots", "<10", "101", "-3"], "A": ["x", "1e309"]},
}
LOCATED_CELLS, LOCATED_CELLS_CLOCK = budget("located_cells")


@st.composite
def one_bad_cell(draw: st.DrawFn) -> tuple[str, bytes, int, str]:
    """(name, bytes, the bad cell's line, its column) of a seed with one cell spoiled."""
    name = draw(st.sampled_from(sorted(LOCATED_SEEDS)))
    grid = [list(r) for r in inputs.seed_grid(name)]
    column = draw(st.sampled_from(sorted(LOCATED_SEEDS[name])))
    target = draw(st.integers(1, len(grid) - 1))
    grid[target][grid[0].index(column)] = draw(st.sampled_from(LOCATED_SEEDS[name][column]))
    if name == "tidy_utf8.csv" and draw(st.booleans()):
        grid[draw(st.integers(1, len(grid) - 1))][5] = "a note\nover two lines"
    # Blank lines between records (never above the header: nothing would recognise the file).
    for _ in range(draw(st.integers(0, 3))):
        grid.insert(draw(st.integers(2, len(grid))), [])
    style = draw(inputs.text_styles.filter(lambda s: s.delimiter in inputs.SUPPORTED_DELIMITERS))
    lines = 0
    for row in grid[: grid.index(next(r for r in grid[1:] if r and r is grid_row(grid, target)))]:
        lines += 1 + sum(str(v).count("\n") for v in row)
    return name, inputs.write_csv(grid, style), lines + 1, column


def grid_row(grid: list[list[object]], target: int) -> list[object]:
    """The row that was spoiled (rows are only inserted blank after spoiling, so it is the target-th non-blank)."""
    return [r for r in grid if r][target]


@LOCATED_CELLS
@given(case=one_bad_cell())
def test_one_bad_cell_is_reported_where_it_is(small_data_dir: Path, case: tuple[str, bytes, int, str]) -> None:
    if LOCATED_CELLS_CLOCK.expired():
        return
    name, data, line, column = case
    try:
        report = ingest_bytes(data, name, small_data_dir, "auto", Options(edition=2024))
        assert_report_sound(report, name)
        assert not report.ok
        assert any(p.row == line and p.column == column for p in report.problems), (line, column, report.problems)
    except BaseException:
        LOCATED_CELLS_CLOCK.failed = True
        raise
