"""Selecting recommendations by addressee, theme and text."""

from __future__ import annotations

from igf_explorer.filters import addressee_counts, filter_recommendations, search_terms, theme_counts
from igf_explorer.statement import Statement


def test_no_filter_returns_all_in_statement_order(shipped_statement: Statement) -> None:
    assert filter_recommendations(shipped_statement) == list(shipped_statement.recommendations)


def test_addressee_filter(shipped_statement: Statement) -> None:
    ids = [r.id for r in filter_recommendations(shipped_statement, addressee="companies")]
    assert ids == ["companies-gni", "companies-due-process", "companies-privacy"]


def test_themes_match_any_of_the_chosen(shipped_statement: Statement) -> None:
    one = {r.id for r in filter_recommendations(shipped_statement, themes=["anonymity"])}
    two = {r.id for r in filter_recommendations(shipped_statement, themes=["anonymity", "disinformation"])}
    assert one == {"gov-anonymity"}
    assert two == {"gov-anonymity", "gov-disinformation"}


def test_text_search_needs_every_word_and_ignores_case(shipped_statement: Statement) -> None:
    assert [r.id for r in filter_recommendations(shipped_statement, query="INDEPENDENT judiciary")] == [
        "gov-surveillance"
    ]
    assert filter_recommendations(shipped_statement, query="judiciary nonexistentword") == []


def test_search_also_matches_theme_labels(shipped_statement: Statement) -> None:
    ids = {r.id for r in filter_recommendations(shipped_statement, query="export of surveillance technology")}
    assert ids == {"gov-export-controls"}


def test_filters_combine(shipped_statement: Statement) -> None:
    result = filter_recommendations(
        shipped_statement, addressee="governments", themes=["privacy-surveillance"], query="export"
    )
    assert [r.id for r in result] == ["gov-export-controls"]


def test_counts(shipped_statement: Statement) -> None:
    assert addressee_counts(shipped_statement) == {"governments": 9, "companies": 3, "international": 1, "itu": 1}
    counts = theme_counts(shipped_statement)
    assert all(count >= 1 for count in counts.values())
    assert sum(counts.values()) == sum(len(r.themes) for r in shipped_statement.recommendations)


def test_search_terms() -> None:
    assert search_terms("  Due   PROCESS ") == ["due", "process"]
