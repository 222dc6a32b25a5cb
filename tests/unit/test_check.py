"""``igf-explorer check`` and the loaders on deliberately broken data: every problem named, with file, row, column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from igf_explorer.check import check_data_dir
from igf_explorer.metadata import rehash, sha256_of
from igf_explorer.problems import DataError, Problem
from igf_explorer.signatories import read_signatories
from igf_explorer.statement import load_statement
from tests.conftest import FIXTURES


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_signatory_rows_are_all_reported() -> None:
    problems: list[Problem] = []
    assert read_signatories(FIXTURES / "signatories_bad.csv", problems, "signatories_bad.csv") == ()
    located = {(p.row, p.column) for p in problems}
    assert (2, "base_iso3") in located  # XXX
    assert (2, "focus_iso3") in located  # QQQ
    assert (3, "type") in located  # robot
    assert (5, "country_basis") in located and (5, "source") in located
    assert any(p.column == "name" and "duplicate" in p.message for p in problems)
    assert all(p.file == "signatories_bad.csv" for p in problems)


def test_binary_signatories_file_is_a_clear_problem(data_copy: Path) -> None:
    shutil.copy(FIXTURES / "signatories_binary.csv", data_copy / "statement" / "signatories.csv")
    with pytest.raises(DataError) as caught:
        load_statement(data_copy)
    assert any(p.file == "statement/signatories.csv" for p in caught.value.problems)


def test_invalid_yaml_names_file_and_line(data_copy: Path) -> None:
    shutil.copy(FIXTURES / "recommendations_invalid.yaml", data_copy / "statement" / "recommendations.yaml")
    problems = check_data_dir(data_copy)
    yaml_problems = [p for p in problems if p.file == "statement/recommendations.yaml"]
    assert yaml_problems and "line" in yaml_problems[0].message and "invalid YAML" in yaml_problems[0].message


def test_reworded_recommendation_is_caught(data_copy: Path) -> None:
    _replace(
        data_copy / "statement" / "recommendations.yaml", "never hold intermediaries", "never ever hold intermediaries"
    )
    problems = check_data_dir(data_copy)
    assert any(p.file == "statement/recommendations.yaml" and p.row == 3 and p.column == "text" for p in problems)
    assert any("sha256 does not match" in p.message for p in problems)


def test_broken_iso3_is_caught(data_copy: Path) -> None:
    _replace(data_copy / "statement" / "signatories.csv", ",PAK,PAK,", ",PAQ,PAK,")
    problems = check_data_dir(data_copy)
    assert any(p.file == "statement/signatories.csv" and p.column == "base_iso3" and p.row == 7 for p in problems)


def test_dropped_recommendation_breaks_the_count(data_copy: Path) -> None:
    path = data_copy / "statement" / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: gov-anonymity")
    end = text.index("  - id: gov-export-controls")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    messages = [p.message for p in check_data_dir(data_copy)]
    assert any("'governments' has 8 recommendations; the original has 9" in m for m in messages)


def test_unknown_theme_and_unused_theme(data_copy: Path) -> None:
    _replace(
        data_copy / "statement" / "recommendations.yaml",
        "themes: [anonymity, free-expression, privacy-surveillance]",
        "themes: [anonymty, free-expression, privacy-surveillance]",
    )
    messages = [p.message for p in check_data_dir(data_copy)]
    assert any("unknown theme 'anonymty'" in m for m in messages)
    assert any("theme 'anonymity' is used by no recommendation" in m for m in messages)


def test_missing_sidecar_and_unmentioned_file(data_copy: Path) -> None:
    (data_copy / "statement" / "themes.meta.yml").unlink()
    (data_copy / "statement" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    messages = [str(p) for p in check_data_dir(data_copy)]
    assert "statement/themes.yaml: has no sidecar (themes.meta.yml)" in messages
    assert any("README.md: does not mention dataset 'statement/extra.csv'" in m for m in messages)


def test_sidecar_missing_fields(data_copy: Path) -> None:
    _replace(data_copy / "statement" / "themes.meta.yml", "licence: same as the project\n", "")
    problems = check_data_dir(data_copy)
    assert Problem("statement/themes.meta.yml", "required field 'licence' is missing", column="licence") in problems


def test_rehash_repairs_checksums_after_a_deliberate_edit(data_copy: Path) -> None:
    _replace(data_copy / "statement" / "themes.yaml", "Universal access", "Universal access to the internet")
    assert any("sha256" in p.message for p in check_data_dir(data_copy))
    updated = rehash(data_copy)
    assert [p.name for p in updated] == ["themes.meta.yml"]
    assert check_data_dir(data_copy) == []
    assert (
        sha256_of(data_copy / "statement" / "themes.yaml") in (data_copy / "statement" / "themes.meta.yml").read_text()
    )


def test_missing_data_dir(tmp_path: Path) -> None:
    assert "does not exist" in check_data_dir(tmp_path / "nope")[0].message
