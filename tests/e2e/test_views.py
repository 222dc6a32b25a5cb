"""What the view builders promise, seen in a real browser: ranking order, the region on a recommendation's tables,
the themes leading a country profile."""

from __future__ import annotations

import pytest

from igf_explorer.countries import all_regions, in_region
from tests.e2e.conftest import Server, wait_for_app

pytestmark = pytest.mark.e2e


def table_rows(page, key: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The body rows of a static table (its first column is the header cell of each row)."""
    return page.eval_on_selector_all(
        f".st-key-{key} table tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim()))",
    )


def test_individuals_using_the_internet_are_ranked_highest_share_first(page, server: Server) -> None:
    page.goto(f"{server.url}/recommendations?rec=gov-access&indicator=internet_users")
    wait_for_app(page)
    page.wait_for_selector(".st-key-recs-ranking table tbody tr")
    rows = table_rows(page, "recs-ranking")
    assert len(rows) > 20
    shares = [float(row[-1]) for row in rows]
    assert shares[0] == max(shares)
    assert shares == sorted(shares, reverse=True)
    assert "Highest first" in page.inner_text('[data-testid="stMain"]')


def test_the_region_restricts_the_change_and_the_signatories_of_a_recommendation(page, server: Server) -> None:
    base = f"{server.url}/recommendations?rec=gov-blocking&indicator=fotn_total"
    page.goto(base)
    wait_for_app(page)
    # Each table's rows, not just the first's: st.table's lazily loaded code can draw one before another.
    page.wait_for_selector(".st-key-recs-change table tbody tr")
    page.wait_for_selector(".st-key-recs-signatories table tbody tr")
    world_change, world_signatories = table_rows(page, "recs-change"), table_rows(page, "recs-signatories")
    page.goto(base + "&region=africa")
    wait_for_app(page)
    page.wait_for_selector(".st-key-recs-change table tbody tr")
    page.wait_for_selector(".st-key-recs-signatories table tbody tr")
    africa_change, africa_signatories = table_rows(page, "recs-change"), table_rows(page, "recs-signatories")
    assert 0 < len(africa_change) < len(world_change)
    assert 0 < len(africa_signatories) < len(world_signatories)
    africa = next(r for r in all_regions() if r.slug == "africa")
    from igf_explorer.countries import country_name
    from igf_explorer.indicators import economy_codes

    names_in_africa = {country_name(code) for code in economy_codes() if in_region(code, africa)}
    assert {row[0] for row in africa_change} <= names_in_africa
    assert {row[0] for row in africa_signatories} <= names_in_africa
    assert "in Africa with a figure in both" in page.inner_text('[data-testid="stMain"]')


def test_a_theme_changes_what_the_country_profile_leads_with(page, server: Server) -> None:
    page.goto(f"{server.url}/country?country=PAK")
    wait_for_app(page)
    assert page.locator(".st-key-country-lead").count() == 0
    page.goto(f"{server.url}/country?country=PAK&theme=privacy-surveillance")
    wait_for_app(page)
    lead = page.inner_text(".st-key-country-lead")
    assert "On the chosen themes" in lead
    assert "Privacy & surveillance is measured by FOTN C: Violations of User Rights" in lead
