"""The Companies page's view: the statement's asks of internet companies, who joined the GNI and when, RDR's scores.

Built from the company store (:class:`igf_explorer.companies.CompanyStore`) and the statement, without Streamlit:
the three recommendations addressed to internet companies (verbatim), each company's GNI membership by year and its
RDR totals by Index edition (filtered by the headquarters' UN M49 region), and one company's profile. A company
whose headquarters no source gives is in no region: with a region chosen it is left out, and the view says how many.
Nothing is filled in: a year without a GNI row is left blank, an edition without an RDR figure says "no figure".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from igf_explorer.companies import KIND_LABELS, Company, CompanyStore
from igf_explorer.comparison import parse_comparison
from igf_explorer.countries import Region, country_name, in_region, region_by_slug
from igf_explorer.figures import build_timeseries
from igf_explorer.indicators import DatasetMeta, IndicatorMeta
from igf_explorer.statement import Recommendation, Statement
from igf_explorer.text import plain
from igf_explorer.views.country import series_summary, series_table

ADDRESSEE = "companies"
NO_RECORD = ""  # a membership cell without a row: not a member, as far as the research found
NO_FIGURE = "no figure"  # not in that Index, or (telecoms before 2020) not in the files used


@dataclass(frozen=True)
class CompanyProfile:
    """One company: who it is, its GNI membership year by year, and its RDR scores over the Index editions."""

    id: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value): headquarters, kind, other names, source
    membership: str  # the GNI record in one sentence
    membership_rows: pd.DataFrame  # Year, Status, Note, Source
    scores_title: str
    scores_figure: go.Figure | None
    scores_summary: str  # the chart in words
    scores_table: pd.DataFrame  # one row per edition, a column per RDR indicator
    scores_rows: pd.DataFrame  # every stored RDR figure with its note and source
    scores_empty: str  # why there is no chart (not ranked by RDR), '' when there is one
    caveats: tuple[str, ...]


@dataclass(frozen=True)
class CompaniesView:
    """Everything the Companies page draws."""

    recommendations: tuple[Recommendation, ...]
    region: Region | None
    scope: str  # "every company" or "companies headquartered in …"
    options: tuple[str, ...]  # company ids in the region, by name (and the chosen company, wherever it is)
    names: dict[str, str]  # company id → name, for the select box
    unplaced: tuple[str, ...]  # names of the companies left out of a region because their headquarters is unknown
    membership: pd.DataFrame  # Company, Headquarters, one column per year: status words, '' for no record
    membership_caption: str
    scores: pd.DataFrame  # Company, Headquarters, Kind, one column per RDR edition: total or "no figure"
    scores_caption: str
    profile: CompanyProfile | None
    outside: str  # why the chosen company is shown although it is not in the region ('' when it is)
    caveats: tuple[str, ...]
    sources: tuple[str, ...]


def _hq(company: Company) -> str:
    return country_name(company.hq_iso3) if company.hq_iso3 else "unknown"


def _dataset_of(store: CompanyStore, indicators: Sequence[IndicatorMeta]) -> DatasetMeta | None:
    return store.registry.company_dataset_of(indicators[0].id) if indicators else None


def _membership_indicator(store: CompanyStore) -> IndicatorMeta | None:
    """The company indicator whose values are categories (GNI membership), by metadata, not by id."""
    return next((i for i in store.indicators.values() if i.categories), None)


def _score_indicators(store: CompanyStore) -> tuple[IndicatorMeta, ...]:
    """The scored company indicators (RDR), in sidecar order."""
    return tuple(i for i in store.indicators.values() if not i.categories and i.direction == "higher_is_freer")


def _status_words(meta: IndicatorMeta, row: pd.Series) -> str:
    return str(row["status"]) or meta.categories.get(float(row["value"]), f"{row['value']:g}")


def membership_table(store: CompanyStore, companies: Sequence[Company]) -> tuple[pd.DataFrame, list[int]]:
    """Company × year of GNI membership (status words; '' where the research has no row), and the years."""
    meta = _membership_indicator(store)
    if meta is None:
        return pd.DataFrame(columns=["Company", "Headquarters"]), []
    years = store.periods(meta.id)
    span = list(range(years[0], years[-1] + 1)) if years else []
    rows = []
    for company in companies:
        series = store.series(company.id, meta.id)
        if series.empty:
            continue
        by_year = {int(r["year"]): _status_words(meta, r) for _, r in series.iterrows()}
        rows.append(
            {"Company": company.name, "Headquarters": _hq(company), **{str(y): by_year.get(y, NO_RECORD) for y in span}}
        )
    return pd.DataFrame(rows, columns=["Company", "Headquarters", *[str(y) for y in span]]), span


def scores_table(store: CompanyStore, companies: Sequence[Company], meta: IndicatorMeta) -> pd.DataFrame:
    """Company × edition of one RDR indicator: the score as stored, "no figure" where the files give none."""
    editions = store.periods(meta.id)
    rows = []
    for company in companies:
        series = store.series(company.id, meta.id)
        if series.empty:
            continue
        values = {int(r["year"]): f"{r['value']:.{meta.decimals}f}" for _, r in series.iterrows()}
        rows.append(
            {
                "Company": company.name,
                "Headquarters": _hq(company),
                "Kind": KIND_LABELS[company.kind],
                **{str(y): values.get(y, NO_FIGURE) for y in editions},
            }
        )
    return pd.DataFrame(rows, columns=["Company", "Headquarters", "Kind", *[str(y) for y in editions]])


def runs_text(rows: pd.DataFrame) -> str:
    """Consecutive years of one status as runs: "observer 2012, full member 2013–2017"; a gap starts a new run."""
    runs: list[list[object]] = []
    for year, status in zip(rows["Year"].astype(int), rows["Status"], strict=True):
        if runs and runs[-1][0] == status and runs[-1][2] == year - 1:
            runs[-1][2] = year
        else:
            runs.append([status, year, year])
    return ", ".join(f"{s} {a}" if a == b else f"{s} {a}–{b}" for s, a, b in runs)


def _break_notes(dataset: DatasetMeta | None) -> list[tuple[int, str]]:
    if dataset is None:
        return []
    comparison, _ = parse_comparison(dataset)
    return [(b.period, b.note) for b in comparison.breaks if not b.comparable]


def build_profile(store: CompanyStore, company: Company) -> CompanyProfile:
    """One company's profile: facts with their source, the GNI record and the RDR scores with the method break."""
    facts = [
        ("Headquarters", _hq(company) + ("" if company.hq_iso3 else " (no source gives it)")),
        ("Kind", KIND_LABELS[company.kind]),
    ]
    if company.aliases:
        facts.append(("Also written", ", ".join(company.aliases)))
    facts.append(("Source", company.source))
    if company.note:
        facts.append(("Note", company.note))
    meta = _membership_indicator(store)
    membership_rows = pd.DataFrame(columns=["Year", "Status", "Note", "Source"])
    membership = "No GNI record for this company."
    if meta is not None:
        series = store.series(company.id, meta.id)
        last = store.registry.company_dataset_of(meta.id).field("last_year")
        if series.empty:
            membership = f"Not a member of the Global Network Initiative as far as the research found (to {last})."
        else:
            membership_rows = pd.DataFrame(
                {
                    "Year": series["year"].astype(int).to_numpy(),
                    "Status": [_status_words(meta, r) for _, r in series.iterrows()],
                    "Note": series["note"].to_numpy(),
                    "Source": series["source"].to_numpy(),
                }
            )
            membership = f"GNI: {runs_text(membership_rows)} (the research runs to {last})."
    indicators = _score_indicators(store)
    dataset = _dataset_of(store, indicators)
    rows = store.company_rows(company.id, [i.id for i in indicators])
    breaks = _break_notes(dataset)
    caveats = [note for _, note in breaks]
    charted = [i for i in indicators if not store.series(company.id, i.id).empty]
    figure: go.Figure | None = None
    summary = ""
    table = pd.DataFrame()
    empty = ""
    if not charted:
        empty = "No Ranking Digital Rights score for this company in the files used (RDR's 2015–2022 data)."
    else:
        series = pd.concat(
            [store.series(company.id, i.id).assign(series=i.short_name) for i in charted], ignore_index=True
        )
        periods = sorted({y for i in indicators for y in store.periods(i.id)})
        unit = charted[0].unit
        decimals = max(i.decimals for i in charted)
        # An empty point just before each method break, so that no line joins scores of two methods.
        gaps = [period - 0.5 for period, _note in breaks]
        figure = build_timeseries(series, "", unit, periods=[*periods, *gaps])
        for period, _note in breaks:
            figure.add_vline(
                x=period - 0.5,
                line_dash="dash",
                line_color="#666666",
                annotation_text=plain(f"method revised in {period}: not comparable across this line"),
                annotation_position="top left",
            )
        summary = series_summary(series, "Line chart", unit, decimals) + "".join(
            f" Scores before and after the {period} method revision are not comparable; the lines break there."
            for period, _note in breaks
        )
        table = series_table(series, decimals)
    shown = rows.assign(Indicator=rows["indicator"].map({i.id: i.short_name for i in indicators}))
    scores_rows = shown.rename(columns={"year": "Edition", "value": "Value", "note": "Note", "source": "Source"})
    scores_rows = scores_rows.loc[:, ["Indicator", "Edition", "Value", "Note", "Source"]]
    return CompanyProfile(
        id=company.id,
        name=company.name,
        facts=tuple(facts),
        membership=membership,
        membership_rows=membership_rows,
        scores_title="Ranking Digital Rights scores by Index edition",
        scores_figure=figure,
        scores_summary=summary,
        scores_table=table,
        scores_rows=scores_rows.reset_index(drop=True),
        scores_empty=empty,
        caveats=tuple(caveats),
    )


def build_companies_view(
    statement: Statement, store: CompanyStore, region: str | None, company: str | None
) -> CompaniesView:
    """The Companies page for a region (by slug; None = everywhere) and a chosen company (by id; None = none)."""
    recommendations = tuple(
        sorted((r for r in statement.recommendations if r.addressee == ADDRESSEE), key=lambda r: r.order)
    )
    place = region_by_slug(region) if region else None
    listed = sorted((c for c in store.companies.items if c.id in store.with_data), key=lambda c: c.name.casefold())
    if place is None:
        chosen = listed
        unplaced: list[str] = []
        scope = "every company"
    else:
        chosen = [c for c in listed if c.hq_iso3 is not None and in_region(c.hq_iso3, place)]
        unplaced = [c.name for c in listed if c.hq_iso3 is None]
        scope = f"companies headquartered in {place.name}"
    membership, span = membership_table(store, chosen)
    meta = _membership_indicator(store)
    gni = store.registry.company_dataset_of(meta.id) if meta is not None else None
    membership_caption = (
        f"Global Network Initiative membership, {span[0]}–{span[-1]}, {scope}: 'full member', 'observer', or blank "
        "where the research has no record (not a member then, or, for a company that left at a time not found, not "
        "known). " + (str(gni.field("last_year_note", "")) if gni is not None else "")
        if span
        else "No GNI membership is stored."
    )
    indicators = _score_indicators(store)
    total = indicators[0] if indicators else None
    scores = scores_table(store, chosen, total) if total is not None else pd.DataFrame()
    rdr = _dataset_of(store, indicators)
    breaks = _break_notes(rdr)
    scores_caption = (
        f"{total.name} ({total.unit}), {scope}, by Index edition; '{NO_FIGURE}' where the files used give none: "
        f"{rdr.field('coverage') if rdr is not None else ''} " + " ".join(note for _, note in breaks)
        if total is not None
        else "No RDR score is stored."
    )
    caveats = [
        "RDR scores what a company discloses about its policies, not what it does; GNI membership is not proof "
        "that a company abides by the GNI's principles.",
        *[note for _, note in breaks],
    ]
    if unplaced:
        caveats.append(
            f"{len(unplaced)} companies are in no region because no source gives their headquarters: "
            f"{', '.join(unplaced)}."
        )
    sources = tuple(
        f"{d.field('producer')}: {d.field('source_title')} ({d.field('url')}; licence: {d.field('licence')})"
        for d in store.registry.company_datasets
    )
    picked = store.companies.get(company) if company else None
    if picked is not None and picked.id not in store.with_data:
        picked = None
    options = [c.id for c in chosen]
    outside = ""
    if picked is not None and picked.id not in options and place is not None:
        options.append(picked.id)
        where = f"headquartered in {_hq(picked)}" if picked.hq_iso3 else "of unknown headquarters"
        outside = f"{picked.name} is {where}, outside {place.name}; its profile is shown all the same."
    return CompaniesView(
        recommendations=recommendations,
        region=place,
        scope=scope,
        options=tuple(options),
        names={c.id: c.name for c in listed},
        unplaced=tuple(unplaced),
        membership=membership,
        membership_caption=membership_caption,
        scores=scores,
        scores_caption=scores_caption,
        profile=build_profile(store, picked) if picked is not None else None,
        outside=outside,
        caveats=tuple(caveats),
        sources=sources,
    )
