"""The "since 2012" scorecard: for each recommendation, how the countries (and companies) measuring it moved.

For every recommendation, each indicator linked to its themes (``data/links/theme_indicators.yaml``) is compared
between a baseline (2012, or the period nearest it with data, said so) and the latest period with data, over the
subjects measured in both: how many improved, held (a change within the dataset's ``comparison.held_within``, on
the display scale) and declined, with the median change and the largest rise and fall. Indicators without a freer
direction, categories, single periods and comparisons across a non-comparable method break are shown but not
scored, each saying why. The scored indicator comparing the most countries or companies (link order among equals)
is the recommendation's headline, drawn as a small chart of every subject's change.

Country figures come from the indicator store; company figures (a dataset whose subjects are companies, filtered
by headquarters region) come through the same :class:`Panel` interface, so both are scored the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.companies import CompanyStore
from igf_explorer.comparison import Comparison, parse_comparison
from igf_explorer.countries import country_name, in_region, region_by_slug
from igf_explorer.filters import filter_recommendations
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import DatasetMeta, IndicatorMeta
from igf_explorer.links import Link, indicators_for
from igf_explorer.scales import display_value
from igf_explorer.statement import Recommendation, Statement
from igf_explorer.text import plain
from igf_explorer.views import ExplorerData

SINCE = 2012
Move = Literal["improved", "held", "declined"]
MOVES: tuple[Move, ...] = ("improved", "held", "declined")
# Okabe & Ito's blue and vermillion, and a grey with 4.5:1 on white: apart under every colour-vision deficiency.
MOVE_COLOURS: Mapping[Move, str] = {"improved": "#0072B2", "held": "#767676", "declined": "#D55E00"}
_EPSILON = 1e-9  # figures are stored exactly; this only absorbs float noise in a difference


# --- who the figures are about -------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Panel:
    """The figures of one kind of subject (countries or companies), as the scorecard reads them.

    Attributes
    ----------
    kind
        ``country`` or ``company``.
    noun
        The subjects in the plural, for sentences ("countries").
    metas
        The indicators this panel holds, by id.
    dataset_of
        The dataset (sidecar) of an indicator: producer, periods, editions, comparison rules.
    values
        An indicator's figures on the display scale: columns ``subject``, ``year``, ``value``; rows without a figure
        (a published range such as "fewer than 10") are left out.
    home
        The country a subject lies in (a country is its own; a company's headquarters, None when unknown).
    name
        A subject's name.
    """

    kind: Literal["country", "company"]
    noun: str
    metas: Mapping[str, IndicatorMeta]
    dataset_of: Callable[[str], DatasetMeta]
    values: Callable[[str], pd.DataFrame]
    home: Callable[[str], str | None]
    name: Callable[[str], str]


def _own_iso3(iso3: str) -> str | None:
    return iso3


def country_panel(store: IndicatorStore) -> Panel:
    """The indicator store's country figures as a :class:`Panel`."""

    def values(indicator: str) -> pd.DataFrame:
        shown = store.on_display_scale(store.rows(indicator))
        shown = shown[shown["value"].notna()]
        return pd.DataFrame(
            {
                "subject": shown["iso3"].astype(str).to_numpy(),
                "year": shown["year"].astype(int).to_numpy(),
                "value": shown["value"].astype(float).to_numpy(),
            }
        )

    registry = store.registry
    return Panel("country", "countries", registry.indicators, registry.dataset_of, values, _own_iso3, country_name)


def company_panel(companies: CompanyStore) -> Panel:
    """The company store's figures as a :class:`Panel`: each company placed at its headquarters (None: unknown)."""
    registry = companies.registry
    metas = registry.company_indicators

    def values(indicator: str) -> pd.DataFrame:
        rows = companies.rows(indicator)
        rows = rows[rows["value"].notna()]
        meta, dataset = metas[indicator], registry.company_dataset_of(indicator)
        by_edition = meta.direction == "by_edition"
        return pd.DataFrame(
            {
                "subject": rows["company"].astype(str).to_numpy(),
                "year": rows["year"].astype(int).to_numpy(),
                "value": [
                    display_value(float(v), meta, dataset.editions.get(int(y))) if by_edition else float(v)
                    for y, v in zip(rows["year"], rows["value"], strict=True)
                ],
            }
        )

    def home(company: str) -> str | None:
        listed = companies.companies.get(company)
        return listed.hq_iso3 if listed is not None else None

    names = companies.companies.name_of
    return Panel("company", "companies", metas, registry.company_dataset_of, values, home, names)


# --- the view model ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moves:
    """How the subjects of one scope moved between the two periods."""

    scope: str  # "worldwide", or the region's name
    measured: int
    improved: int
    held: int
    declined: int
    median: float | None
    rise: tuple[str, float] | None  # the largest rise (by value, whichever way is freer) and who made it
    fall: tuple[str, float] | None
    left_out: str = ""  # subjects that could not be placed in the scope (companies of unknown headquarters)

    def counts(self) -> dict[Move, int]:
        """Improved, held and declined, by move."""
        return {"improved": self.improved, "held": self.held, "declined": self.declined}


@dataclass(frozen=True, eq=False)  # holds frames and a figure: compared by identity
class Score:
    """One indicator of one recommendation: scored between two periods, or shown with the reason it is not."""

    recommendation: str
    indicator: str
    name: str
    kind: str  # "country", "company", or "" when no loaded dataset holds the indicator
    noun: str
    headline: bool
    scored: bool
    reason: str  # why not scored ('' when scored)
    baseline: int | None
    latest: int | None
    period_label: str  # "edition" or "year"
    baseline_note: str  # "nearest period: 2013" when 2012 has no figures
    unit: str
    decimals: int
    band: float  # the largest change either way that counts as held
    world: Moves | None
    region: Moves | None
    changes: pd.DataFrame  # per subject in scope: subject, Name, start, end, change, move (sorted by freer change)
    notes: tuple[str, ...]  # breaks crossed (comparable), partly transcribed editions, the held band, absences
    producer: str
    source: str  # producer, title and the two periods
    rationale: str
    caveat: str
    summary: str  # the comparison in one sentence (the chart's text alternative)
    figure: go.Figure | None  # the headline's small chart
    freer_up: bool = True  # a rise is an improvement (False when lower is freer)

    @property
    def shown(self) -> Moves | None:
        """The moves in the chosen scope: the region's when one is chosen, else worldwide."""
        return self.region or self.world

    @property
    def periods(self) -> str:
        """The two periods compared, e.g. "2012 → 2025"."""
        if self.baseline is None or self.latest is None:
            return ""
        return f"{self.baseline} → {self.latest}"


@dataclass(frozen=True, eq=False)
class RecommendationScores:
    """A recommendation's scores, the headline first, or why nothing measures it."""

    recommendation: Recommendation
    label: str  # "Governments 2"
    scores: tuple[Score, ...]
    unmeasured: str  # why nothing measures it ('' when something does)

    @property
    def headline(self) -> Score | None:
        """The scored indicator comparing the most countries or companies."""
        return next((s for s in self.scores if s.headline), None)


@dataclass(frozen=True, eq=False)
class Since2012View:
    """Everything the Since 2012 page draws."""

    recommendations: tuple[RecommendationScores, ...]
    region: str | None  # the chosen region's name
    unmeasured: tuple[tuple[str, str], ...]  # (theme label, why no measure) for the chosen (or all) themes
    intro: str
    table: pd.DataFrame  # the headline table: one row per recommendation and indicator


# --- scoring -------------------------------------------------------------------------------------------------------


def signed(value: float, decimals: int) -> str:
    """A change with its sign, e.g. "+3", "-1.5", "0"."""
    rounded = round(value, decimals)
    if rounded == 0:
        return "0"
    return f"{rounded:+.{decimals}f}"


def nearest_period(periods: Sequence[int], target: int = SINCE) -> int | None:
    """The period nearest ``target`` (the earlier of two as near); None without periods."""
    return min(periods, key=lambda p: (abs(p - target), p)) if periods else None


# A newest period covering far fewer subjects than the series usually does (a World Bank column filled for 59
# economies, a half-year in place of a year) would compare a handful; the latest period compared is the latest that
# covers at least this share of the best-covered period's subjects, and the notes say when that is not the newest.
LATEST_SHARE = 0.9


def latest_period(values: pd.DataFrame) -> int | None:
    """The latest period covering at least ``LATEST_SHARE`` of the best-covered period's subjects."""
    if values.empty:
        return None
    coverage = values.groupby("year")["subject"].nunique()
    return int(coverage[coverage >= LATEST_SHARE * coverage.max()].index.max())


def move_of(change: float, band: float, freer_up: bool) -> Move:
    """Improved, held or declined: a change beyond the band the freer way is an improvement."""
    freer = change if freer_up else -change
    if freer > band + _EPSILON:
        return "improved"
    if freer < -band - _EPSILON:
        return "declined"
    return "held"


def compare(
    values: pd.DataFrame, start: int, end: int, band: float, freer_up: bool, absent: float | None = None
) -> pd.DataFrame:
    """Per subject measured in both periods: start, end, change and move (``absent`` fills a period without a row).

    ``values`` has columns ``subject``, ``year``, ``value``. With ``absent`` (an event count: a period without a row
    recorded none), the subjects with a row in either period are compared.
    """
    first = values[values["year"] == start].set_index("subject")["value"]
    last = values[values["year"] == end].set_index("subject")["value"]
    both = pd.DataFrame({"start": first, "end": last})
    both = both.fillna(absent) if absent is not None else both.dropna()
    both.index.name = "subject"
    both = both.assign(change=both["end"] - both["start"])
    both["move"] = [move_of(c, band, freer_up) for c in both["change"]]
    freer = both["change"] if freer_up else -both["change"]
    return both.assign(_freer=freer).sort_values(["_freer", "subject"]).drop(columns="_freer").reset_index()


def moves(changes: pd.DataFrame, scope: str, name: Callable[[str], str], left_out: str = "") -> Moves:
    """Counts, median and extremes of a comparison's rows."""
    counts = changes["move"].value_counts()
    if changes.empty:
        return Moves(scope, 0, 0, 0, 0, None, None, None, left_out)
    values = changes["change"].to_numpy()
    top, bottom = changes.iloc[int(values.argmax())], changes.iloc[int(values.argmin())]
    rise = (name(str(top["subject"])), float(top["change"])) if top["change"] > 0 else None
    fall = (name(str(bottom["subject"])), float(bottom["change"])) if bottom["change"] < 0 else None
    return Moves(
        scope,
        len(changes),
        int(counts.get("improved", 0)),
        int(counts.get("held", 0)),
        int(counts.get("declined", 0)),
        float(changes["change"].median()),
        rise,
        fall,
        left_out,
    )


def _link_words(links: Iterable[Link], indicator: str, themes: Iterable[str]) -> tuple[str, str]:
    wanted = set(themes)
    mine = [link for link in links if link.indicator == indicator and link.theme in wanted]
    rationale = " ".join(dict.fromkeys(link.rationale for link in mine))
    caveat = " ".join(dict.fromkeys(link.caveat for link in mine))
    return rationale, caveat


def _unscorable(meta: IndicatorMeta, comparison: Comparison) -> str:
    if comparison.not_scored:
        return comparison.not_scored
    if meta.categories:
        words = " / ".join(str(v) for v in meta.categories.values())
        return f"a category ({words}), not a score with a freer direction"
    if meta.direction == "not_applicable":
        return "more or less is neither freer nor less free (its direction is not applicable)"
    return ""


def _comparable_span(periods: Sequence[int], comparison: Comparison, latest: int) -> str:
    """The latest stretch of periods that crosses no non-comparable break, in words ('' when one period)."""
    cuts = sorted(b.period for b in comparison.breaks if not b.comparable)
    since = max((c for c in cuts if c <= latest), default=None)
    span = [p for p in periods if since is None or p >= since]
    return f"{span[0]}–{span[-1]}" if len(span) > 1 else ""


def _coverage_notes(panel: Panel, dataset: DatasetMeta, values: pd.DataFrame, start: int, end: int) -> list[str]:
    """Partly transcribed editions, and a latest period much thinner than the best-covered one."""
    coverage = values.groupby("year")["subject"].nunique()
    label, producer = dataset.periods.label, dataset.field("producer", "the producer")
    notes = []
    for year in (start, end):
        held = int(coverage.get(year, 0))
        edition = dataset.editions.get(year)
        if edition is not None and edition.size is not None and dataset.partial(year, held):
            notes.append(
                f"The {year} {label} is only partly in this project's data ({held} of the {edition.size} "
                f"{panel.noun} {producer} assessed)."
            )
    best = int(coverage[coverage == coverage.max()].index.max())
    # A thin latest period is worth a word (edition sizes say it above); a country or two fewer is not.
    if best != end and dataset.editions.get(end) is None and coverage[end] < 0.75 * coverage[best]:
        notes.append(
            f"The latest {label}, {end}, has figures for {int(coverage[end])} {panel.noun}; the best-covered, "
            f"{best}, for {int(coverage[best])}."
        )
    return notes


def _sentence(score: Score, moves_: Moves, either: bool) -> str:
    where = "" if moves_.scope == "worldwide" else f" in {moves_.scope}"
    label, start, end = score.period_label, score.baseline, score.latest
    both = f"either {label} {start} or {end}" if either else f"both {label}s {start} and {end}"
    if moves_.measured == 0:
        return f"No {score.noun}{where} have a figure for {score.name} in {both}."
    who = f"the {moves_.measured} {score.noun}" if moves_.measured > 1 else f"the one {score.kind}"
    words = (
        f"Of {who}{where} with a figure in {both}, {moves_.improved} improved, {moves_.held} held and "
        f"{moves_.declined} declined on {score.name}"
    )
    extremes = []
    if moves_.median is not None:
        extremes.append(f"median change {signed(moves_.median, score.decimals)}")
    # Which way is freer goes with the extremes: a rise in shutdowns is a decline.
    rise_is, fall_is = ("", "") if score.freer_up else (", a decline: lower is freer", ", an improvement")
    if moves_.rise is not None:
        extremes.append(f"largest rise {moves_.rise[0]} ({signed(moves_.rise[1], score.decimals)}{rise_is})")
    if moves_.fall is not None:
        extremes.append(f"largest fall {moves_.fall[0]} ({signed(moves_.fall[1], score.decimals)}{fall_is})")
    sentence = words + (f" ({'; '.join(extremes)})." if extremes else ".")
    # A comparison resting on a partly transcribed edition says so in the sentence itself, not only in the notes.
    partial = [n for n in score.notes if "only partly in this project's data" in n]
    return " ".join([sentence, *partial])


def score_indicator(panel: Panel, indicator: str, region: str | None) -> Score:
    """One indicator scored over the panel's subjects, worldwide and in the region (or why it is not scored).

    What is particular to a recommendation (its id, the links' rationale and caveat, the headline and its chart)
    is added by :func:`for_recommendation`.
    """
    meta = panel.metas[indicator]
    dataset = panel.dataset_of(indicator)
    comparison, problems = parse_comparison(dataset)
    producer = str(dataset.field("producer", ""))
    label = dataset.periods.label
    values = panel.values(indicator)
    periods = sorted(int(y) for y in values["year"].unique())
    baseline = nearest_period(periods)
    # An event count has no coverage to speak of (a year without a row recorded none), so its latest year stands.
    latest = periods[-1] if comparison.absent_counts_as is not None else latest_period(values)
    sparse_note = ""
    if latest is not None and periods and latest != periods[-1]:
        newest = int(values.loc[values["year"] == periods[-1], "subject"].nunique())
        sparse_note = (
            f"The {periods[-1]} {label} holds figures for only {newest} {panel.noun if newest != 1 else panel.kind}; "
            f"{latest} is the latest {label} covering at least {LATEST_SHARE:.0%} as many as the best-covered one."
        )
    reason = _unscorable(meta, comparison)
    if not reason and not periods:
        reason = "no figures in the data"
    elif not reason and len(periods) == 1:
        reason = f"one {label} only ({periods[0]})"
    elif not reason and baseline == latest:
        reason = f"no {label} after {baseline}"
    crossed = comparison.crossed(baseline, latest) if baseline is not None and latest is not None else ()
    blocked = [b for b in crossed if not b.comparable]
    if not reason and blocked:
        reason = "; ".join(f"{baseline} → {latest} crosses the {b.period} break: {b.note}" for b in blocked)
        span = _comparable_span(periods, comparison, int(latest or 0))
        reason += f" (comparable on one method: {span})" if span else ""
    title = str(dataset.field("source_title", ""))
    span_words = f"; {label}s {baseline} and {latest}" if baseline and latest and baseline != latest else ""
    score = Score(
        recommendation="",
        indicator=indicator,
        name=meta.short_name,
        kind=panel.kind,
        noun=panel.noun,
        headline=False,
        scored=False,
        reason=reason,
        baseline=baseline,
        latest=latest,
        period_label=label,
        baseline_note=f"nearest period: {baseline}" if baseline is not None and baseline != SINCE else "",
        unit=meta.unit,
        decimals=meta.decimals,
        band=comparison.band(indicator),
        world=None,
        region=None,
        changes=pd.DataFrame(),
        notes=tuple(p.message for p in problems),
        producer=producer,
        source=(f"{producer}: {title}" if title else producer) + span_words,
        rationale="",
        caveat="",
        summary=f"{meta.short_name}: not scored ({reason}).",
        figure=None,
    )
    if reason:
        return score
    assert baseline is not None and latest is not None
    freer_up = meta.direction != "lower_is_freer"
    absent = comparison.absent_counts_as
    changes = compare(values, baseline, latest, score.band, freer_up, absent)
    changes = changes.assign(Name=[panel.name(str(s)) for s in changes["subject"]])
    world = moves(changes, "worldwide", panel.name)
    in_scope, region_moves = changes, None
    chosen = region_by_slug(region) if region else None
    if chosen is not None:
        homes = [panel.home(str(s)) for s in changes["subject"]]
        unknown = sum(h is None for h in homes)
        in_scope = changes[[h is not None and in_region(h, chosen) for h in homes]].reset_index(drop=True)
        who = panel.kind if unknown == 1 else panel.noun
        left_out = f"{unknown} {who} of unknown headquarters left out" if unknown else ""
        region_moves = moves(in_scope, chosen.name, panel.name, left_out)
    notes = [b.note for b in crossed] + ([sparse_note] if sparse_note else [])
    notes += _coverage_notes(panel, dataset, values, baseline, latest)
    if score.baseline_note:
        notes.append(f"{meta.short_name} has no figures for {SINCE}; {baseline} is the nearest {label} with data.")
    if absent is not None:
        notes.append(
            f"A {panel.kind} without a figure in one of the two {label}s counts as {absent:g} "
            f"({meta.display.absent}); every {panel.kind} with a figure in either is compared."
        )
    held = f"Held: a change of at most {score.band:g} either way" if score.band else "Held: no change at all"
    notes.append(held + (f" ({comparison.note.rstrip('.')})" if comparison.note else "") + ".")
    scored = replace(
        score,
        scored=True,
        world=world,
        region=region_moves,
        changes=in_scope,
        notes=(*score.notes, *notes),
        freer_up=freer_up,
    )
    return replace(scored, summary=_sentence(scored, region_moves or world, absent is not None))


def for_recommendation(
    score: Score, recommendation: str, links: Sequence[Link], themes: Sequence[str], headline: bool
) -> Score:
    """An indicator's score as one recommendation shows it: the links' rationale and caveat for its themes."""
    rationale, caveat = _link_words(links, score.indicator, themes)
    return replace(score, recommendation=recommendation, rationale=rationale, caveat=caveat, headline=headline)


def _unloaded(indicator: str, company_indicators: frozenset[str] = frozenset()) -> Score:
    if indicator in company_indicators:
        reason = f"the company figures of '{indicator}' could not be loaded (run igf-explorer check)"
    else:
        reason = f"no loaded dataset holds '{indicator}' (run igf-explorer check)"
    return Score(
        recommendation="",
        indicator=indicator,
        name=indicator,
        kind="",
        noun="",
        headline=False,
        scored=False,
        reason=reason,
        baseline=None,
        latest=None,
        period_label="",
        baseline_note="",
        unit="",
        decimals=0,
        band=0.0,
        world=None,
        region=None,
        changes=pd.DataFrame(),
        notes=(),
        producer="",
        source="",
        rationale="",
        caveat="",
        summary=f"{indicator}: not scored ({reason}).",
        figure=None,
    )


# --- the small chart -----------------------------------------------------------------------------------------------


def change_figure(score: Score) -> go.Figure:
    """Every subject's change as a bar, least free move first, coloured by its move; the held band shaded."""
    changes, decimals = score.changes, score.decimals
    fig = go.Figure()
    order = [plain(n) for n in changes["Name"]]
    for move in MOVES:
        rows = changes[changes["move"] == move]
        fig.add_trace(
            go.Bar(
                x=[plain(n) for n in rows["Name"]],
                y=rows["change"].round(decimals),
                name=f"{move.capitalize()} ({len(rows)})",
                marker_color=MOVE_COLOURS[move],
                customdata=list(zip(rows["start"].round(decimals), rows["end"].round(decimals), strict=True)),
                hovertemplate=f"%{{x}}: %{{customdata[0]}} ({score.baseline}) → %{{customdata[1]}} "
                f"({score.latest}), change %{{y:+}}<extra></extra>",
            )
        )
    if score.band:
        fig.add_hrect(y0=-score.band, y1=score.band, fillcolor="#bdbdbd", opacity=0.35, line_width=0, layer="below")
    many = len(order) > 25
    fig.update_layout(
        height=230,
        margin={"l": 10, "r": 10, "t": 10, "b": 10 if many else 70},
        barmode="overlay",
        bargap=0.15,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        showlegend=True,  # also with one move only: the legend names it
        dragmode=False,
        font={"family": "sans-serif", "size": 11},
    )
    fig.update_xaxes(categoryorder="array", categoryarray=order, showticklabels=not many, tickangle=-45)
    fig.update_yaxes(title_text=f"change ({plain(score.unit)})", zeroline=True, zerolinecolor="#5c5a57")
    return fig


# --- the whole scorecard -------------------------------------------------------------------------------------------


def _rec_label(statement: Statement, rec: Recommendation) -> str:
    return f"{statement.addressee(rec.addressee).label} {rec.order}"


def build_since2012(
    data: ExplorerData,
    themes: Sequence[str] = (),
    region: str | None = None,
    companies: CompanyStore | Panel | None = None,
) -> Since2012View:
    """The scorecard for the chosen themes (all without) and region (worldwide without).

    Parameters
    ----------
    data
        The statement, the indicator store and the links.
    themes
        Only the recommendations on these themes, each measured by the indicators linked to these themes.
    region
        A region slug: countries in it, companies headquartered in it (worldwide figures are kept beside).
    companies
        The company figures (a store, or a :class:`Panel` of them); without, the data's own company store when it
        carries one (``data.companies``), else countries only.
    """
    statement, links = data.statement, data.links
    panels = [country_panel(data.store)]
    held = companies if companies is not None else getattr(data, "companies", None)
    if isinstance(held, CompanyStore):
        panels.append(company_panel(held))
    elif isinstance(held, Panel):
        panels.append(held)
    # Several recommendations share an indicator: its figures are read and converted once per scorecard.
    panels = [replace(p, values=functools.cache(p.values)) for p in panels]
    by_indicator = {i: p for p in reversed(panels) for i in p.metas}
    company_ids = frozenset(data.store.registry.company_indicators)
    # An indicator is scored once for every recommendation it measures; its chart is drawn once, when first needed.
    scored: dict[str, Score] = {}
    drawn: dict[str, go.Figure] = {}
    recommendations = []
    for rec in filter_recommendations(statement, themes=list(themes)):
        rec_themes = [t for t in rec.themes if not themes or t in themes]
        linked = indicators_for(links, rec_themes)
        for indicator in linked:
            if indicator not in scored:
                panel = by_indicator.get(indicator)
                scored[indicator] = (
                    score_indicator(panel, indicator, region) if panel else _unloaded(indicator, company_ids)
                )
        lead = _headline_of([scored[i] for i in linked])
        scores: list[Score] = []
        for indicator in linked:
            score = scored[indicator]
            headline = score is lead
            score = for_recommendation(score, rec.id, links, rec_themes, headline)
            if headline and not score.changes.empty:
                figure = drawn.get(indicator)
                if figure is None:
                    figure = drawn[indicator] = change_figure(score)
                score = replace(score, figure=figure)
            scores.append(score)
        unmeasured = "" if scores else "no indicator or company series is linked to its themes"
        recommendations.append(RecommendationScores(rec, _rec_label(statement, rec), tuple(scores), unmeasured))
    chosen = region_by_slug(region) if region else None
    name = chosen.name if chosen else None
    return Since2012View(
        recommendations=tuple(recommendations),
        region=name,
        unmeasured=tuple(_unmeasured_themes(statement, links, by_indicator, themes)),
        intro=_intro(name),
        table=headline_table(recommendations, name),
    )


def _headline_of(scores: Sequence[Score]) -> Score | None:
    """The scored measure that compares the most countries or companies worldwide; link order among equals.

    A measure transcribed for a few countries in 2012 must not speak for a recommendation that a measure covering
    most of the world also answers.
    """
    scored = [s for s in scores if s.scored and s.world is not None]
    if not scored:
        return None
    return max(scored, key=lambda s: (s.world.measured if s.world else 0, -scored.index(s)))


def _unmeasured_themes(
    statement: Statement, links: Sequence[Link], loaded: Mapping[str, Panel], themes: Sequence[str]
) -> Iterable[tuple[str, str]]:
    for theme in statement.themes:
        if themes and theme.id not in themes:
            continue
        linked = indicators_for(links, [theme.id])
        if not linked:
            yield theme.label, "no indicator or company series in this project's data measures it"
        elif not any(i in loaded for i in linked):
            yield theme.label, f"linked to {', '.join(linked)}, none of which is in the loaded data"


def _intro(region: str | None) -> str:
    where = f" in {region} (worldwide figures beside)" if region else " worldwide"
    return (
        f"For each recommendation, the figures measuring it{where}: from {SINCE} (or the period nearest it with "
        "data) to the latest period with data, over the countries or companies with a figure in both. Improved, "
        "held and declined are read on one scale where higher is freer (an indicator where lower is freer, such "
        "as shutdowns, improves when it falls); a change within the dataset's held band counts as held. A "
        "comparison across a change of method that makes the periods incomparable is not scored."
    )


WORLDWIDE = "Worldwide (improved / held / declined)"
NOT_SCORED = "Not scored"


def _partly(score: Score) -> str:
    """A few words when the comparison rests on a partly transcribed edition (the notes give the numbers)."""
    partial = any("only partly in this project's data" in n for n in score.notes)
    return "rests on a partly transcribed edition: few " + score.noun if partial else ""


def _scored_row(score: Score) -> dict[str, Any]:
    shown = score.shown
    assert shown is not None
    row: dict[str, Any] = {
        "indicator": score.indicator,
        "kind": score.kind,
        "headline": score.headline,
        "Indicator": score.name,
        "Periods": score.periods,
        "Scored": f"{shown.measured} {score.kind if shown.measured == 1 else score.noun}"
        if shown.measured
        else f"no {score.kind} here with both figures",
        # No one compared is no count at all, not three zeros.
        "Improved": shown.improved if shown.measured else None,
        "Held": shown.held if shown.measured else None,
        "Declined": shown.declined if shown.measured else None,
        "Median change": signed(shown.median, score.decimals) if shown.median is not None else "",
        "Largest rise": f"{shown.rise[0]} {signed(shown.rise[1], score.decimals)}" if shown.rise else "",
        "Largest fall": f"{shown.fall[0]} {signed(shown.fall[1], score.decimals)}" if shown.fall else "",
        "Note": "; ".join(n for n in (score.baseline_note, shown.left_out, _partly(score)) if n),
        "Source": score.producer,
    }
    if score.region is not None and score.world is not None:
        world = score.world
        row[WORLDWIDE] = f"{world.improved} / {world.held} / {world.declined} of {world.measured}"
    return row


def headline_table(recommendations: Sequence[RecommendationScores], region: str | None) -> pd.DataFrame:
    """The headline table: a row per recommendation and scored indicator, then one for those not scored.

    Scored rows come in link order, the headline first, with the chosen scope's counts; the last row of a
    recommendation names every indicator linked to it but not scored, each with the reason.
    """
    rows: list[dict[str, Any]] = []
    for item in recommendations:
        first = {"rec": item.recommendation.id, "Recommendation": item.label}
        rows.extend(first | _scored_row(score) for score in item.scores if score.scored)
        unscored = [s for s in item.scores if not s.scored]
        if unscored or not item.scores:
            rows.append(
                first
                | {
                    "indicator": "",
                    "kind": "",
                    "headline": False,
                    "Indicator": NOT_SCORED,
                    "Note": "; ".join(f"{s.name}: {s.reason}" for s in unscored) or item.unmeasured,
                    "Source": "; ".join(dict.fromkeys(s.producer for s in unscored if s.producer)),
                }
            )
    columns = [
        "rec",
        "indicator",
        "kind",
        "headline",
        "Recommendation",
        "Indicator",
        "Periods",
        "Scored",
        "Improved",
        "Held",
        "Declined",
        "Median change",
        "Largest rise",
        "Largest fall",
        *([WORLDWIDE] if region else []),
        "Note",
        "Source",
    ]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("Improved", "Held", "Declined"):
        table[column] = table[column].astype("Int64")
    table["headline"] = table["headline"].astype(bool)
    text = [c for c in columns if c not in ("Improved", "Held", "Declined", "headline")]
    return table.fillna(dict.fromkeys(text, ""))
