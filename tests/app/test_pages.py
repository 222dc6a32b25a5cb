"""AppTest: every registered page renders; filters work through widget keys and query parameters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import state
from igf_explorer.filters import filter_recommendations
from igf_explorer.paths import DATA_DIR_ENV
from igf_explorer.registry import PAGE_SPECS, page_by_path
from igf_explorer.statement import Statement
from tests.app.conftest import all_text, key_numbers, shown

RECS = page_by_path("recommendations").script
SIGNATORIES = page_by_path("signatories").script
Factory = Callable[..., AppTest]


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_every_page_renders_without_exception(app_at: Factory, spec) -> None:
    at = app_at(spec.script)
    assert at.title, f"{spec.script} shows no title"
    assert not at.error


def showing(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Showing"))


def test_recommendations_lists_all_fourteen(app_at: Factory) -> None:
    at = app_at(RECS)
    assert showing(at) == "**Showing 14 of 14 recommendations**"
    assert [shown(s.value) for s in at.subheader] == [
        "To Governments",
        "To Internet Companies",
        "To International & Multilateral Bodies",
        "To the International Telecommunications Union & Member States",
    ]


def test_theme_query_parameter_seeds_the_sidebar_filter(app_at: Factory, shipped_statement: Statement) -> None:
    at = app_at(RECS, theme="blocking")
    assert at.multiselect(key=state.THEMES).value == ["blocking"]
    expected = len(filter_recommendations(shipped_statement, themes=["blocking"]))
    assert showing(at) == f"**Showing {expected} of 14 recommendations**"


def test_addressee_widget_filters_and_updates_the_url(app_at: Factory) -> None:
    at = app_at(RECS)
    at.selectbox(key=state.ADDRESSEE).set_value("companies").run()
    assert showing(at) == "**Showing 3 of 14 recommendations**"
    assert at.query_params["addressee"] == "companies"


def test_search_box_filters(app_at: Factory) -> None:
    at = app_at(RECS)
    at.text_input(key=state.QUERY).input("anonymously").run()
    assert showing(at) == "**Showing 1 of 14 recommendations**"
    assert at.query_params["q"] == "anonymously"


def test_theme_widget_changes_the_list_and_url(app_at: Factory) -> None:
    at = app_at(RECS)
    at.multiselect(key=state.THEMES).select("anonymity").run()
    assert showing(at) == "**Showing 1 of 14 recommendations**"
    assert at.query_params["theme"] == "anonymity"


def test_rec_parameter_opens_one_recommendation(app_at: Factory, shipped_statement: Statement) -> None:
    at = app_at(RECS, rec="gov-blocking")
    text = all_text(at)
    assert shipped_statement.recommendation("gov-blocking").text in text  # type: ignore[union-attr]
    assert "Recommendation 2 of 9 in this group" in text
    assert not any(m.value.startswith("**Showing") for m in at.markdown)


def test_unknown_values_show_a_friendly_notice(app_at: Factory) -> None:
    at = app_at(RECS, theme="blocking,teleportation", addressee="martians")
    warnings = " ".join(w.value for w in at.warning)
    assert "teleportation" in warnings and "martians" in warnings
    assert showing(at) == "**Showing 2 of 14 recommendations**"


def test_region_parameter_filters_signatories(app_at: Factory) -> None:
    at = app_at(SIGNATORIES, region="africa")
    assert at.selectbox(key=state.REGION).value == "africa"
    assert "**4 of 17 signatories** based in Africa" in all_text(at)
    assert len(at.dataframe[0].value) == 4


def test_region_widget_on_signatories(app_at: Factory) -> None:
    at = app_at(SIGNATORIES)
    assert len(at.dataframe[0].value) == 17
    at.selectbox(key=state.REGION).set_value("eastern-europe").run()
    assert len(at.dataframe[0].value) == 2
    assert at.query_params["region"] == "eastern-europe"


def test_overview_counts(app_at: Factory) -> None:
    at = app_at()
    metrics = key_numbers(at)
    assert metrics == {
        "Recommendations": "14",
        "Addressee groups": "4",
        "Signatories": "17",
        "Countries of origin": "13",
    }


def test_broken_data_shows_a_problem_table_not_a_traceback(
    app_at: Factory, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "statement" / "themes.yaml").write_text("themes: [", encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    at = app_at(RECS)
    assert at.error and "cannot be shown" in at.error[0].value
    assert "statement/themes.yaml" in at.dataframe[0].value["file"].tolist()


HOSTILE_LINK = {
    "theme": "![x](http://198.51.100.7/beacon.png)",
    "region": "[click](javascript:alert(1))",
    "indicator": ":red[styled]",
    "year": "²",
    "q": "x" * 100_000,
}


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path or "overview" for s in PAGE_SPECS])
def test_hostile_link_values_are_echoed_in_code_spans(app_at: Factory, spec) -> None:
    at = app_at(spec.script, **HOSTILE_LINK)
    warnings = [w.value for w in at.warning]
    assert "Unknown theme `![x](http://198.51.100.7/beacon.png)`" in " ".join(warnings)
    if "year" in spec.params:
        assert any(w.startswith("`²` in the link is not a year") for w in warnings)
    if "q" in spec.params:
        assert len(at.text_input(key=state.QUERY).value) == 200


def test_a_link_is_left_as_it_came_and_a_change_is_written(app_at: Factory) -> None:
    at = app_at(RECS, region="africa", theme="blocking,access")
    assert dict(at.query_params) == {"region": "africa", "theme": "blocking,access"}  # not rewritten on landing
    at.selectbox(key=state.ADDRESSEE).set_value("companies").run()
    assert dict(at.query_params) == {"theme": "access,blocking", "region": "africa", "addressee": "companies"}
