"""The Data page in a browser: uploads are checked, never stored, and only a maintainer token publishes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from igf_explorer.ingest.store import read_log
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest
from tests.e2e.conftest import Server, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.e2e
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
TOKEN = "correct horse battery staple"


def upload(page, server: Server, *files: Path) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/data")
    wait_for_app(page)
    page.set_input_files(UPLOAD, [str(f) for f in files])
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stAlert"]', timeout=60_000)
    wait_for_app(page)
    return page.inner_text('[data-testid="stMain"]')


def test_catalogue_lists_every_indicator(page, server: Server) -> None:
    page.goto(f"{server.url}/data")
    wait_for_app(page)
    text = page.inner_text('[data-testid="stMain"]')
    assert "Check an update" in text
    assert page.locator('[data-testid="stExpander"]').count() == 4


def test_broken_upload_shows_the_problem_table_and_stores_nothing(page, server: Server) -> None:
    before = tree_digest(DATA_DIR)
    text = upload(page, server, INGEST_FIXTURES / "bad_non_numeric.csv")
    assert "bad_non_numeric.csv: 1 problem(s). Nothing would be stored." in text
    grid = page.inner_text('[data-testid="stMain"] .st-key-data-problems')
    assert "value 'lots' is not a number" in grid
    assert tree_digest(DATA_DIR) == before


def test_good_upload_shows_the_diff_and_stores_nothing(page, server: Server) -> None:
    before = tree_digest(DATA_DIR)
    text = upload(page, server, INGEST_FIXTURES / "tidy_utf8.csv")
    assert "read as tidy for dataset internet_users" in text
    assert "Publishing to the shared data needs a maintainer" in text
    assert tree_digest(DATA_DIR) == before


@pytest.fixture
def maintainer_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    running = start_server(
        tmp_path, env_extra={"IGF_EXPLORER_DATA_DIR": str(data), "IGF_EXPLORER_MAINTAINER_TOKEN": TOKEN}
    )
    yield running, data
    stop_server(running)


def test_publishing_needs_the_right_token(page, maintainer_server: tuple[Server, Path]) -> None:
    server, data = maintainer_server
    before = tree_digest(data)
    upload(page, server, INGEST_FIXTURES / "tidy_utf8.csv")
    page.get_by_label("Maintainer token").fill("wrong")
    page.get_by_label("Maintainer token").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Publish to the shared data").click()
    page.wait_for_selector("text=That token is not right", timeout=30_000)
    assert tree_digest(data) == before
    page.get_by_label("Maintainer token").fill(TOKEN)
    page.get_by_label("Maintainer token").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Publish to the shared data").click()
    page.wait_for_selector("text=Published; history entry", timeout=30_000)
    assert tree_digest(data) != before
    assert read_log(data)[-1]["input"] == "tidy_utf8.csv"
