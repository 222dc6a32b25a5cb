"""Country profile: every indicator over time, the signatories linked to the country, and what the statement asks."""

from __future__ import annotations

import streamlit as st

from components import cached, state
from components.maps import render_map
from components.provenance import render_source_note
from components.tables import render_table
from igf_explorer.countries import continent_of, country_name, slugify, subregion_of
from igf_explorer.figures import build_timeseries
from igf_explorer.filters import filter_recommendations
from igf_explorer.fotn import FIRST_HIGHER_IS_FREER_EDITION, FOTN_MAXIMA
from igf_explorer.links import themes_for
from igf_explorer.mapview import periods
from igf_explorer.profile import crosses_break, fotn_history, history, pillar_standings, signatories_for, weakest
from igf_explorer.registry import page_by_path

statement = cached.statement()
store, registry = cached.indicator_store()
links = cached.links()
page = page_by_path("country")
recs_page = page_by_path("recommendations")

PENDING = "country.pending"
# A click on the map arrives after the select box exists; it is applied here, on the rerun, before the box is drawn.
if st.session_state.get(PENDING):
    st.session_state[state.COUNTRY] = st.session_state.pop(PENDING)
with_data = sorted(set(store["iso3"]) | {s.base_iso3 for s in statement.signatories if s.base_iso3}, key=country_name)
if st.session_state.get(state.COUNTRY) not in with_data:
    st.session_state[state.COUNTRY] = None
iso3 = st.selectbox(
    "Country",
    options=with_data,
    format_func=country_name,
    key=state.COUNTRY,
    index=None,
    placeholder="Choose a country, or click one on the map",
)
if not iso3:
    st.title("Country profile")
    st.info("Choose a country above, or click a country on the Map page.")
else:
    st.title(country_name(iso3))
    st.caption(f"{continent_of(iso3)} · {subregion_of(iso3)} (UN M49)")
    left, right = st.columns([3, 2])
    with right:
        fotn_rows = store[(store["iso3"] == iso3) & (store["indicator"] == "fotn_total")]
        indicator = "fotn_total" if len(fotn_rows) else "internet_users"
        own_years = set(store.loc[(store["iso3"] == iso3) & (store["indicator"] == indicator), "year"])
        if own_years:
            # The best-covered period this country has: its neighbours are then most likely to have figures too.
            rows = store[(store["indicator"] == indicator) & store["year"].isin(own_years)]
            coverage = rows.groupby("year")["iso3"].nunique()
            shown_year = int(coverage[coverage == coverage.max()].index.max())
            st.markdown(f"**{registry.indicator(indicator).short_name}, {shown_year}**, in its sub-region")
            subregion = slugify(subregion_of(iso3) or "")
            figure = cached.map_figure(indicator, shown_year, subregion, markers=True, height=420)
            clicked = render_map(figure, key=f"country.map.{iso3}")
            if clicked and clicked != iso3 and clicked in with_data:
                st.session_state[PENDING] = clicked
                st.rerun()
        based, focused = signatories_for(statement, iso3)
        st.subheader("Signatories")
        if not based and not focused:
            st.write("No signatory is based in or works on this country.")
        for signatory in based:
            st.markdown(f"- **{signatory.name}**, based here ({signatory.type})")
        for signatory in focused:
            st.markdown(f"- **{signatory.name}**, works on this country")
        st.subheader("WCIT-12 Final Acts")
        wcit = history(store, iso3, "wcit12_signed")
        if len(wcit):
            row = wcit.iloc[-1]
            st.write(f"{row['status'].capitalize()} in Dubai, December 2012.")
            if row["note"]:
                st.caption(f"Note on this figure: {row['note']}")
            render_source_note(str(row["source"]) or "project research")
        else:
            st.write(
                "Unknown: the sources found name 45 of the 89 signers and 28 of the 55 non-signers; this state is not among them."
            )

    with left:
        fotn = fotn_history(store, iso3)
        st.subheader("Freedom on the Net")
        if fotn.empty:
            st.info("Not covered by Freedom on the Net in any edition.")
        else:
            series = fotn.assign(
                series=fotn["indicator"].map(lambda i: registry.indicator(i).short_name), value=fotn["share"].round(1)
            )
            break_year = FIRST_HIGHER_IS_FREER_EDITION if crosses_break(fotn) else None
            st.plotly_chart(
                build_timeseries(
                    series,
                    "Share of the maximum score, higher = freer",
                    "% of maximum",
                    break_year,
                    periods=periods(store, "fotn_total"),
                ),
                key=f"country.fotn.{iso3}",
                width="stretch",
            )
            partial = set(registry.dataset_of("fotn_total").field("partial_editions") or [])
            scored = set(fotn.loc[fotn["indicator"] == "fotn_total", "year"])
            missing = sorted(set(periods(store, "fotn_total")) - scored)
            missing_full = [y for y in missing if y not in partial]
            missing_partial = [y for y in missing if y in partial]
            caption = "Total and pillars (A max 25, B max 35, C max 40) as a share of their maximum. "
            if break_year:
                caption += "Editions before 2019 were published with 0 = most free and are shown as max − value. "
            if missing_full:
                caption += f"Not scored in editions {', '.join(map(str, missing_full))}. "
            if missing_partial:
                caption += (
                    f"Editions {', '.join(map(str, missing_partial))} are only partly in this project's data, "
                    "so a gap there is ours, not Freedom House's. "
                )
            st.caption(caption + "Pillars exist only for some editions; lines break where a figure is missing.")
            noted = store[(store["iso3"] == iso3) & store["indicator"].isin(list(FOTN_MAXIMA)) & (store["note"] != "")]
            if len(noted):
                with st.expander(
                    f"Notes on {len(noted)} of these figures (revisions, conversions, disagreeing sources)"
                ):
                    notes_table = noted[["year", "indicator", "value", "note"]].rename(
                        columns={"value": "published value"}
                    )
                    render_table(notes_table.reset_index(drop=True), key="country.notes")
        standings = pillar_standings(store, iso3)
        st.subheader("What the statement asks, where this country is weakest")
        if not standings:
            st.write("No edition scores all three FOTN pillars for this country, so no weakest pillar can be named.")
        else:
            low = weakest(standings)
            edition, covered = low[0].edition, low[0].covered
            for standing in standings:
                meta = registry.indicator(standing.indicator)
                st.markdown(
                    f"- {meta.short_name}: {standing.score:g} of {standing.maximum:g}, freer than "
                    f"{standing.percentile:.0f}% of the {covered} countries in the {edition} edition"
                )
            themes = sorted({t for s in low for t in themes_for(links, s.indicator)})
            recs = filter_recommendations(statement, themes=themes)
            st.markdown(
                f"Weakest relative to the others: **{', '.join(registry.indicator(s.indicator).short_name for s in low)}**. "
                "The recommendations on its themes:"
            )
            for rec in recs:
                st.page_link(
                    recs_page.script,
                    label=f"{rec.text[:110]}…",
                    query_params=state.link_params(recs_page.params, rec=rec.id),
                )
        for indicator_id, title in (("internet_users", "Internet users"), ("shutdowns", "Internet shutdowns recorded")):
            meta = registry.indicator(indicator_id)
            rows = history(store, iso3, indicator_id)
            st.subheader(title)
            if rows.empty:
                if indicator_id == "shutdowns":
                    st.write(
                        f"No shutdown recorded by Access Now in {min(periods(store, 'shutdowns'))}–{max(periods(store, 'shutdowns'))}."
                    )
                else:
                    st.write("No data.")
                continue
            st.plotly_chart(
                build_timeseries(
                    rows.assign(series=meta.short_name),
                    "",
                    meta.unit,
                    periods=periods(store, indicator_id),
                    bars=indicator_id == "shutdowns",
                ),
                key=f"country.{indicator_id}.{iso3}",
                width="stretch",
            )
            render_source_note(f"{registry.dataset_of(indicator_id).field('producer')}")
        with st.expander("All figures for this country"):
            render_table(
                store[store["iso3"] == iso3].sort_values(["indicator", "year"]).reset_index(drop=True),
                key="country.table",
            )
