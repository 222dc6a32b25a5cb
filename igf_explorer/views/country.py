"""The country profile's view.

What the chosen themes' measures say first; then every indicator over time, the weakest pillar and the
recommendations on it, the signatories linked to the country, and categorical votes such as WCIT-12.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.countries import continent_of, country_name, slugify, subregion_of
from igf_explorer.figures import build_timeseries
from igf_explorer.filters import filter_recommendations
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import IndicatorMeta
from igf_explorer.links import indicators_for, themes_for
from igf_explorer.statement import Recommendation
from igf_explorer.views import ExplorerData
from igf_explorer.views.map import IndicatorMap, build_indicator_map
from igf_explorer.views.mapframe import is_partial, options_text, status_band, value_text


@dataclass(frozen=True)
class PillarStanding:
    """A part's score in one edition and where it ranks among the countries scored that edition."""

    indicator: str
    edition: int
    score: float  # display scale, higher = freer
    maximum: float
    percentile: float  # share of the scored countries that score lower
    covered: int


@dataclass(frozen=True)
class SeriesPanel:
    """One indicator (or a total with its parts) over time for the country, or why there is nothing to show."""

    title: str
    figure: go.Figure | None
    caption: str
    empty: str
    source: str
    notes: pd.DataFrame | None = None
    summary: str = ""  # the chart in words: its text alternative
    table: pd.DataFrame | None = None  # the chart's figures, one row per period and one column per series


def series_table(series: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """The figures a chart draws (``series``, ``year``, ``value``) as a table: one row per period, a column each."""
    rounded = series.assign(value=series["value"].round(decimals))
    wide = rounded.pivot_table(index="year", columns="series", values="value", aggfunc="first").sort_index()
    wide = wide.reindex(columns=list(dict.fromkeys(series["series"])))
    wide.columns.name = None
    # Text, to the indicator's decimals: a table of counts must not read "3,643.0000"; a gap stays a gap.
    for column in wide.columns:
        wide[column] = [("" if pd.isna(v) else f"{float(v):,.{decimals}f}") for v in wide[column]]
    return wide.reset_index().rename(columns={"year": "Period"})


def series_summary(series: pd.DataFrame, kind: str, unit: str, decimals: int = 1) -> str:
    """A chart in one sentence per series: its first and last figure, and how many periods have one."""
    parts = []
    rounded = series.assign(value=series["value"].round(decimals))
    for name, rows in rounded.dropna(subset=["value"]).groupby("series", sort=False):
        rows = rows.sort_values("year")
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"{name}: {first['value']:g} in {int(first['year'])}, {last['value']:g} in {int(last['year'])} "
            f"({len(rows)} periods with a figure)"
        )
    return f"{kind} ({unit}). " + "; ".join(parts) + ". The table below the chart gives every figure."


@dataclass(frozen=True)
class CountryView:
    """Everything the country profile draws."""

    options: tuple[str, ...]  # countries with a figure or a signatory
    iso3: str | None
    title: str
    subtitle: str
    lead: tuple[str, ...]  # what the chosen themes' measures say about the country, first
    map_title: str
    map: IndicatorMap | None
    based: tuple[str, ...]
    focused: tuple[str, ...]
    categorical: tuple[tuple[str, str, str, str], ...]  # (title, text, note, source) per categorical indicator
    panels: tuple[SeriesPanel, ...]
    standings: tuple[str, ...]
    weakest: str
    weakest_recommendations: tuple[Recommendation, ...]
    rows: pd.DataFrame


def _parts(store: IndicatorStore) -> tuple[IndicatorMeta, tuple[IndicatorMeta, ...]] | None:
    """A total and its parts: the first indicator of a dataset whose editions change scale, and the others."""
    for dataset in store.registry.datasets:
        if len(dataset.indicators) > 1 and all(i.direction == "by_edition" for i in dataset.indicators):
            return dataset.indicators[0], dataset.indicators[1:]
    return None


def pillar_standings(
    store: IndicatorStore, iso3: str, parts: Sequence[IndicatorMeta], edition: int | None = None
) -> list[PillarStanding]:
    """The country's parts ranked against the other countries of one edition.

    Without ``edition``: the one, among those scoring every part for this country, that covers the most countries
    (the latest among equals), since a ranking among 65 countries says more than one among the 9 of a partial one.
    """
    own = store.on_display_scale(store.country_rows(iso3, [p.id for p in parts]))
    complete = own.groupby("year")["indicator"].nunique()
    editions = [int(y) for y in complete[complete == len(parts)].index]
    if edition is None:
        if not editions:
            return []
        edition = store.best_period(parts[0].id, among=editions)
    standings = []
    for meta in parts:
        cohort = store.on_display_scale(store.period_slice(meta.id, int(str(edition))))
        mine = cohort.loc[cohort["iso3"] == iso3, "value"]
        if mine.empty:
            continue
        score = float(mine.iloc[0])
        lower = int((cohort["value"] < score).sum())
        standings.append(
            PillarStanding(meta.id, int(str(edition)), score, meta.range_max, 100 * lower / len(cohort), len(cohort))
        )
    return sorted(standings, key=lambda s: s.percentile)


def _lead(data: ExplorerData, iso3: str, themes: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """Sentences on the chosen themes' measures for this country, on the latest period that has them."""
    store, statement = data.store, data.statement
    lines: list[str] = []
    first: str | None = None
    for theme in themes:
        label = statement.theme(theme).label
        linked = [i for i in indicators_for(data.links, [theme]) if i in store.registry.indicators]
        if not linked:
            lines.append(f"{label}: no country indicator measures it.")
            continue
        for indicator in linked:
            meta = store.registry.indicator(indicator)
            own = store.series(iso3, indicator)
            if own.empty:
                lines.append(f"{label} is measured by {meta.short_name}: no figure for {country_name(iso3)}.")
                continue
            latest = int(own["year"].max())
            first = first or indicator
            row = store.on_display_scale(own[own["year"] == latest]).iloc[0]
            cohort = store.on_display_scale(store.period_slice(indicator, latest))
            label_of_period = store.registry.dataset_of(indicator).periods.label
            text = f"{label} is measured by {meta.short_name}: {value_text(meta, row['value'])}"
            if not meta.categories:
                text += f" of {meta.range_max:g}" if meta.direction == "by_edition" else f" {meta.unit}"
            text += f" in the {latest} {label_of_period}" if label_of_period == "edition" else f" in {latest}"
            if meta.direction == "by_edition":
                lower = int((cohort["value"] < row["value"]).sum())
                text += f" (higher = freer; freer than {100 * lower / len(cohort):.0f}% of the {len(cohort)} countries scored)"
            lines.append(text + ".")
    return tuple(lines), first


def _panels(data: ExplorerData, iso3: str) -> tuple[SeriesPanel, ...]:
    store = data.store
    panels = []
    parts = _parts(store)
    grouped = {m.id for m in (parts[1] if parts else ())} | ({parts[0].id} if parts else set())
    if parts:
        total, pieces = parts
        ids = [total.id, *(p.id for p in pieces)]
        rows = store.on_display_scale(store.country_rows(iso3, ids))
        name = str(store.registry.dataset_of(total.id).field("title", total.short_name)).split(" scores")[0]
        if rows.empty:
            panels.append(SeriesPanel(name, None, "", f"Not covered by {name} in any edition.", ""))
        else:
            maxima = {m.id: m.range_max for m in (total, *pieces)}
            series = rows.assign(
                series=rows["indicator"].map(lambda i: store.registry.indicator(i).short_name),
                value=(100 * rows["value"] / rows["indicator"].map(maxima)).round(1),
            )
            all_periods = store.periods(total.id)
            converted = {int(y): store.is_converted(total, int(y)) for y in rows["year"]}
            crosses = any(converted.values()) and not all(converted.values())
            # The scale break is where the sidecar's editions stop being converted, not a year written in code.
            break_year = min((y for y, c in converted.items() if not c and y > min(converted)), default=None)
            figure = build_timeseries(
                series,
                "Share of the maximum score, higher = freer",
                "% of maximum",
                break_year if crosses else None,
                periods=all_periods,
            )
            scored = set(rows.loc[rows["indicator"] == total.id, "year"])
            missing = sorted(set(all_periods) - scored)
            partial = [y for y in missing if is_partial(store, total, y)]
            full = [y for y in missing if y not in partial]
            maxima_text = ", ".join(f"{p.short_name.split(':')[0]} max {p.range_max:g}" for p in pieces)
            caption = f"Total and parts ({maxima_text}) as a share of their maximum. "
            if crosses:
                caption += (
                    f"Editions before {break_year} were published with 0 = most free and are shown as max − value. "
                )
            if full:
                caption += f"Not scored in editions {options_text(full)}. "
            if partial:
                caption += (
                    f"Editions {options_text(partial)} are only partly in this project's data, so a gap there is ours. "
                )
            caption += "Lines break where a figure is missing."
            noted = rows[rows["note"] != ""]
            notes = noted[["year", "indicator", "published", "note"]].rename(columns={"published": "published value"})
            panels.append(
                SeriesPanel(
                    name,
                    figure,
                    caption,
                    "",
                    str(store.registry.dataset_of(total.id).field("producer")),
                    notes.reset_index(drop=True) if len(notes) else None,
                    series_summary(series, "Line chart of the total and its parts", "% of the maximum, higher = freer"),
                    series_table(series),
                )
            )
    for meta in store.registry.indicators.values():
        if meta.id in grouped or meta.categories:
            continue
        rows = store.series(iso3, meta.id)
        periods = store.periods(meta.id)
        producer = str(store.registry.dataset_of(meta.id).field("producer"))
        if rows.empty:
            span = f"{min(periods)}–{max(periods)}" if periods else "any period"
            panels.append(
                SeriesPanel(meta.name, None, "", f"{meta.display.absent_words.capitalize()} ({span}).", producer)
            )
            continue
        series = rows.assign(series=meta.short_name)
        bars = meta.display.chart == "bars"
        figure = build_timeseries(series, "", meta.unit, periods=periods, bars=bars)
        kind = "Bar chart" if bars else "Line chart"
        panels.append(
            SeriesPanel(
                meta.name,
                figure,
                "",
                "",
                producer,
                summary=series_summary(series, kind, meta.unit, meta.decimals),
                table=series_table(series, meta.decimals),
            )
        )
    return tuple(panels)


def _categorical(store: IndicatorStore, iso3: str) -> tuple[tuple[str, str, str, str], ...]:
    found = []
    for meta in store.registry.indicators.values():
        if not meta.categories:
            continue
        rows = store.series(iso3, meta.id)
        if rows.empty:
            counts = store.rows(meta.id)["value"].value_counts()
            known = " and ".join(
                f"{int(n)} that {meta.categories.get(float(str(v)), str(v))}"
                for v, n in counts.sort_index(ascending=False).items()
            )
            text = f"Unknown: the sources identify {known}; this state is not among them."
            found.append((meta.name, text, "", ""))
            continue
        row = rows.iloc[-1]
        status = str(row["status"]) or meta.categories.get(float(row["value"]), "")
        found.append((meta.name, f"{status.capitalize()} ({int(row['year'])}).", str(row["note"]), str(row["source"])))
    return tuple(found)


def build_country_view(data: ExplorerData, iso3: str | None, themes: Sequence[str] = ()) -> CountryView:
    """The profile of one country (or the empty page with the country list when none is chosen)."""
    store, statement = data.store, data.statement
    bases = {s.base_iso3 for s in statement.signatories if s.base_iso3}
    options = tuple(sorted(store.countries | bases, key=country_name))
    if iso3 not in options:
        return CountryView(
            options, None, "Country profile", "", (), "", None, (), (), (), (), (), "", (), store.tidy([])
        )
    assert iso3 is not None
    lead, lead_indicator = _lead(data, iso3, themes)
    map_indicator = lead_indicator or next(
        (i for i in store.registry.indicators if not store.series(iso3, i).empty), None
    )
    shown: IndicatorMap | None = None
    map_title = ""
    if map_indicator is not None:
        year = store.best_period(map_indicator, among=store.series(iso3, map_indicator)["year"])
        if year is not None:
            subregion = slugify(subregion_of(iso3) or "") or None
            shown = build_indicator_map(data, map_indicator, year, subregion, markers=True, height=420)
            map_title = f"{store.registry.indicator(map_indicator).short_name}, {year}, in its sub-region"
    parts = _parts(store)
    standings = pillar_standings(store, iso3, parts[1]) if parts else []
    lines = tuple(
        f"{store.registry.indicator(s.indicator).short_name}: {s.score:g} of {s.maximum:g}, freer than "
        f"{s.percentile:.0f}% of the {s.covered} countries in the {s.edition} edition"
        for s in standings
    )
    weakest_text, weakest_recs = "", tuple[Recommendation, ...]()
    if standings:
        lowest = [s for s in standings if s.percentile == standings[0].percentile]
        weakest_text = ", ".join(store.registry.indicator(s.indicator).short_name for s in lowest)
        weak_themes = sorted({t for s in lowest for t in themes_for(data.links, s.indicator)})
        weakest_recs = tuple(filter_recommendations(statement, themes=weak_themes))
    based = tuple(f"{s.name}, based here ({s.type})" for s in statement.signatories if s.base_iso3 == iso3)
    focused = tuple(
        f"{s.name}, works on this country"
        for s in statement.signatories
        if iso3 in s.focus_iso3 and s.base_iso3 != iso3
    )
    rows = store.country_rows(iso3).sort_values(["indicator", "year"]).reset_index(drop=True)
    return CountryView(
        options=options,
        iso3=iso3,
        title=country_name(iso3),
        subtitle=f"{continent_of(iso3)} · {subregion_of(iso3)} (UN M49)",
        lead=lead,
        map_title=map_title,
        map=shown,
        based=based,
        focused=focused,
        categorical=_categorical(store, iso3),
        panels=_panels(data, iso3),
        standings=lines,
        weakest=weakest_text,
        weakest_recommendations=weakest_recs,
        rows=rows,
    )


__all__ = ["CountryView", "PillarStanding", "SeriesPanel", "build_country_view", "pillar_standings", "status_band"]
