"""What counts as a crash: the contract every ingest input must meet, checked after each fuzzed example."""

from __future__ import annotations

import tempfile
from pathlib import Path

from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import IngestReport, run_ingest
from igf_explorer.problems import Problem

# Text of an internal error that a broad handler turned into a message: a crash in disguise.
_INTERNAL = (
    "Traceback",
    "object has no attribute",
    "NoneType",
    "unhashable type",
    "index out of range",
    "not subscriptable",
    "unsupported operand",
    "positional argument",
    "object is not iterable",
    "referenced before assignment",
)

OPTION_CHOICES = [
    Options(),
    Options(edition=2024),
    Options(edition=2018, scale="lower_is_freer"),
    Options(vintage="2025-06", replace="series"),
    Options(indicator="internet_users", vintage="2025-06"),
    Options(years=(2005, 2023), replace="edition"),
    Options(scale="higher_is_freer", allow_older=True),
]


def assert_problems_located(problems: list[Problem], name: str) -> None:
    """Each problem names the input (or a sheet, or a file beside it), a plausible row and column, no internal error."""
    for problem in problems:
        assert isinstance(problem, Problem), problem
        # The input, one of its sheets, or the WDI metadata file read beside it.
        assert problem.file.startswith((name, f"Metadata_Country_{name}")), problem
        assert problem.message.strip(), problem
        assert not any(marker in problem.message for marker in _INTERNAL), problem
        assert problem.row is None or (type(problem.row) is int and problem.row >= 1), problem
        assert problem.column is None or type(problem.column) is str, problem


def assert_report_sound(report: IngestReport, name: str) -> None:
    """A dry run's report: never written; either problems, all located, or rows to merge."""
    assert isinstance(report, IngestReport)
    assert not report.written
    assert_problems_located(report.problems, name)
    if report.ok:
        assert report.format and report.dataset, report
        assert len(report.rows) > 0, report
        report.summary()  # the success message can be drawn


def ingest_bytes(
    data: bytes, name: str, data_dir: Path, fmt: str, options: Options, beside: dict[str, bytes] | None = None
) -> IngestReport:
    """``data`` written as ``name`` in a fresh directory (with any files ``beside`` it), ingested as a dry run."""
    with tempfile.TemporaryDirectory(prefix="igf-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for other, content in (beside or {}).items():
            (Path(folder) / other).write_bytes(content)
        try:
            return run_ingest(path, data_dir, fmt=fmt, options=options, dry_run=True)
        except Exception as error:
            if known_open_crash(error) is None:
                raise
            return IngestReport(input_name=name, problems=[Problem(name, "known open crash")])


# Crashes found in modules this fuzzing may not change (reading.py, pipeline.py), each with an xfail regression in
# test_regressions.py. Until their fix lands the fuzzers step over them, so that they can go on finding others; a
# fixed crash makes its xfail pass, which fails the suite (strict), and its entry here goes with the xfail mark.
# (exception, (file, function), name). None is open now: the BOM crashes of reading._decode were fixed.
OPEN_CRASHES: tuple[tuple[type[BaseException], tuple[str, str], str], ...] = ()


def known_open_crash(error: BaseException) -> str | None:
    """The name of the open crash ``error`` is, or None."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append((Path(tb.tb_frame.f_code.co_filename).name, tb.tb_frame.f_code.co_name))
        tb = tb.tb_next
    for kind, where, name in OPEN_CRASHES:
        if isinstance(error, kind) and where in frames:
            return name
    return None
