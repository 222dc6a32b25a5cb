"""The Since 2012 page in Chromium: the scorecard and its charts draw, nothing leaves localhost, a row opens its
recommendation. Every wait is on the app's state (script idle, the expected element or URL), never on a delay."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import Server, Traffic, wait_for_app

pytestmark = pytest.mark.e2e

TABLE = ".st-key-since-table table.igf-scorecard"


def test_the_scorecard_draws_and_a_row_opens_its_recommendation(page, server: Server, traffic: Traffic) -> None:
    page.goto(f"{server.url}/since-2012?region=africa")
    wait_for_app(page)
    page.wait_for_selector(f"{TABLE} tbody tr")
    rows = page.locator(f"{TABLE} tbody th[scope='rowgroup']")
    assert rows.count() == 14
    assert "Worldwide (improved / held / declined)" in page.inner_text(TABLE)
    # plotly.js is served by the app: a chart drawing proves its code loaded from localhost.
    page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .main-svg')
    assert len(traffic.requests) > 5 and traffic.external == []

    page.locator(f'{TABLE} tr[data-rec="intl-core-value"] th a').click()
    page.wait_for_url("**/recommendations?*")
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('adopt internet freedom as a core value')"
    )
    query = parse_qs(urlparse(page.evaluate("location.href")).query)
    assert query["rec"] == ["intl-core-value"] and query["region"] == ["africa"]
    assert query["indicator"] == ["fiw_total"]  # the headline: the scored measure comparing the most countries
    assert "Measured by" in page.inner_text('[data-testid="stMain"]')
    assert traffic.external == []


def test_no_serious_axe_violation_on_the_scorecard(page, server: Server) -> None:
    from tests.e2e.test_accessibility import axe_violations, describe

    page.goto(f"{server.url}/since-2012")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .main-svg')
    wait_for_app(page)
    found = axe_violations(page)
    assert found == [], describe(found)
