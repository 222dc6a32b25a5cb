"""What a user sees in a real browser: pages, deep links, filters, and no request leaving localhost."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from igf_explorer.filters import filter_recommendations
from igf_explorer.registry import PAGE_SPECS
from igf_explorer.statement import Statement
from tests.e2e.conftest import Server, Traffic, wait_for_app

pytestmark = pytest.mark.e2e
CARD = '[class*="st-key-rec-card-"]'


def card_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    classes = page.eval_on_selector_all(CARD, "els => els.map(e => e.className)")
    return [
        next(c for c in cls.split() if c.startswith("st-key-rec-card-"))[len("st-key-rec-card-") :] for cls in classes
    ]


def test_recommendations_page_lists_all_fourteen(page, server: Server, shipped_statement: Statement) -> None:
    page.goto(f"{server.url}/recommendations")
    wait_for_app(page)
    assert card_ids(page) == [r.id for r in shipped_statement.recommendations]
    assert "Showing 14 of 14 recommendations" in page.inner_text('[data-testid="stMain"]')


@pytest.mark.parametrize("theme", ["blocking", "privacy-surveillance", "anonymity"])
def test_theme_deep_link_shows_only_matching(page, server: Server, shipped_statement: Statement, theme: str) -> None:
    page.goto(f"{server.url}/recommendations?theme={theme}")
    wait_for_app(page)
    expected = [r.id for r in filter_recommendations(shipped_statement, themes=[theme])]
    assert 0 < len(expected) < 14
    assert card_ids(page) == expected


# A link's label without its icon's ligature name; textContent, because /present hides the sidebar and innerText
# of a hidden element runs the icon's name and the label together ("homeOverview").
LABEL_JS = """els => els.map(e => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll('[data-testid="stIconMaterial"]').forEach(icon => icon.remove());
    return copy.textContent.trim();
})"""


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_deep_link_to_every_page(page, server: Server, traffic: Traffic, spec) -> None:
    page.goto(f"{server.url}{spec.route}?theme=access&region=africa")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "Page not found" not in body
    nav_labels = page.eval_on_selector_all(
        '[data-testid="stSidebarNav"] a',
        LABEL_JS,
    )
    assert nav_labels == [s.title for s in PAGE_SPECS]
    active = page.eval_on_selector_all(
        '[data-testid="stSidebarNav"] a[aria-current="page"]',
        LABEL_JS,
    )
    assert active == [spec.title]
    location = urlparse(page.evaluate("location.href"))  # page.url lags behind history.replaceState
    assert location.path.rstrip("/") == spec.route.rstrip("/")
    # The link is left as it came (rewriting it would add a history entry); theme and region are on every URL.
    assert parse_qs(location.query) == {"theme": ["access"], "region": ["africa"]}
    assert len(traffic.requests) > 5  # the guard saw the page load, so the zero below is a real measurement
    assert traffic.external == []


def test_choosing_a_theme_updates_the_list_and_the_link(
    page, server: Server, browser, shipped_statement: Statement
) -> None:
    page.goto(f"{server.url}/recommendations")
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Anonymity").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('theme=anonymity')", timeout=30_000)
    wait_for_app(page)
    assert card_ids(page) == ["gov-anonymity"]
    # The copied link reproduces the view in a fresh browser context.
    other = browser.new_context().new_page()
    other.goto(page.evaluate("location.href"))
    wait_for_app(other)
    assert card_ids(other) == ["gov-anonymity"]
    other.context.close()


def test_unknown_link_values_get_a_notice(page, server: Server) -> None:
    page.goto(f"{server.url}/recommendations?theme=blocking,warp-drive")
    wait_for_app(page)
    alert = page.inner_text('[data-testid="stMain"] [data-testid="stAlert"]')
    assert "warp-drive" in alert
    assert len(card_ids(page)) == 2


def test_open_a_recommendation_and_come_back(page, server: Server, shipped_statement: Statement) -> None:
    page.goto(f"{server.url}/recommendations?theme=blocking")
    wait_for_app(page)
    page.locator(CARD).first.get_by_role("button", name="Open this recommendation").click()
    page.wait_for_function("() => location.search.includes('rec=gov-blocking')", timeout=30_000)
    wait_for_app(page)
    text = page.inner_text('[data-testid="stMain"]')
    assert "Recommendation 2 of 9 in this group" in text
    page.get_by_role("button", name="All recommendations").click()
    page.wait_for_function("() => !location.search.includes('rec=')", timeout=30_000)
    wait_for_app(page)
    assert card_ids(page) == ["gov-blocking", "companies-due-process"]


def test_overview_links_carry_the_filters(page, server: Server) -> None:
    page.goto(f"{server.url}/?region=africa")
    wait_for_app(page)
    page.get_by_role("link", name="Anonymity (1)").click()
    page.wait_for_function("() => location.pathname.endsWith('/recommendations')", timeout=30_000)
    wait_for_app(page)
    assert card_ids(page) == ["gov-anonymity"]
    query = parse_qs(urlparse(page.evaluate("location.href")).query)
    assert query == {"theme": ["anonymity"], "region": ["africa"]}
    # Shared filters survive moving to another page through the sidebar.
    page.locator('[data-testid="stSidebarNav"] a', has_text="Signatories").click()
    page.wait_for_function(
        "() => location.pathname.endsWith('/signatories') && location.search.includes('region=africa')", timeout=30_000
    )
    wait_for_app(page)
    assert "4 of 17 signatories" in page.inner_text('[data-testid="stMain"]')
