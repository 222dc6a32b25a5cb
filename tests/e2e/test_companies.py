"""The Companies page in Chromium: the asks, the tables and a profile's chart draw, choosing a company writes the
URL, and nothing leaves localhost. Every wait is on the app's state (script idle, the element or URL), never a delay."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import Server, Traffic, wait_for_app

pytestmark = pytest.mark.e2e

MAIN = '[data-testid="stMain"]'


def test_the_page_and_a_profile_draw_from_localhost_only(page, server: Server, traffic: Traffic) -> None:
    page.goto(f"{server.url}/companies?region=europe&company=vodafone")
    wait_for_app(page)
    page.wait_for_selector(f"{MAIN} .st-key-companies-membership table tbody tr")
    text = page.inner_text(MAIN)
    assert "We urge ICT companies to join the Global Network Initiative" in text
    assert "companies headquartered in Europe" in text
    assert "Vodafone" in page.inner_text(f"{MAIN} .st-key-companies-membership")
    # plotly.js is served by the app: the profile's chart drawing proves its code loaded from localhost.
    page.wait_for_selector(f"{MAIN} .js-plotly-plot .main-svg")
    assert "full member 2017" in text and "not comparable" in text
    assert len(traffic.requests) > 5 and traffic.external == []


def test_choosing_a_company_writes_it_into_the_link(page, server: Server, traffic: Traffic) -> None:
    page.goto(f"{server.url}/companies")
    wait_for_app(page)
    page.locator(f'{MAIN} [data-testid="stSelectbox"]').click()
    page.keyboard.type("Meta")
    page.get_by_role("option", name="Meta (Facebook)").click()
    page.wait_for_url("**/companies?*company=meta*")
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('observer 2012, full member 2013')"
    )
    assert parse_qs(urlparse(page.evaluate("location.href")).query)["company"] == ["meta"]
    assert traffic.external == []


@pytest.mark.parametrize("query", ["company=google", "company=google&lite=1"])
def test_no_serious_axe_violation_on_the_companies_page(page, server: Server, query: str) -> None:
    from tests.e2e.test_accessibility import axe_violations, describe

    page.goto(f"{server.url}/companies?{query}")
    wait_for_app(page)
    page.wait_for_selector(f"{MAIN} .st-key-companies-membership table tbody tr")
    wait_for_app(page)
    found = axe_violations(page)
    assert found == [], describe(found)
