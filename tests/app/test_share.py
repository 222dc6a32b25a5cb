"""AppTest: every page has its "Share this view" panel; it shows the page's deep link; tables have CSV downloads."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from components.share import SHARE_OPEN
from igf_explorer.registry import PAGE_SPECS, page_by_path
from igf_explorer.share import PUBLIC_URL_ENV

Factory = Callable[..., AppTest]


@pytest.fixture
def shared_at(app_at: Factory) -> Factory:
    """Factory: the app's AppTest factory with the share panel open or not."""

    def make(script: str | None = None, open_panel: bool = True, **params: str) -> AppTest:
        return app_at(script, session={SHARE_OPEN: open_panel}, **params)

    return make


def share_link(at: AppTest) -> str:
    """The link the open panel shows (its only code block in the sidebar)."""
    codes = [c.value for c in at.sidebar.code]
    assert len(codes) == 1, codes
    return str(codes[0])


# A page that has nothing to show until a choice is made stops early (the profile without a country): its state
# is given so the page runs to the end, where the router draws the panel.
PAGE_PARAMS = {"country": {"country": "PAK"}}


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_every_page_has_the_share_panel_and_it_links_to_the_page(shared_at: Factory, spec) -> None:  # type: ignore[no-untyped-def]
    params = PAGE_PARAMS.get(spec.url_path, {})
    closed = shared_at(spec.script, open_panel=False, **params)
    assert [e.label for e in closed.sidebar.expander if e.label == "Share this view"] == ["Share this view"]
    assert not closed.sidebar.code  # lazy: nothing is built while the panel is closed
    opened = shared_at(spec.script, **params)
    assert urlsplit(share_link(opened)).path == spec.route
    assert any("QR code of the link" in str(h.proto.body) for h in opened.sidebar.get("html"))


def test_the_profile_without_a_country_has_the_share_panel(shared_at: Factory) -> None:
    at = shared_at(page_by_path("country").script)
    assert share_link(at).endswith("/country")


def test_the_map_link_holds_the_view_with_what_the_page_derived(shared_at: Factory) -> None:
    at = shared_at(page_by_path("map").script, theme="blocking", region="africa")
    query = parse_qs(urlsplit(share_link(at)).query)
    # The link names the indicator and period the map shows, so it shows the same after a data update.
    assert query["theme"] == ["blocking"] and query["region"] == ["africa"]
    assert query["indicator"] and query["year"][0].isdigit()


def test_the_country_link_holds_the_country(shared_at: Factory) -> None:
    at = shared_at(page_by_path("country").script, country="PAK")
    assert urlsplit(share_link(at)).query == "country=PAK"


def test_a_configured_public_base_starts_the_link(shared_at: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://igf.example.org/explorer/")
    at = shared_at(page_by_path("country").script, country="PAK")
    assert share_link(at) == "https://igf.example.org/explorer/country?country=PAK"
    assert not at.sidebar.warning


def test_a_bad_public_base_is_explained_and_never_crashes(shared_at: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "ftp://igf.example.org/?x=1")
    at = shared_at(page_by_path("country").script, country="PAK")
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and PUBLIC_URL_ENV in warnings[0] and "http://" in warnings[0]
    assert share_link(at).startswith("http://") and share_link(at).endswith("/country?country=PAK")


def downloads(at: AppTest) -> dict[str, str]:
    return {str(b.key): str(b.label) for b in at.get("download_button")}


def test_the_map_table_has_its_csv_download(shared_at: Factory) -> None:
    at = shared_at(page_by_path("map").script, open_panel=False, theme="blocking")
    assert downloads(at) == {"map-table-csv": "Download this table as CSV"}


def test_a_recommendations_tables_have_their_csv_downloads(shared_at: Factory) -> None:
    at = shared_at(page_by_path("recommendations").script, open_panel=False, rec="gov-blocking")
    assert set(downloads(at)) == {"recs-ranking-csv", "recs-signatories-csv", "recs-change-csv"}


def test_the_country_profiles_tables_have_their_csv_downloads(shared_at: Factory) -> None:
    at = shared_at(page_by_path("country").script, open_panel=False, country="PAK")
    keys = set(downloads(at))
    # The notes under a chart; "All figures" joins them once the page calls profile.render_country_figures.
    assert keys and all(k.endswith("csv") for k in keys)
