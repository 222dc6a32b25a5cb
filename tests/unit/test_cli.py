"""The ``igf-explorer`` command: exports, check, data-dir resolution and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from igf_explorer.cli import main
from igf_explorer.paths import DATA_DIR_ENV
from tests.conftest import REPO_ROOT


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_export_recommendations_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export", "recommendations", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 14
    assert list(rows[0]) == ["id", "addressee", "order", "text", "themes"]
    assert rows[1]["themes"] == "blocking;due-process;free-expression"


def test_export_signatories_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export", "signatories"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 17
    assert list(rows[0]) == [
        "name",
        "person",
        "organization",
        "type",
        "base_iso3",
        "focus_iso3",
        "country_basis",
        "source",
    ]
    katy = next(r for r in rows if r["person"] == "Katy Pearce")
    assert katy["base_iso3"] == "USA" and katy["focus_iso3"] == "ARM;AZE"


def test_export_json_has_real_lists(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export", "themes", "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)) == 13
    _, out, _ = run(["export", "recommendations", "--format", "json"], capsys)
    assert json.loads(out)[1]["themes"] == ["blocking", "due-process", "free-expression"]


def test_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 0 and "OK" in out


def test_check_fails_on_broken_copy_via_flag_and_env(
    data_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_copy / "statement" / "signatories.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",THA,THA,", ",TXA,THA,"), encoding="utf-8")
    code, _, err = run(["--data-dir", str(data_copy), "check"], capsys)
    assert code == 1
    assert "statement/signatories.csv, row 3, column 'base_iso3'" in err
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    code, _, err = run(["check"], capsys)
    assert code == 1 and "TXA" in err


def test_export_from_broken_data_exits_1_without_traceback(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_copy / "statement" / "themes.yaml").write_text("themes: [", encoding="utf-8")
    code, out, err = run(["--data-dir", str(data_copy), "export", "recommendations"], capsys)
    assert code == 1 and out == ""
    assert "statement/themes.yaml" in err and "Traceback" not in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", "nonsense"], capsys)
    assert code == 2 and "invalid choice" in err


def test_console_script_and_module_agree() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "igf_explorer", "export", "themes"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
    )
    script = Path(sys.executable).with_name("igf-explorer")
    assert script.exists(), "the console script is installed by `pip install -e .`"
    console = subprocess.run([str(script), "export", "themes"], capture_output=True, text=True, check=True)
    assert module.stdout == console.stdout and module.stdout.count("\n") == 14
