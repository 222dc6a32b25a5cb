"""AppTest: the Companies page: the three asks verbatim, GNI membership, RDR scores, the region filter, a profile."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from components import state
from igf_explorer.registry import page_by_path
from igf_explorer.statement import Statement
from igf_explorer.url_state import param
from tests.app.conftest import all_text, shown

PAGE = page_by_path("companies").script
COMPANY = param("company").session_key
Factory = Callable[..., AppTest]


def test_the_page_quotes_the_three_asks_of_internet_companies_verbatim(
    app_at: Factory, shipped_statement: Statement
) -> None:
    at = app_at(PAGE)
    text = all_text(at)
    asks = [r for r in shipped_statement.recommendations if r.addressee == "companies"]
    assert len(asks) == 3
    for rec in asks:
        assert rec.text in text
    assert "Showing **every company** (34 with a GNI record or an RDR score)" in text
    assert not at.error


def test_the_tables_say_no_record_and_no_figure_instead_of_filling_gaps(app_at: Factory) -> None:
    at = app_at(PAGE)
    membership = at.table[0].value
    evoca = membership.loc["Evoca"]  # a static table is indexed by its first column
    assert evoca["2011"] == "full member" and evoca["2012"] == "" and evoca["2017"] == ""
    scores = at.dataframe[0].value.set_index("Company")
    assert scores.at["AT&T", "2020"] == "37" and scores.at["AT&T", "2019"] == "no figure"
    assert scores.at["Twitter", "2019"] == "55"  # the 2019 Index as published, not 2020-totals.csv's 62
    assert "not comparable" in all_text(at)


def test_the_region_filter_places_companies_by_headquarters(app_at: Factory) -> None:
    at = app_at(PAGE, region="europe")
    text = all_text(at)
    assert "Showing **companies headquartered in Europe** (7 with a GNI record or an RDR score)" in text
    companies = set(at.dataframe[0].value["Company"])
    assert companies == {"Deutsche Telekom", "Orange", "Telefónica", "Telenor", "VK (Mail.Ru)", "Vodafone", "Yandex"}
    assert "8 companies are in no region because no source gives their headquarters" in text
    assert at.selectbox(key=state.REGION).value == "europe"


def test_a_company_link_opens_its_profile_and_choosing_one_updates_the_url(app_at: Factory) -> None:
    at = app_at(PAGE, company="meta")
    text = all_text(at)
    assert at.selectbox(key=COMPANY).value == "meta"
    assert "Meta (Facebook)" in [shown(h.value) for h in at.header]
    assert "GNI: observer 2012, full member 2013–2017 (the research runs to 2017)." in text
    assert "Headquarters:** United States" in text
    at.selectbox(key=COMPANY).set_value("afilias").run()
    assert at.query_params["company"] == "afilias"
    text = all_text(at)
    assert "Headquarters:** unknown (no source gives it)" in text
    assert any("No Ranking Digital Rights score for this company" in i.value for i in at.info)


def test_an_unknown_company_in_a_link_is_a_notice_not_an_error(app_at: Factory) -> None:
    at = app_at(PAGE, company="alphabet")
    assert at.selectbox(key=COMPANY).value is None
    notices = [shown(w.value) for w in at.warning]
    assert "Unknown company `alphabet` in the link was ignored; choose a company from the list." in notices
    assert not at.error and not at.exception


def test_no_line_of_a_company_chart_joins_scores_of_two_methods() -> None:
    import math
    from pathlib import Path

    from igf_explorer.companies import load_company_data
    from igf_explorer.views.companies import build_profile
    from tests.conftest import DATA_DIR

    store = load_company_data(Path(DATA_DIR))
    google = next(c for c in store.companies.items if c.id == "google")
    profile = build_profile(store, google)
    assert profile.scores_figure is not None
    for trace in profile.scores_figure.data:
        points = dict(zip(trace.x, trace.y, strict=True))
        assert math.isnan(points[2019.5])  # RDR revised its method for the 2020 Index: the line breaks before it
        assert not trace.connectgaps
    assert "before and after the 2020 method revision are not comparable" in profile.scores_summary
