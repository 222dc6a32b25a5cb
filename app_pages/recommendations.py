"""Recommendations: filter by addressee, themes and text, or open one by id."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.filters import render_addressee_filter, render_search_box
from components.linked import render_indicator_choice, render_linked_view
from components.recommendation import render_recommendation_card, render_recommendation_detail
from igf_explorer.countries import country_name, region_by_slug
from igf_explorer.filters import addressee_counts, filter_recommendations
from igf_explorer.indicators import IndicatorMeta
from igf_explorer.links import indicators_for
from igf_explorer.mapview import default_period, map_frame, periods
from igf_explorer.profile import change_since, ranking, signatory_country_values
from igf_explorer.registry import page_by_path
from igf_explorer.statement import Recommendation

statement = cached.statement()
page = page_by_path("recommendations")
country_page = page_by_path("country")


def ranking_title(meta: IndicatorMeta) -> str:
    """Say what the order means: freest first for FOTN, most events first for counts."""
    if meta.id.startswith("fotn"):
        return "Ranked, freest first (higher = freer)"
    if meta.direction == "lower_is_freer":
        return "Most first; countries with none recorded are not listed"
    return "Highest first"


def render_rec_indicators(rec: Recommendation) -> None:
    """The indicators that measure a recommendation's themes: map, ranking, signatories' countries, change."""
    store, registry = cached.indicator_store()
    links = cached.links()
    st.subheader("Measured by")
    linked = indicators_for(links, rec.themes)
    unmeasured = [statement.theme(t).label for t in rec.themes if not indicators_for(links, [t])]
    if unmeasured:
        st.info(f"No country indicator measures: {', '.join(unmeasured)}.")
    if not linked:
        return
    rationales = {
        i: " ".join(dict.fromkeys(link.rationale for link in links if link.indicator == i and link.theme in rec.themes))
        for i in linked
    }
    if st.session_state.get(state.INDICATOR) not in linked:
        st.session_state[state.INDICATOR] = linked[0]
    names = {i: registry.indicator(i).name for i in linked}
    indicator = render_indicator_choice(linked, names, rationales, key=state.INDICATOR)
    meta = registry.indicator(indicator)
    year = default_period(store, indicator)
    region = state.current_view().region
    chosen_region = region_by_slug(region) if region else None
    frame = map_frame(store, registry, indicator, year, chosen_region, cached.geometry())
    years = periods(store, indicator)
    if 2012 in years and year > 2012:
        change = change_since(store, indicator, 2012, year)
        change = change.assign(Country=change["iso3"].map(country_name))[["Country", "start", "end", "change"]]
        change = change.rename(columns={"start": "2012", "end": str(year), "change": "Change"})
        change = change.sort_values("Change").round(meta.decimals)
        note = f"{meta.short_name}, 2012 to {year}, for the {len(change)} countries with a figure in both" + (
            " (FOTN shown with higher = freer; a negative change is a decline)" if meta.id.startswith("fotn") else ""
        )
    else:
        change, note = (
            None,
            f"Not possible: {meta.short_name} has no figures for 2012 (its data covers {years[0]}–{years[-1]}).",
        )
    st.caption(
        f"Map and ranking: {year} {'edition' if registry.dataset_of(indicator).editions else ''} (the period covering the most countries)."
    )
    clicked = render_linked_view(
        cached.map_figure(indicator, year, region, markers=False, height=420),
        ranking(frame, meta.decimals),
        signatory_country_values(frame, statement),
        change,
        note,
        key=f"recs.linked.{indicator}",
        ranking_title=ranking_title(meta),
    )
    if clicked:
        state.open_country(country_page.script, clicked)


view = state.current_view()
group_sizes = addressee_counts(statement)

st.title("Recommendations")
rec = statement.recommendation(view.rec) if view.rec else None
if rec is not None:
    if render_recommendation_detail(
        rec,
        statement.addressee(rec.addressee).heading,
        group_sizes[rec.addressee],
        [statement.theme(t) for t in rec.themes],
    ):
        state.open_recommendation(None)
    render_rec_indicators(rec)
else:
    left, right = st.columns([1, 2])
    with left:
        render_addressee_filter({a.id: a.label for a in statement.addressees}, group_sizes, key=state.ADDRESSEE)
    with right:
        render_search_box(key=state.QUERY)
    view = state.current_view()
    matching = filter_recommendations(statement, view.addressee, view.themes, view.q)
    st.markdown(f"**Showing {len(matching)} of {len(statement.recommendations)} recommendations**")
    if view.region:
        st.caption(
            "The region filter applies to countries; the recommendations are addressed to everyone in every region."
        )
    if not matching:
        st.info("No recommendation matches these filters. Clear the search or choose other themes.")

    for addressee in statement.addressees:
        group = [r for r in matching if r.addressee == addressee.id]
        if not group:
            continue
        st.subheader(addressee.heading)
        for item in group:
            chosen = render_recommendation_card(
                item, addressee.label, group_sizes[addressee.id], [statement.theme(t) for t in item.themes]
            )
            if chosen:
                state.open_recommendation(item.id)
