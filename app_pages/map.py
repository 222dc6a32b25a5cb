"""Map: an internet-freedom indicator by country, the signatories' origins, and the recommendations on the theme."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.maps import chart_config, render_map, render_period_slider
from components.provenance import render_source_note
from components.tables import render_key_numbers, render_static_table
from igf_explorer.countries import region_by_slug
from igf_explorer.figures import build_map_figure
from igf_explorer.filters import filter_recommendations
from igf_explorer.links import indicators_for
from igf_explorer.mapview import Scale, blank_frame, default_period, periods, scale_note, signatory_points
from igf_explorer.registry import page_by_path

statement = cached.statement()
store, registry = cached.indicator_store()
links = cached.links()
page = page_by_path("map")
recs_page = page_by_path("recommendations")
country_page = page_by_path("country")
view = state.current_view()
region = region_by_slug(view.region) if view.region else None

st.title("Map")
linked = indicators_for(links, view.themes) if view.themes else list(registry.indicators)
unmeasured = [t for t in view.themes if not indicators_for(links, [t])]
if unmeasured:
    st.info(
        "No country indicator measures "
        + ", ".join(f"**{statement.theme(t).label}**" for t in unmeasured)
        + ". The explorer shows no proxy for it.",
        icon=":material/info:",
    )


@st.fragment
def map_panel() -> None:
    """Indicator, period, map and table: moving the period slider reruns only this panel."""
    if not linked:
        geo = cached.geometry()
        frame = blank_frame(geo, region, "no country indicator measures the chosen themes")
        markers = signatory_points(statement.signatories, geo, region)
        figure = build_map_figure(frame, Scale("", False, "", {}), geo, markers)
        st.plotly_chart(figure, key="map.chart.blank", config=chart_config(), width="stretch")
        return
    asked = st.session_state.get(state.INDICATOR)
    if asked not in linked:
        if asked in registry.indicators:
            state.add_notice(
                f"{registry.indicator(asked).short_name} does not measure the chosen themes; "
                f"showing {registry.indicator(linked[0]).short_name}."
            )
        st.session_state[state.INDICATOR] = linked[0]
    indicator = st.selectbox(
        "Indicator",
        options=linked,
        format_func=lambda i: registry.indicator(i).name,
        key=state.INDICATOR,
    )
    meta = registry.indicator(indicator)
    years = periods(store, indicator)
    state.render_pending_notices()
    asked_year = st.session_state.get(state.YEAR)
    if asked_year not in years:
        st.session_state[state.YEAR] = default_period(store, indicator)
        if asked_year is not None and state.from_link(state.YEAR):
            state.add_notice(
                f"{meta.short_name} has no figures for {asked_year}; showing {st.session_state[state.YEAR]}."
            )
    state.render_pending_notices()
    label = "Edition" if registry.dataset_of(indicator).editions else "Year"
    year = render_period_slider(years, key=state.YEAR, label=label)
    figure = cached.map_figure(indicator, year, view.region)
    clicked = render_map(figure, key=f"map.chart.{indicator}.{year}.{view.region}")
    if clicked:
        state.open_country(country_page.script, clicked)
    note = scale_note(indicator, year)
    if note:
        st.caption(note)
    if year in (registry.dataset_of(indicator).field("partial_editions") or []):
        count = int(store.loc[(store["indicator"] == indicator) & (store["year"] == year), "iso3"].nunique())
        st.warning(
            f"The {year} edition is only partly in this project's data ({count} countries, mostly the signatories'). "
            "Grey here means 'not transcribed', not 'not scored by Freedom House'.",
            icon=":material/warning:",
        )
    dataset = registry.dataset_of(indicator)
    render_source_note(
        f"{dataset.field('producer')}: {dataset.field('source_title')} · licence: {dataset.field('licence')}"
    )
    table = cached.map_table(indicator, year, view.region)
    with_data = int((table["Data"] == "data").sum())
    render_key_numbers(
        {
            "Countries with a figure": (
                f"{with_data} of {len(table)}",
                "in the chosen region" if region else "on the map",
            ),
            "Themes it measures": (str(len(meta.themes)), ", ".join(statement.theme(t).label for t in meta.themes)),
        }
    )
    rationale = [
        link.rationale
        for link in links
        if link.indicator == indicator and (not view.themes or link.theme in view.themes)
    ]
    if rationale:
        st.caption("Why this indicator: " + " ".join(dict.fromkeys(rationale)))
    # Countries with a figure in the table; the others named in one line per reason (a 170-row HTML table cost
    # the page close to a second in the browser).
    with_figures = table[table["Data"] == "data"].drop(columns=["Data"])
    render_static_table(with_figures, key="map-table")
    for state_name, rows in table[table["Data"] != "data"].groupby("Data"):
        st.caption(f"**{str(state_name).capitalize()}** ({len(rows)}): " + ", ".join(rows["Country"]))
    state.write_url(page.params)


left, right = st.columns([5, 2])
# The map is drawn first: the browser starts on plotly while the rest of the page arrives.
with left:
    map_panel()
with right:
    matching = filter_recommendations(statement, themes=view.themes)
    st.subheader(f"Recommendations ({len(matching)})")
    st.caption("On the chosen themes" if view.themes else "All of them; choose a theme to narrow")
    for rec in matching:
        # Page-link labels do not wrap, so the words go in a caption (whole when a theme narrows the list).
        words = rec.text if view.themes or len(rec.text) <= 160 else rec.text[:160] + "…"
        st.caption(f"**{statement.addressee(rec.addressee).label}:** “{words}”")
        st.page_link(
            recs_page.script,
            label="Open this recommendation",
            icon=":material/open_in_new:",
            query_params=state.link_params(recs_page.params, rec=rec.id),
        )


unknown = sum(not s.origin_known for s in statement.signatories)
st.caption(
    f"Markers: where signatories are based (filled) and the countries they work on (open). "
    f"{unknown} signatories of unknown origin are not on the map."
)
