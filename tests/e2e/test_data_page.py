"""The Data page in a browser: uploads are checked with the form's choices, never stored; a preview changes only
its own session; and only a maintainer token publishes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route
from playwright.sync_api import Request as BrowserRequest

from igf_explorer.indicators import load_registry
from igf_explorer.ingest.history import read_log
from tests.conftest import DATA_DIR, INGEST_FIXTURES, tree_digest
from tests.e2e.conftest import Server, is_local, start_server, stop_server, wait_for_app
from tests.helpers_store import drop_rows

pytestmark = pytest.mark.e2e
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
MAIN = '[data-testid="stMain"]'
TOKEN = "correct horse battery staple"
TIDY_VINTAGE = "2024-06"  # internet_users is a single-vintage series: a file that does not state one needs it
FOTN = INGEST_FIXTURES / "fotn_short_headers_no_edition.csv"  # real 2024 figures; edition not in the file


def check(page: Page, server: Server, *files: Path, edition: int | None = None, vintage: str | None = None) -> str:
    """Open the Data page, upload the files, fill the form and press 'Check the file'; return the main text."""
    page.goto(f"{server.url}/data")
    wait_for_app(page)
    page.set_input_files(UPLOAD, [str(f) for f in files])
    page.wait_for_selector(f'{MAIN} [data-testid="stFileChipName"]', timeout=30_000)
    if edition is not None:
        page.get_by_role("spinbutton", name="Edition or year").fill(str(edition))
    if vintage is not None:
        page.get_by_role("textbox", name="Vintage", exact=True).fill(vintage)
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_function(
        "() => /problem\\(s\\)\\. Nothing would be stored|read as/.test(document.querySelector('[data-testid=\"stMain\"]').innerText)",
        timeout=60_000,
    )
    wait_for_app(page)
    return str(page.inner_text(MAIN))


def test_catalogue_lists_every_indicator(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/data")
    wait_for_app(page)
    text = page.inner_text(MAIN)
    assert "Check an update" in text and "History" in text
    registry = load_registry(DATA_DIR)
    # One expander per dataset, country and company, each with its provenance.
    assert page.locator(f'{MAIN} [data-testid="stExpander"]').count() == len(registry.datasets) + len(
        registry.company_datasets
    )
    assert len(registry.company_datasets) >= 2 and "Ranking Digital Rights" in page.inner_text(MAIN)


def test_broken_upload_shows_the_problem_table_and_stores_nothing(page: Page, server: Server) -> None:
    before = tree_digest(DATA_DIR)
    text = check(page, server, INGEST_FIXTURES / "bad_non_numeric.csv")
    assert "bad_non_numeric.csv: " in text and "problem(s). Nothing would be stored." in text
    grid = page.inner_text(f"{MAIN} .st-key-data-problems")
    assert "value 'lots' is not a number" in grid
    assert "--" not in grid, "the page names the form's fields, not the command line's flags"
    assert tree_digest(DATA_DIR) == before


def test_good_upload_shows_the_diff_and_stores_nothing(page: Page, server: Server) -> None:
    before = tree_digest(DATA_DIR)
    text = check(page, server, INGEST_FIXTURES / "tidy_utf8.csv", vintage=TIDY_VINTAGE)
    assert "read as tidy for dataset internet_users" in text
    assert "Publishing to the shared data needs a maintainer" in text
    assert tree_digest(DATA_DIR) == before


@pytest.fixture
def maintainer_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    drop_rows(data, "fotn", "AUS", 2024)  # the FOTN fixture has Australia 2024; this store copy must not
    running = start_server(
        tmp_path, env_extra={"IGF_EXPLORER_DATA_DIR": str(data), "IGF_EXPLORER_MAINTAINER_TOKEN": TOKEN}
    )
    yield running, data
    stop_server(running)


def test_publishing_needs_the_right_token(page: Page, maintainer_server: tuple[Server, Path]) -> None:
    server, data = maintainer_server
    before = tree_digest(data)
    check(page, server, INGEST_FIXTURES / "tidy_utf8.csv", vintage=TIDY_VINTAGE)
    token = page.get_by_role("textbox", name="Maintainer token to publish")
    token.fill("wrong")
    token.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Publish to the shared data").click()
    page.wait_for_selector("text=That token is not right", timeout=30_000)
    wait_for_app(page)
    assert tree_digest(data) == before
    assert token.input_value() == "", "a token is cleared once it was used"
    token.fill(TOKEN)
    token.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Publish to the shared data").click()
    page.wait_for_selector("text=Published tidy_utf8.csv; history entry", timeout=30_000)
    assert tree_digest(data) != before
    assert read_log(data)[-1]["input"] == "tidy_utf8.csv"


def map_values(page: Page) -> dict[str, str]:
    """Country → value in the map's table of countries with a figure."""
    page.wait_for_selector(f"{MAIN} .st-key-map-table table tbody tr", timeout=60_000)
    rows = page.eval_on_selector_all(
        f"{MAIN} .st-key-map-table table tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim()))",
    )
    return {row[0]: row[1] for row in rows if len(row) > 1}


def test_a_fotn_file_with_the_edition_on_the_form_previews_in_this_session_only(
    page: Page, browser: Browser, maintainer_server: tuple[Server, Path]
) -> None:
    server, data = maintainer_server
    before = tree_digest(data)
    text = check(page, server, FOTN, edition=2024)
    assert "read as fotn for dataset fotn: 20 rows, 5 countries, periods 2024–2024." in text

    page.get_by_text("Preview this file's data in my session").click()
    page.wait_for_selector("text=Previewing fotn_short_headers_no_edition.csv in this session only", timeout=30_000)
    wait_for_app(page)
    # An in-app link keeps the session (a fresh page load would start a new one, without the preview).
    page.get_by_role("link", name="See FOTN total 2024 on the map").click()
    page.wait_for_url("**/map?*indicator=fotn_total*", timeout=30_000)
    wait_for_app(page)
    assert "year=2024" in page.url
    assert "Previewing fotn_short_headers_no_edition.csv in this session only" in page.inner_text(MAIN)
    previewed = map_values(page)
    # Australia's 2024 score (76) is in the file but not in the stored 2024 edition.
    assert previewed.get("Australia") == "76", previewed
    assert previewed.get("Argentina") == "71"

    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    external: list[str] = []

    def guard(route: Route, request: BrowserRequest) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            external.append(request.url)
            route.abort()

    other.route("**/*", guard)
    try:
        shared_page = other.new_page()
        shared_page.goto(f"{server.url}/map?indicator=fotn_total&year=2024")
        wait_for_app(shared_page)
        shared = map_values(shared_page)
        assert "Previewing" not in shared_page.inner_text(MAIN)
        assert "Australia" not in shared, "another session saw the preview"
        assert shared.get("Argentina") == "71"  # the stored value
    finally:
        other.close()
    assert external == []

    page.get_by_role("button", name="Stop the preview").click()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Previewing')", timeout=30_000
    )
    wait_for_app(page)
    assert "Australia" not in map_values(page)
    assert tree_digest(data) == before, "a preview wrote to the data directory"
