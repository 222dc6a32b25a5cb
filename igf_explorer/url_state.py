"""The view state and its pure, round-trippable encoding as URL query parameters.

Defaults are left out of the URL. Unknown values are dropped with a readable notice, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from igf_explorer.countries import all_regions
from igf_explorer.statement import Statement

ParamValue = str | Sequence[str]


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at: filters shared by every page plus the Recommendations page's own."""

    addressee: str | None = None
    themes: tuple[str, ...] = ()
    q: str = ""
    rec: str | None = None
    region: str | None = None
    indicator: str | None = None
    year: int | None = None
    country: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The values each parameter may take; ``themes`` keeps taxonomy order so encoded URLs are stable."""

    addressees: frozenset[str]
    themes: tuple[str, ...]
    recs: frozenset[str]
    regions: frozenset[str]
    indicators: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()


def _values(raw: ParamValue | None) -> list[str]:
    """All values of a parameter, splitting comma-separated lists and dropping blanks."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _single(name: str, raw: ParamValue | None, allowed: Iterable[str], notices: list[str]) -> str | None:
    values = _values(raw)
    if not values:
        return None
    allowed_set = set(allowed)
    value = values[0]
    if len(values) > 1:
        notices.append(f"Only one {name} can be chosen; showing '{value}'.")
    if value not in allowed_set:
        notices.append(
            f"Unknown {name} '{value}' in the link was ignored. Known values: {', '.join(sorted(allowed_set))}."
        )
        return None
    return value


def decode(params: Mapping[str, ParamValue], vocabulary: Vocabulary) -> tuple[ViewState, list[str]]:
    """Turn query parameters into a :class:`ViewState`, plus notices about values that were ignored.

    Examples
    --------
    >>> vocab = Vocabulary(frozenset({"governments"}), ("access", "blocking"), frozenset(), frozenset())
    >>> decode({"theme": "blocking,access"}, vocab)[0].themes
    ('access', 'blocking')
    """
    notices: list[str] = []
    theme_values = _values(params.get("theme"))
    unknown_themes = [t for t in theme_values if t not in vocabulary.themes]
    if unknown_themes:
        notices.append(
            f"Unknown theme{'s' if len(unknown_themes) > 1 else ''} {', '.join(repr(t) for t in unknown_themes)} "
            f"in the link {'were' if len(unknown_themes) > 1 else 'was'} ignored. "
            f"Known themes: {', '.join(vocabulary.themes)}."
        )
    themes = tuple(t for t in vocabulary.themes if t in set(theme_values))
    raw_q = params.get("q")
    # Free text may contain commas, so it is taken whole rather than split like the list parameters.
    q = (raw_q if isinstance(raw_q, str) else (list(raw_q)[0] if raw_q else "")).strip()
    state = ViewState(
        addressee=_single("addressee", params.get("addressee"), vocabulary.addressees, notices),
        themes=themes,
        q=q,
        rec=_single("recommendation", params.get("rec"), vocabulary.recs, notices),
        region=_single("region", params.get("region"), vocabulary.regions, notices),
        indicator=_single("indicator", params.get("indicator"), vocabulary.indicators, notices),
        year=_year(params.get("year"), notices),
        country=_single("country", [v.upper() for v in _values(params.get("country"))], vocabulary.countries, notices),
    )
    return state, notices


def _year(raw: ParamValue | None, notices: list[str]) -> int | None:
    values = _values(raw)
    if not values:
        return None
    if not values[0].isdigit() or not 1900 <= int(values[0]) <= 2100:
        notices.append(f"'{values[0]}' in the link is not a year and was ignored.")
        return None
    return int(values[0])


def encode(state: ViewState, only: Iterable[str] | None = None) -> dict[str, str]:
    """Query parameters for ``state``, defaults omitted; ``only`` limits the output to a page's parameters."""
    params: dict[str, str] = {}
    if state.addressee:
        params["addressee"] = state.addressee
    if state.themes:
        params["theme"] = ",".join(state.themes)
    if state.q.strip():
        params["q"] = state.q.strip()
    if state.rec:
        params["rec"] = state.rec
    if state.region:
        params["region"] = state.region
    if state.indicator:
        params["indicator"] = state.indicator
    if state.year is not None:
        params["year"] = str(state.year)
    if state.country:
        params["country"] = state.country
    if only is not None:
        keep = set(only)
        params = {k: v for k, v in params.items() if k in keep}
    return params


def build_vocabulary(statement: Statement, indicators: Iterable[str] = ()) -> Vocabulary:
    """The allowed parameter values: the statement's ids, UN M49 regions, indicator ids and country codes."""
    from igf_explorer.indicators import economy_codes

    return Vocabulary(
        addressees=frozenset(a.id for a in statement.addressees),
        themes=tuple(statement.theme_ids()),
        recs=frozenset(r.id for r in statement.recommendations),
        regions=frozenset(r.slug for r in all_regions()),
        indicators=frozenset(indicators),
        countries=economy_codes(),
    )
