"""The presenter's slides: one view model per slide of ``data/slides/slides.yaml``, drawn by /present and the kit.

Each slide is built from the existing view pieces (the indicator choice and period rules of
:mod:`igf_explorer.views.choice`, :func:`build_indicator_map`, :func:`signatory_points`, :func:`change_between`), so
a slide shows exactly what the page it comes from would show; only the figure's height and type size differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.comparison import parse_comparison
from igf_explorer.countries import country_name, region_by_slug
from igf_explorer.figures import LINE_COLOURS, build_map_figure
from igf_explorer.filters import addressee_counts
from igf_explorer.signatories import signatory_table
from igf_explorer.slides import SlideSpec, recommendations_of, slide_themes, slide_vocabulary
from igf_explorer.text import plain
from igf_explorer.views import ExplorerData
from igf_explorer.views.choice import choose_indicator, choose_period
from igf_explorer.views.map import IndicatorMap, build_indicator_map
from igf_explorer.views.mapframe import Scale, blank_frame, display_scale, signatory_points, value_text
from igf_explorer.views.recommendation import SINCE, change_between
from igf_explorer.views.since2012 import move_of

# Fits under the slide's heading in a 1280×720 window; the e2e test checks it at 1280×720 and 1920×1080.
SLIDE_HEIGHT = 430
STATEMENT_SOURCE = "the statement's text, verbatim (data/statement/recommendations.yaml, checked against original.md)"
SIGNATORY_SOURCE = "signatory research, data/statement/signatories.csv (a source on every row; see About & sources)"
# Readable from the back of a room; plotly's default 12 px is not.
FIGURE_FONT = 15


@dataclass(frozen=True)
class SlideFigure:
    """A slide's main figure with everything that must travel with it: its text alternative, table and source."""

    figure: go.Figure
    alt: str  # the text alternative: what the figure shows, in words
    table: pd.DataFrame  # the figures it draws
    table_caption: str
    source: str
    facts: tuple[str, ...]  # counts shown beside it ("44 of 72 countries …")
    notes: tuple[str, ...]  # conversions the figure applies
    warnings: tuple[str, ...]  # a partly transcribed edition
    absent: tuple[tuple[str, tuple[str, ...]], ...]  # (reason, countries) for those without a figure


@dataclass(frozen=True)
class Quote:
    """A recommendation, verbatim, with its place in its group."""

    id: str
    label: str  # "1 of 9"
    text: str


@dataclass(frozen=True)
class SlideView:
    """Everything one slide draws, and what the presenter's notes view needs around it."""

    number: int
    total: int
    kind: str
    title: str
    subtitle: str
    body: tuple[str, ...]
    numbers: tuple[tuple[str, str], ...]  # key figures: (label, value)
    quotes: tuple[Quote, ...]
    figure: SlideFigure | None
    missing: tuple[str, ...]  # what the slide cannot show, said in words ("not measured by any indicator")
    source: str  # of the slide's words (the figure carries its own)
    notes: str
    previous_title: str | None
    next_title: str | None
    link: str = ""  # a share slide's view of the explorer (path and query), shown as a QR code

    @property
    def counter(self) -> str:
        """'3 / 12'."""
        return f"{self.number} / {self.total}"


@dataclass(frozen=True)
class _Parts:
    """What a kind of slide adds to the words every slide has."""

    subtitle: str = ""
    numbers: tuple[tuple[str, str], ...] = ()
    quotes: tuple[Quote, ...] = ()
    figure: SlideFigure | None = None
    missing: tuple[str, ...] = ()
    source: str = ""


def slide_position(asked: int | None, total: int) -> tuple[int, str | None]:
    """The slide to show for a requested number (1 when none), and a notice when it had to be moved in range."""
    if asked is None:
        return 1, None
    if 1 <= asked <= total:
        return asked, None
    nearest = min(max(asked, 1), total)
    return nearest, f"There is no slide {asked}: the deck has {total} slides. Showing slide {nearest}."


def heading_of(spec: SlideSpec, data: ExplorerData) -> str:
    """A slide's title; a title slide without one shows the statement's."""
    return spec.title or data.statement.title


def _dates(start: str, end: str) -> str:
    """'6–9 November 2012' from ISO dates (the data's own), or the dates as written when they are not ISO."""
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
    except ValueError:
        return " to ".join(d for d in (start, end) if d)
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


def _larger(figure: go.Figure) -> go.Figure:
    figure.update_layout(font={"size": FIGURE_FONT}, legend={"font": {"size": FIGURE_FONT - 1}})
    return figure


def _period_words(data: ExplorerData, indicator: str, year: int) -> str:
    label = data.store.registry.dataset_of(indicator).periods.label
    return f"the {year} {label}" if label == "edition" else str(year)


def _map_figure(data: ExplorerData, shown: IndicatorMap, where: str) -> SlideFigure:
    meta = data.store.registry.indicator(shown.indicator)
    period = _period_words(data, shown.indicator, shown.year)
    alt = (
        f"Map of {meta.name}, {period}{where}: {shown.with_figure} of the {shown.total} countries shown have a "
        "figure. The data table lists them with their values."
    )
    return SlideFigure(
        figure=_larger(shown.figure),
        alt=alt,
        table=shown.table,
        table_caption=f"{meta.short_name}, {period}: the countries with a figure ({meta.display.ranking_title})",
        source=shown.source,
        facts=(f"Countries with a figure: {shown.with_figure} of {shown.total}{where}",),
        notes=shown.notes,
        warnings=shown.warnings,
        absent=shown.absent,
    )


def signatories_map(data: ExplorerData, height: int) -> go.Figure:
    """A world map of the signatories only: filled markers where they are based, open ones where they work."""
    frame = blank_frame(data.geometry, None, "a signatory's country is marked")
    points = signatory_points(data.statement.signatories, data.geometry, None)
    figure = build_map_figure(frame, Scale(""), data.geometry, points, None, height)
    # Every country is the same pale grey here, so its legend entry ("not measured") would only puzzle a reader.
    figure.update_traces(showlegend=False, colorscale=[[0, "#e3e3e3"], [1, "#e3e3e3"]], selector={"type": "choropleth"})
    # No signatory works in Antarctica or the high Arctic: leaving them out gives the map more height.
    figure.update_geos(lataxis_range=[-56, 80])
    return figure


def _title_slide(data: ExplorerData, spec: SlideSpec) -> _Parts:
    statement = data.statement
    counts = addressee_counts(statement)
    numbers = (
        ("Recommendations", str(len(statement.recommendations))),
        *((statement.addressee(a).label, str(n)) for a, n in counts.items()),
        ("Signatories", str(len(statement.signatories))),
    )
    when = _dates(statement.date_start, statement.date_end)
    return _Parts(
        f"{statement.subtitle} · {statement.event}, {statement.place}, {when}", numbers, source=STATEMENT_SOURCE
    )


def _signatories_slide(data: ExplorerData, spec: SlideSpec, height: int) -> _Parts:
    signatories = data.statement.signatories
    known = [s for s in signatories if s.origin_known]
    countries = sorted({s.base_iso3 for s in known})
    unknown = [s.name for s in signatories if not s.origin_known]
    alt = (
        f"World map of the signatories: filled circles where {len(known)} of the {len(signatories)} are based "
        f"({len(countries)} countries), open diamonds on the countries they work on. The data table lists all of them."
    )
    table = signatory_table(signatories)[["Signatory", "Based in", "Focus countries"]]
    figure = SlideFigure(
        figure=_larger(signatories_map(data, height)),
        alt=alt,
        table=table,
        table_caption=f"The {len(signatories)} signatories, where they are based and the countries they work on",
        source=SIGNATORY_SOURCE,
        facts=(
            f"{len(known)} of {len(signatories)} signatories have a known base, in {len(countries)} countries: "
            + ", ".join(country_name(c) for c in countries),
        ),
        notes=(),
        warnings=(),
        absent=(),
    )
    missing = (f"Origin unknown, not on the map ({len(unknown)}): {'; '.join(unknown)}",) if unknown else ()
    subtitle = "Where the signatories are based and the countries they work on"
    return _Parts(subtitle, figure=figure, missing=missing, source=SIGNATORY_SOURCE)


def _measured_map(
    data: ExplorerData, spec: SlideSpec, themes: Sequence[str], height: int
) -> tuple[SlideFigure | None, tuple[str, ...]]:
    """The map of the indicator the slide names (or the first measuring its themes), and what nothing measures."""
    statement, store = data.statement, data.store
    vocabulary = slide_vocabulary(statement, store, data.links)
    linked = vocabulary.measured_by(themes) if themes else list(vocabulary.periods)
    missing = tuple(
        f"{statement.theme(t).label}: not measured by any country indicator (no proxy is shown)"
        for t in themes
        if not vocabulary.measured_by([t])
    )
    if not linked:
        return None, missing
    registry = store.registry
    picked = choose_indicator(linked, spec.indicator, registry)
    meta = registry.indicator(str(picked.indicator))
    choice = choose_period(
        picked, store.periods(meta.id), spec.year, store.best_period(meta.id), meta.short_name, explain=False
    )
    chosen = region_by_slug(spec.region) if spec.region else None
    shown = build_indicator_map(data, meta.id, int(str(choice.year)), spec.region, markers=False, height=height)
    return _map_figure(data, shown, f" in {chosen.name}" if chosen else ""), missing


def _recommendations_slide(data: ExplorerData, spec: SlideSpec, height: int) -> _Parts:
    statement = data.statement
    vocabulary = slide_vocabulary(statement, data.store, data.links)
    addressee = statement.addressee(str(spec.addressee))
    size = addressee_counts(statement)[addressee.id]
    found = (statement.recommendation(r) for r in recommendations_of(spec, vocabulary))
    recommendations = [r for r in found if r is not None]
    quotes = tuple(Quote(r.id, f"{r.order} of {size}", r.text) for r in recommendations)
    orders = [r.order for r in recommendations]
    if len(orders) == size:
        which = f"all {size}" if size > 1 else "its only recommendation"
    elif len(orders) == 1:
        which = f"recommendation {orders[0]} of {size}"
    else:
        which = f"recommendations {orders[0]}–{orders[-1]} of {size}"
    figure, missing = _measured_map(data, spec, slide_themes(spec, vocabulary), height)
    return _Parts(
        f"{addressee.heading} · {which}", quotes=quotes, figure=figure, missing=missing, source=STATEMENT_SOURCE
    )


def _change_figure(
    data: ExplorerData, indicator: str, change: pd.DataFrame, start: int, end: int, height: int
) -> go.Figure:
    """Each country's value in ``start`` (x) against ``end`` (y), on the indicator's own range.

    Above the diagonal a country's value rose, below it fell; the axes never stretch to the countries in view.
    """
    store = data.store
    meta = store.registry.indicator(indicator)
    scale = display_scale(meta, store.largest(indicator))
    low = scale.cmin if scale.cmin is not None else float(min(change["start"].min(), change["end"].min()))
    high = scale.cmax if scale.cmax is not None else float(max(change["start"].max(), change["end"].max()))
    names = change["iso3"].map(country_name).map(plain)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[low, high],
            y=[low, high],
            mode="lines",
            line={"color": "#666666", "dash": "dash"},
            name="no change",
            hoverinfo="skip",
        )
    )
    # The same moves as the Since 2012 page: beyond the dataset's held band, the freer way or the other.
    # A marker points the way the value went: up for an improvement unless lower is freer.
    rises = meta.direction != "lower_is_freer"
    groups = (
        ("improved", change["move"] == "improved", LINE_COLOURS[0], "triangle-up" if rises else "triangle-down"),
        ("declined", change["move"] == "declined", LINE_COLOURS[4], "triangle-down" if rises else "triangle-up"),
        ("held", change["move"] == "held", "#444444", "circle"),
    )
    for label, mask, colour, symbol in groups:
        rows = change[mask]
        if rows.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=rows["start"],
                y=rows["end"],
                mode="markers",
                name=f"{label} ({len(rows)})",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"width": 1, "color": "#ffffff"}},
                hovertext=[
                    f"<b>{n}</b><br>{start}: {plain(value_text(meta, a))}<br>{end}: {plain(value_text(meta, b))}"
                    for n, a, b in zip(names[mask], rows["start"], rows["end"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    # The largest falls and rises are named on the chart; every other country is in the table.
    ordered = change.assign(name=names).sort_values("change")
    for _, row in pd.concat(
        [ordered[ordered["change"] < 0].head(3), ordered[ordered["change"] > 0].tail(3)]
    ).iterrows():
        figure.add_annotation(
            x=row["start"],
            y=row["end"],
            text=str(row["name"]),
            showarrow=False,
            yshift=14,
            font={"size": FIGURE_FONT - 2},
        )
    first, last = _period_words(data, indicator, start), _period_words(data, indicator, end)
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": plain(f"{first} · {meta.unit}"), "range": [low, high], "zeroline": False},
        yaxis={"title": plain(f"{last} · {meta.unit}"), "range": [low, high], "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        font={"family": "sans-serif"},
    )
    return _larger(figure)


def _since_slide(data: ExplorerData, spec: SlideSpec, height: int) -> _Parts:
    store = data.store
    meta = store.registry.indicator(str(spec.indicator))
    periods = store.periods(meta.id)
    end = spec.end if spec.end in periods else periods[-1]
    earlier = [p for p in periods if p < end]
    start = spec.start if spec.start in earlier else (SINCE if SINCE in earlier else earlier[0])
    chosen = region_by_slug(spec.region) if spec.region else None
    where = f" in {chosen.name}" if chosen else ""
    change = change_between(data, meta.id, start, end, spec.region)
    band = parse_comparison(store.registry.dataset_of(meta.id))[0].band(meta.id)
    freer_up = meta.direction != "lower_is_freer"
    change = change.assign(move=[move_of(float(c), band, freer_up) for c in change["change"]])
    rose, fell = int((change["move"] == "improved").sum()), int((change["move"] == "declined").sum())
    same = len(change) - rose - fell
    held = f"Held: a change of at most {band:g} either way, as on the Since 2012 page." if band else ""
    first, last = _period_words(data, meta.id, start), _period_words(data, meta.id, end)
    covered = int(store.coverage(meta.id).get(end, 0))
    missing: tuple[str, ...] = ()
    if change.empty:
        missing = (f"No country{where} has a figure for both {first} and {last}: no change can be shown.",)
        figure = None
    else:
        table = change.assign(Country=change["iso3"].map(country_name)).sort_values("change")
        table = table[["Country", "start", "end", "change"]].round(meta.decimals)
        table = table.rename(columns={"start": str(start), "end": str(end), "change": "Change"})
        facts = [
            f"{len(change)} countries{where} have a figure for both {first} and {last}: {fell} declined, "
            f"{rose} improved, {same} held.",
            f"{covered} countries have a figure for {last}; those without one in {start} are not compared.",
        ]
        notes = [held] if held else []
        if meta.direction == "by_edition":
            notes.append("Shown with higher = freer throughout (editions before 2019 converted); a fall is a decline.")
        if SINCE not in periods:
            notes.append(f"{meta.short_name} has no figures for {SINCE}: {start} is its first period with data.")
        dataset = store.registry.dataset_of(meta.id)
        alt = (
            f"Scatter chart of {meta.name}: each of {len(change)} countries{where} placed by its value in {start} "
            f"(across) and in {end} (up): {fell} declined, {rose} improved, {same} held. "
            "The data table gives every country's two values and the change."
        )
        figure = SlideFigure(
            figure=_change_figure(data, meta.id, change, start, end, height),
            alt=alt,
            table=table.reset_index(drop=True),
            table_caption=f"{meta.short_name}: change per country from {start} to {end}, largest fall first",
            source=f"{dataset.field('producer')}: {dataset.field('source_title')} · licence: {dataset.field('licence')}",
            facts=tuple(facts),
            notes=tuple(notes),
            warnings=(),
            absent=(),
        )
    numbers = (("Declined", str(fell)), ("Improved", str(rose)), ("Held", str(same))) if len(change) else ()
    return _Parts(f"{meta.name}: {first} to {last}{where}", numbers, figure=figure, missing=missing)


def build_slide_view(
    data: ExplorerData, slides: Sequence[SlideSpec], number: int, height: int = SLIDE_HEIGHT
) -> SlideView:
    """Slide ``number`` (from 1) of a validated deck, its figure ``height`` pixels tall."""
    spec = slides[number - 1]
    if spec.kind == "title":
        parts = _title_slide(data, spec)
    elif spec.kind == "signatories":
        parts = _signatories_slide(data, spec, height)
    elif spec.kind == "recommendations":
        parts = _recommendations_slide(data, spec, height)
    elif spec.kind == "since":
        parts = _since_slide(data, spec, height)
    elif spec.kind == "share":
        parts = _Parts("Scan the code with a phone's camera to open this view of the explorer.")
    else:
        figure, missing = _measured_map(data, spec, spec.theme, height)
        themes = ", ".join(data.statement.theme(t).label for t in spec.theme)
        parts = _Parts(f"Themes: {themes}" if themes else "", figure=figure, missing=missing)
    return SlideView(
        number=number,
        total=len(slides),
        kind=spec.kind,
        title=heading_of(spec, data),
        subtitle=parts.subtitle,
        body=spec.body,
        numbers=parts.numbers,
        quotes=parts.quotes,
        figure=parts.figure,
        missing=parts.missing,
        source=parts.source,
        notes=spec.notes,
        previous_title=heading_of(slides[number - 2], data) if number > 1 else None,
        next_title=heading_of(slides[number], data) if number < len(slides) else None,
        link=spec.link or "",
    )


def build_deck(data: ExplorerData, slides: Sequence[SlideSpec], height: int = SLIDE_HEIGHT) -> tuple[SlideView, ...]:
    """Every slide of a validated deck, in order."""
    return tuple(build_slide_view(data, slides, number, height) for number in range(1, len(slides) + 1))
