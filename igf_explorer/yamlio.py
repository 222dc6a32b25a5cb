"""Read YAML files into plain Python objects, reporting syntax errors as located problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from igf_explorer.problems import Problem


def read_yaml(path: Path, problems: list[Problem], display_name: str | None = None) -> Any:
    """Parse ``path`` with the safe loader; on failure add a :class:`Problem` and return None."""
    name = display_name or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, f"cannot be read as UTF-8 text: {exc}"))
        return None
    try:
        # The C loader when PyYAML has it: a sidecar with a hundred indicators parses in milliseconds, not 0.3 s.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problems.append(Problem(name, f"{line}invalid YAML ({getattr(exc, 'problem', exc)})"))
        return None
