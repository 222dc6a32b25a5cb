"""Selecting recommendations by addressee, themes and free text; the same rules serve the app and the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from igf_explorer.statement import Recommendation, Statement
from igf_explorer.text import normalize_whitespace


def search_terms(query: str) -> list[str]:
    """Lower-cased words of a free-text query."""
    return normalize_whitespace(query).lower().split()


def matches_query(statement: Statement, rec: Recommendation, terms: Sequence[str]) -> bool:
    """Whether every term occurs in the recommendation's text, its theme labels or its addressee."""
    if not terms:
        return True
    haystack = " ".join(
        [rec.text, statement.addressee(rec.addressee).label, rec.id] + [statement.theme(t).label for t in rec.themes]
    ).lower()
    return all(term in haystack for term in terms)


def filter_recommendations(
    statement: Statement,
    addressee: str | None = None,
    themes: Iterable[str] = (),
    query: str = "",
) -> list[Recommendation]:
    """Recommendations to ``addressee`` carrying any of ``themes`` and matching ``query``, in statement order."""
    wanted = set(themes)
    terms = search_terms(query)
    return [
        rec
        for rec in statement.recommendations
        if (addressee is None or rec.addressee == addressee)
        and (not wanted or wanted.intersection(rec.themes))
        and matches_query(statement, rec, terms)
    ]


def theme_counts(statement: Statement) -> dict[str, int]:
    """How many recommendations carry each theme, in taxonomy order."""
    return {t.id: sum(t.id in r.themes for r in statement.recommendations) for t in statement.themes}


def addressee_counts(statement: Statement) -> dict[str, int]:
    """How many recommendations each addressee receives, in statement order."""
    return {a.id: sum(r.addressee == a.id for r in statement.recommendations) for a in statement.addressees}
