"""Name overrides (``NAME=ISO3``), from the command line, a file or the Data page's form, checked all at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import yaml

from igf_explorer.indicators import is_economy_code
from igf_explorer.problems import Problem


def _checked(name: str, code: str, source: str, row: int | None, problems: list[Problem]) -> tuple[str, str] | None:
    name, code = " ".join(name.split()), code.strip().upper()
    if not name:
        problems.append(Problem(source, "an override needs NAME=ISO3; the name is empty", row=row))
        return None
    if not is_economy_code(code):
        problems.append(
            Problem(source, f"override '{name}={code}': '{code}' is not an ISO 3166-1 alpha-3 code", row=row)
        )
        return None
    return name, code


def parse_override_lines(lines: Sequence[str], source: str) -> tuple[dict[str, str], list[Problem]]:
    """``NAME=ISO3`` pairs, one per line (blank lines and ``#`` comments skipped); every bad line is a problem."""
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, separator, code = text.rpartition("=")
        if not separator:
            problems.append(Problem(source, f"'{text}' is not NAME=ISO3", row=number))
            continue
        pair = _checked(name, code, source, number, problems)
        if pair:
            mapping[pair[0]] = pair[1]
    return mapping, problems


def read_override_file(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """A CSV (columns ``name,iso3``) or YAML (``NAME: ISO3``) file of overrides."""
    problems: list[Problem] = []
    mapping: dict[str, str] = {}
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix in (".yml", ".yaml"):
        try:
            loaded = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            return {}, [Problem(path.name, f"is not valid YAML: {exc}")]
        if not isinstance(loaded, dict):
            return {}, [Problem(path.name, "must map names to ISO3 codes")]
        pairs: list[tuple[str, str, int | None]] = [(str(k), str(v), None) for k, v in loaded.items()]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not {"name", "iso3"} <= set(reader.fieldnames or []):
            return {}, [Problem(path.name, "needs the columns 'name' and 'iso3'")]
        pairs = [(row["name"] or "", row["iso3"] or "", number) for number, row in enumerate(reader, start=1)]
    for name, code, row in pairs:
        pair = _checked(name, code, path.name, row, problems)
        if pair:
            mapping[pair[0]] = pair[1]
    return mapping, problems
