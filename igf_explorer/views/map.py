"""The Map page's view: the indicators measuring the chosen themes, one period's map and its table, from one frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.countries import region_by_slug
from igf_explorer.figures import build_map_figure
from igf_explorer.filters import filter_recommendations
from igf_explorer.geometry import extent
from igf_explorer.links import indicators_for
from igf_explorer.statement import Recommendation
from igf_explorer.views import ExplorerData
from igf_explorer.views.choice import Choice, choose_indicator, choose_period
from igf_explorer.views.mapframe import (
    DATA,
    Scale,
    absent_lists,
    blank_frame,
    display_scale,
    edition_size,
    is_partial,
    map_frame,
    signatory_points,
    table_for,
)


@dataclass(frozen=True)
class IndicatorMap:
    """One indicator's map for one period and region: the figure and the table, drawn from the same frame."""

    indicator: str
    year: int
    figure: go.Figure
    table: pd.DataFrame  # countries with a figure, in ranking order
    absent: tuple[tuple[str, tuple[str, ...]], ...]  # (reason, countries) for the countries without one
    with_figure: int
    total: int
    notes: tuple[str, ...]  # what was converted
    warnings: tuple[str, ...]  # a partly transcribed edition
    source: str
    summary: str = ""  # the map in words: its text alternative, read before the table


def map_summary(meta_name: str, period: str, table: pd.DataFrame, with_figure: int, total: int, order: str) -> str:
    """The map in one or two sentences: what it shows, how many countries have a figure, the two ends or the counts."""
    words = f"Map of {meta_name}, {period}: {with_figure} of the {total} countries shown have a figure."
    if table.empty:
        return words
    values = table.iloc[:, 1]
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        first, last = table.iloc[0], table.iloc[-1]
        words += f" {order}: {first.iloc[0]} ({first.iloc[1]}) to {last.iloc[0]} ({last.iloc[1]})."
    else:
        counts = values.value_counts()
        words += " " + "; ".join(f"{label}: {count}" for label, count in counts.items()) + "."
    return words + " The table under the map lists every country with a figure."


def build_indicator_map(
    data: ExplorerData, indicator: str, year: int, region: str | None, markers: bool = True, height: int = 500
) -> IndicatorMap:
    """The map and table of one view; both come from one :func:`map_frame`, built once."""
    store = data.store
    meta = store.registry.indicator(indicator)
    dataset = store.registry.dataset_of(indicator)
    chosen = region_by_slug(region) if region else None
    frame = map_frame(store, indicator, year, chosen, data.geometry)
    points = signatory_points(data.statement.signatories, data.geometry, chosen) if markers else None
    inside = [c for c in frame.loc[frame["in_region"], "iso3"] if c in data.geometry.drawable]
    frame_extent = extent(data.geometry, inside) if chosen else None
    figure = build_map_figure(
        frame, display_scale(meta, store.largest(indicator)), data.geometry, points, frame_extent, height
    )
    in_view = frame[frame["in_region"]]
    table = table_for(frame, meta, year)
    with_figure = int((in_view["state"] == DATA).sum())
    label = dataset.periods.label
    notes = []
    if store.is_converted(meta, year):
        notes.append(
            f"The {year} {dataset.periods.label} was published with 0 = most free. It is shown here as maximum − "
            "published value (higher = freer), the scale Freedom House has used since 2019; hover shows the "
            "published figure."
        )
    warnings = []
    if is_partial(store, meta, year):
        covered = int(store.coverage(indicator).get(year, 0))
        size = edition_size(store, meta, year)
        warnings.append(
            f"The {year} {dataset.periods.label} is only partly in this project's data ({covered} of the {size} "
            "countries the producer assessed). Grey here means 'not transcribed', not 'not scored'."
        )
    return IndicatorMap(
        indicator=indicator,
        year=year,
        figure=figure,
        table=table,
        absent=absent_lists(frame),
        with_figure=with_figure,
        total=len(in_view),
        notes=tuple(notes),
        warnings=tuple(warnings),
        source=f"{dataset.field('producer')}: {dataset.field('source_title')} · licence: {dataset.field('licence')}",
        summary=map_summary(
            meta.short_name,
            f"the {year} {label}" if label == "edition" else str(year),
            table,
            with_figure,
            len(in_view),
            meta.display.ranking_title.split(";")[0],
        ),
    )


@dataclass(frozen=True)
class MapView:
    """Everything the Map page draws."""

    indicators: tuple[str, ...]  # the indicators measuring the chosen themes (all, without a theme)
    names: dict[str, str]
    choice: Choice  # the indicator and period shown, and the notices for link values that could not be honoured
    periods: tuple[int, ...]
    period_label: str  # "Edition" or "Year"
    map: IndicatorMap | None
    blank: go.Figure | None  # when no indicator measures the chosen themes
    unmeasured: tuple[str, ...]  # labels of chosen themes no country indicator measures
    rationale: str
    themes_measured: str
    recommendations: tuple[Recommendation, ...]
    markers_note: str
    caveat: str = ""  # what the indicator cannot show, from the same links as the rationale
    for_companies: tuple[str, ...] = ()  # labels of the unmeasured themes that company series measure


def build_map_view(
    data: ExplorerData,
    themes: Sequence[str],
    region: str | None,
    indicator: str | None,
    year: int | None,
    explain: bool = True,
) -> MapView:
    """The Map page for a view state; ``explain`` adds notices when a link's indicator or period is replaced."""
    statement, store, links = data.statement, data.store, data.links
    registry = store.registry
    # Company series are linked to themes too; a map shows only the country indicators among a theme's measures.
    linked = (
        tuple(i for i in indicators_for(links, themes) if i in registry.indicators)
        if themes
        else tuple(registry.indicators)
    )
    unmeasured = tuple(
        statement.theme(t).label
        for t in themes
        if not any(i in registry.indicators for i in indicators_for(links, [t]))
    )
    recommendations = tuple(filter_recommendations(statement, themes=list(themes)))
    unknown = sum(not s.origin_known for s in statement.signatories)
    markers_note = (
        "Markers: where signatories are based (filled) and the countries they work on (open). "
        f"{unknown} signatories of unknown origin are not on the map."
    )
    for_companies = tuple(
        statement.theme(t).label
        for t in themes
        if statement.theme(t).label in unmeasured
        and any(i in registry.company_indicators for i in indicators_for(links, [t]))
    )
    names = {i: registry.indicator(i).name for i in linked}
    if not linked:
        chosen = region_by_slug(region) if region else None
        frame = blank_frame(data.geometry, chosen, "no country indicator measures the chosen themes")
        markers = signatory_points(statement.signatories, data.geometry, chosen)
        blank = build_map_figure(frame, Scale(""), data.geometry, markers)
        return MapView(
            (),
            {},
            Choice(None, None, ()),
            (),
            "",
            None,
            blank,
            unmeasured,
            "",
            "",
            recommendations,
            markers_note,
            for_companies=for_companies,
        )
    picked = choose_indicator(linked, indicator, registry)
    meta = registry.indicator(str(picked.indicator))
    periods = tuple(store.periods(meta.id))
    choice = choose_period(picked, periods, year, store.best_period(meta.id), meta.short_name, explain)
    shown = build_indicator_map(data, meta.id, int(str(choice.year)), region)
    shown_links = [link for link in links if link.indicator == meta.id and (not themes or link.theme in themes)]
    rationale = " ".join(dict.fromkeys(link.rationale for link in shown_links))
    caveat = " ".join(dict.fromkeys(link.caveat for link in shown_links))
    return MapView(
        indicators=linked,
        names=names,
        choice=choice,
        periods=periods,
        period_label=registry.dataset_of(meta.id).periods.label.capitalize(),
        map=shown,
        blank=None,
        unmeasured=unmeasured,
        rationale=rationale,
        themes_measured=", ".join(statement.theme(t).label for t in meta.themes),
        recommendations=recommendations,
        markers_note=markers_note,
        caveat=caveat,
        for_companies=for_companies,
    )
