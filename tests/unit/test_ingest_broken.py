"""Deliberately broken inputs: exit 1, a message naming the row or column, and a byte-for-byte unchanged data dir."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from igf_explorer.cli import main
from tests.conftest import INGEST_FIXTURES, tree_digest

CASES = {
    "bad_empty.csv": "bad_empty.csv: is empty",
    "bad_header_only.csv": "bad_header_only.csv: has no data rows",
    "bad_binary.csv": "bad_binary.csv: looks like a binary file",
    "bad_wrong_columns.csv": "format not recognised",
    "bad_non_numeric.csv": "bad_non_numeric.csv, row 3, column 'value': value 'lots' is not a number",
    "bad_out_of_range.csv": "bad_out_of_range.csv, row 2, column 'value': value 135 is outside the range of internet_users (0–100)",
    "bad_duplicates.csv": "bad_duplicates.csv, row 3, column 'value': NGA 2021 internet_users is given twice with different values: 35.5 (row 2), 36 (row 3)",
    "bad_unknown_country.csv": "country name 'Atlantis' is not recognised; rows 3",
    "bad_ambiguous_country.csv": "country name 'Virgin Islands British US' is ambiguous (VGB (British Virgin Islands) or VIR",
    "bad_formula.csv": "bad_formula.csv, row 2, column 'note': note '=HYPERLINK(",
    "bad_iso3.csv": "bad_iso3.csv, row 3, column 'iso3': 'XYZ' is not an ISO 3166-1 alpha-3 code",
    "bad_year.csv": "bad_year.csv, row 2, column 'year': year 'twenty' is not a year",
    "bad_indicator.csv": "bad_indicator.csv, row 2, column 'indicator': indicator 'happiness' is not registered",
    "bad_da2i.csv": "is the TASCHA/IFLA DA2I database",
}


def ingest(data_dir: Path, path: Path, *extra: str) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), "ingest", str(path), *extra])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_refused_and_nothing_changes(name: str, data_copy: Path) -> None:
    before = tree_digest(data_copy)
    code, out, err = ingest(data_copy, INGEST_FIXTURES / name)
    assert code == 1, out + err
    assert CASES[name] in err
    assert "Traceback" not in err and out == ""
    assert tree_digest(data_copy) == before


def test_huge_line(tmp_path: Path, data_copy: Path) -> None:
    path = tmp_path / "huge.csv"
    long_line = "NGA,2021,internet_users,35," + "x" * 70_000
    path.write_text("iso3,year,indicator,value,note\n" + long_line + "\n", encoding="utf-8")
    before = tree_digest(data_copy)
    code, _, err = ingest(data_copy, path)
    assert code == 1 and f"huge.csv, row 2: line is {len(long_line):,} characters long; the limit is 65,536" in err
    assert tree_digest(data_copy) == before


def test_input_over_the_size_limit(data_copy: Path) -> None:
    code, _, err = ingest(data_copy, INGEST_FIXTURES / "tidy_utf8.csv", "--max-bytes", "50")
    assert code == 1 and "the limit is 50 (change it with --max-bytes)" in err


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, data_copy: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 100_000
    before = tree_digest(data_copy)
    code, _, err = ingest(data_copy, path, "--max-bytes", "100000")
    assert code == 1 and "possible zip bomb" in err and "bomb.xlsx" in err
    assert tree_digest(data_copy) == before


def test_every_problem_is_reported_at_once(tmp_path: Path, data_copy: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "iso3,year,indicator,value\nNGA,2021,internet_users,x\nKEN,1066,internet_users,5\nPAK,2021,nope,5\n",
        encoding="utf-8",
    )
    code, _, err = ingest(data_copy, path)
    assert code == 1
    assert "row 2, column 'value'" in err and "row 3, column 'year'" in err and "row 4, column 'indicator'" in err


def test_usage_errors_exit_2(data_copy: Path) -> None:
    assert ingest(data_copy, INGEST_FIXTURES / "missing.csv")[0] == 2
    assert ingest(data_copy, INGEST_FIXTURES / "tidy_utf8.csv", "--override", "Atlantis=QQQ")[0] == 2
    assert ingest(data_copy, INGEST_FIXTURES / "tidy_utf8.csv", "--format", "nonsense")[0] == 2
