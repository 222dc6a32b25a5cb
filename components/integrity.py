"""Integrity at serve time: a data file whose checksum no longer matches its sidecar is named on every page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from components import cached


def integrity_messages(problems: Sequence[Mapping[str, Any]], data_dir: Path) -> list[str]:
    """One sentence per problem: a changed file in the words the reader needs, anything else as check says it."""
    messages = []
    for problem in problems:
        file = str(problem.get("data_file") or problem["file"])
        if problem.get("column") == "sha256" and not file.endswith(".meta.yml"):
            shown = f"{data_dir.name}/{file}"
            messages.append(
                f"{shown} does not match the checksum in its sidecar: it was changed outside ingest; "
                "figures from it may be wrong. Run igf-explorer check."
            )
        else:
            messages.append(f"{data_dir.name}/{problem['file']}: {problem['problem']}. Run igf-explorer check.")
    return messages


def render_integrity_warnings() -> None:
    """A warning per data file that fails the sidecar check (computed once per data version, so free per rerun)."""
    for message in integrity_messages(cached.integrity_problems(), cached.data_dir()):
        st.warning(message, icon=":material/gpp_maybe:")
