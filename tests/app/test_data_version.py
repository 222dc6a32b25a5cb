"""A run draws one data version from top to bottom, even when the data on disk changes halfway down the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA_DIR

pytestmark = pytest.mark.app


def _page_that_changes_the_data_midway() -> None:
    import streamlit as st

    from components import cached
    from tests.helpers_store import drop_rows as drop

    pinned = cached.pin_version()
    rows_before = len(cached.indicator_store().tidy(["fotn_total"]))
    if st.session_state.get("change", True):
        drop(cached.data_dir(), "fotn", "AUS", 2024)  # an ingest lands while the page is drawn
        cached._versions.clear()  # as if the one-second re-read were due right now
    st.session_state["seen"] = (
        pinned,
        cached.data_version(),
        rows_before,
        len(cached.indicator_store().tidy(["fotn_total"])),
    )


def test_a_page_keeps_its_version_while_the_data_changes_and_the_next_run_draws_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setenv("IGF_EXPLORER_DATA_DIR", str(data))
    at = AppTest.from_function(_page_that_changes_the_data_midway, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    pinned, shown, rows_top, rows_bottom = at.session_state["seen"]
    assert shown == pinned and rows_bottom == rows_top, "the bottom of the page drew the same data as the top"
    at.session_state["change"] = False
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    new_pinned, new_shown, new_top, new_bottom = at.session_state["seen"]
    assert new_pinned != pinned and new_shown == new_pinned
    assert new_top == new_bottom == rows_top - 1, "the next run draws the data without Australia's 2024 row"
