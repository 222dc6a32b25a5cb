"""A recommendation's measures, all within the chosen region.

The indicators linked to its themes, a map and a ranking for the chosen period, the signatories' countries, and how
the countries moved between two periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from igf_explorer.countries import country_name, in_region, region_by_slug
from igf_explorer.links import indicators_for
from igf_explorer.statement import Recommendation
from igf_explorer.views import ExplorerData
from igf_explorer.views.choice import Choice, choose_indicator, choose_period
from igf_explorer.views.map import IndicatorMap, build_indicator_map

SINCE = 2012


@dataclass(frozen=True)
class RecommendationMeasures:
    """What measures one recommendation, for the chosen indicator, periods and region."""

    recommendation: Recommendation
    indicators: tuple[str, ...]
    names: dict[str, str]
    rationales: dict[str, str]
    unmeasured: tuple[str, ...]
    choice: Choice  # the indicator and end period shown
    periods: tuple[int, ...]
    start: int | None
    map: IndicatorMap | None
    ranking_title: str
    ranking: pd.DataFrame
    signatories: pd.DataFrame
    change: pd.DataFrame | None
    change_note: str
    period_note: str
    caveats: dict[str, str] = field(default_factory=dict)  # what each linked indicator cannot show
    for_companies: tuple[str, ...] = ()  # labels of the unmeasured themes that company series measure


def change_between(data: ExplorerData, indicator: str, start: int, end: int, region: str | None) -> pd.DataFrame:
    """Per country in the region with a figure in both periods: the two values on the display scale and the change."""
    store = data.store
    chosen = region_by_slug(region) if region else None
    first = store.on_display_scale(store.period_slice(indicator, start)).set_index("iso3")["value"]
    last = store.on_display_scale(store.period_slice(indicator, end)).set_index("iso3")["value"]
    both = pd.DataFrame({"start": first, "end": last}).dropna()
    both = both[[in_region(code, chosen) for code in both.index]]
    both.index.name = "iso3"
    return both.assign(change=both["end"] - both["start"]).reset_index()


def _signatory_values(data: ExplorerData, shown: IndicatorMap, region: str | None) -> pd.DataFrame:
    chosen = region_by_slug(region) if region else None
    statement = data.statement
    bases = sorted({s.base_iso3 for s in statement.signatories if s.base_iso3 and in_region(s.base_iso3, chosen)})
    by_country = shown.table.set_index("Country")
    meta = data.store.registry.indicator(shown.indicator)
    absent = {name: state for state, names in shown.absent for name in names}
    values, states = [], []
    for code in bases:
        name = country_name(code)
        if name in by_country.index:
            values.append(str(by_country.loc[name, meta.short_name]))
            states.append("data")
        else:
            values.append("")
            states.append(absent.get(name, "not on the map"))
    return pd.DataFrame(
        {
            "Country": [country_name(code) for code in bases],
            "Signatories": [sum(s.base_iso3 == code for s in statement.signatories) for code in bases],
            "Value": values,
            "Data": states,
        }
    )


def build_recommendation_measures(
    data: ExplorerData,
    recommendation: Recommendation,
    region: str | None,
    indicator: str | None,
    end: int | None,
    start: int | None = None,
    explain: bool = True,
) -> RecommendationMeasures:
    """The measures of a recommendation; the end period defaults to the best-covered one, the start to 2012."""
    store, links = data.store, data.links
    registry = store.registry
    # Company series linked to the same themes are on the Companies page; this view maps country indicators.
    linked = tuple(i for i in indicators_for(links, recommendation.themes) if i in registry.indicators)
    unmeasured = tuple(
        data.statement.theme(t).label
        for t in recommendation.themes
        if not any(i in registry.indicators for i in indicators_for(links, [t]))
    )
    for_companies = tuple(
        data.statement.theme(t).label
        for t in recommendation.themes
        if data.statement.theme(t).label in unmeasured
        and any(i in registry.company_indicators for i in indicators_for(links, [t]))
    )
    names = {i: registry.indicator(i).name for i in linked}
    rationales = {
        i: " ".join(
            dict.fromkeys(
                link.rationale for link in links if link.indicator == i and link.theme in recommendation.themes
            )
        )
        for i in linked
    }
    if not linked:
        empty = pd.DataFrame()
        return RecommendationMeasures(
            recommendation,
            (),
            {},
            {},
            unmeasured,
            Choice(None, None, ()),
            (),
            None,
            None,
            "",
            empty,
            empty,
            None,
            "",
            "",
            for_companies=for_companies,
        )
    picked = choose_indicator(linked, indicator, registry)
    meta = registry.indicator(str(picked.indicator))
    periods = tuple(store.periods(meta.id))
    choice = choose_period(picked, periods, end, store.best_period(meta.id), meta.short_name, explain)
    year = int(str(choice.year))
    shown = build_indicator_map(data, meta.id, year, region, markers=False, height=420)
    ranking = shown.table.assign(Rank=range(1, len(shown.table) + 1))[["Rank", "Country", meta.short_name]]
    valid = [p for p in periods if p < year]
    first = start if start in valid else (SINCE if SINCE in valid else (valid[0] if valid else None))
    label = registry.dataset_of(meta.id).periods.label
    if first is not None:
        change = change_between(data, meta.id, first, year, region)
        change = change.assign(Country=change["iso3"].map(country_name))[["Country", "start", "end", "change"]]
        change = change.rename(columns={"start": str(first), "end": str(year), "change": "Change"})
        change = change.sort_values("Change").round(meta.decimals)
        chosen_region = region_by_slug(region) if region else None
        where = f" in {chosen_region.name}" if chosen_region else ""
        note = f"{meta.short_name}, {first} to {year}, for the {len(change)} countries{where} with a figure in both"
        if meta.direction == "by_edition":
            note += " (shown with higher = freer; a negative change is a decline)"
        if SINCE not in periods:
            note += f". {meta.short_name} has no figures for {SINCE}: {first} is its first period with data"
    else:
        change = None
        note = f"Not possible: {meta.short_name} has only one period with data ({periods[0]})."
    return RecommendationMeasures(
        recommendation=recommendation,
        indicators=linked,
        names=names,
        rationales=rationales,
        unmeasured=unmeasured,
        choice=choice,
        periods=periods,
        start=first,
        map=shown,
        ranking_title=meta.display.ranking_title,
        ranking=ranking,
        signatories=_signatory_values(data, shown, region),
        change=change,
        change_note=note,
        period_note=f"Map and ranking: the {year} {label}." if label == "edition" else f"Map and ranking: {year}.",
        caveats={
            i: " ".join(
                dict.fromkeys(
                    link.caveat for link in links if link.indicator == i and link.theme in recommendation.themes
                )
            )
            for i in linked
        },
        for_companies=for_companies,
    )


def themes_of(recommendations: Sequence[Recommendation]) -> list[str]:
    """Every theme of some recommendations, once each."""
    return list(dict.fromkeys(t for r in recommendations for t in r.themes))
