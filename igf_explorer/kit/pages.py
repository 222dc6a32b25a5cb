"""The kit's pages: one builder per section (handout, recommendations, countries) and the index that links them all."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from igf_explorer import __version__
from igf_explorer.countries import country_name
from igf_explorer.kit.markup import (
    Shell,
    Template,
    chart,
    document,
    esc,
    figure_table,
    items,
    link,
    paragraphs,
    table,
)
from igf_explorer.metadata import provenance_rows
from igf_explorer.slides import has_slides, load_slides, slide_vocabulary
from igf_explorer.statement import Recommendation, Statement
from igf_explorer.views import ExplorerData
from igf_explorer.views.country import SeriesPanel, build_country_view
from igf_explorer.views.map import IndicatorMap
from igf_explorer.views.recommendation import build_recommendation_measures
from igf_explorer.views.slides import SlideView, build_deck, signatories_map

KIT_TITLE = "IGF 2012 Statement Explorer: offline kit"
INDEX = "index.html"
HANDOUT = "handout.html"
RECOMMENDATIONS_DIR = "recommendations"
COUNTRIES_DIR = "countries"
SLIDES_DIR = "slides"
# Taller than on /present: a kit page scrolls, and a printed or projected page has the width for it.
KIT_SLIDE_HEIGHT = 520
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def file_name(identifier: str) -> str:
    """A file name from an id in the data: letters, digits, ``-`` and ``_`` only, so no id can leave its folder."""
    return _UNSAFE_NAME.sub("-", identifier).strip("-") or "page"


@dataclass(frozen=True)
class Page:
    """One HTML page of the kit, with what the index says about it.

    Attributes
    ----------
    path
        Where it goes, relative to the kit's folder, with ``/`` separators.
    title
        The link text in the index.
    group
        The sub-heading it is listed under in the index ("" for none).
    html
        The whole document.
    """

    path: str
    title: str
    group: str
    html: str


@dataclass(frozen=True)
class KitContext:
    """What every page builder reads: the data, the countries exported, and what all pages share."""

    data: ExplorerData
    data_dir: Path
    countries: tuple[str, ...]  # ISO3 codes with a page, in the order of their names
    template: Template
    data_version: str
    exported: dt.date
    sources: tuple[Mapping[str, str], ...] = field(default=())
    # A snapshot's link to the live explorer at its view ("" for the kit). A snapshot is one page on its own: its
    # navigation is that link, and it links to no other page of a kit.
    live: str = ""

    def href(self, page_path: str, target: str) -> str:
        """The relative link from one page of the kit to another file of it (works under file://)."""
        return posixpath.relpath(target, posixpath.dirname(page_path) or ".")

    def root(self, page_path: str) -> str:
        """The relative path from a page to the kit's folder: ``""`` or ``"../"``."""
        depth = page_path.count("/")
        return "../" * depth

    def chart_config(self, page_path: str) -> dict[str, Any]:
        """Plotly config: the map is registered in PlotlyGeoAssets; a fallback fetch would stay inside the kit."""
        return {
            "topojsonURL": self.root(page_path) + "assets/",
            "displaylogo": False,
            "responsive": True,
            "scrollZoom": False,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        }

    def shell(self, page_path: str) -> Shell:
        """Navigation and footer of a page (a snapshot's: the link to the live explorer, and what it shows)."""
        if self.live:
            return Shell(
                self.root(page_path),
                f"Data version {esc(self.data_version)} · snapshot made {esc(self.exported.isoformat())} · "
                f"IGF 2012 Statement Explorer {esc(__version__)}: a static copy of one view, drawn from the data "
                "named under each chart; the live explorer has every view.",
                '<nav class="kit" aria-label="Explorer">'
                f'<a class="live" href="{esc(self.live)}">Open the live explorer at this view</a></nav>',
            )
        nav = (
            '<nav class="kit" aria-label="Kit">'
            f"{link(self.href(page_path, INDEX), 'Contents')}"
            f"{link(self.href(page_path, HANDOUT), 'Printable handout')}"
            "</nav>"
        )
        footer = (
            f"Data version {esc(self.data_version)} · exported {esc(self.exported.isoformat())} · "
            f"IGF 2012 Statement Explorer {esc(__version__)}, offline kit: these pages need no server and no "
            "internet connection."
        )
        return Shell(self.root(page_path), footer, nav)

    def country_link(self, page_path: str) -> Callable[[str], str | None]:
        """From a country's name in a table to the link to its page, when the kit has one."""
        by_name = {country_name(code): code for code in self.countries}

        def target(name: str) -> str | None:
            code = by_name.get(name)
            return self.href(page_path, country_path(code)) if code else None

        return target


def country_path(iso3: str) -> str:
    """Where a country's page goes."""
    return f"{COUNTRIES_DIR}/{file_name(iso3)}.html"


def recommendation_path(recommendation: Recommendation) -> str:
    """Where a recommendation's page goes."""
    return f"{RECOMMENDATIONS_DIR}/{file_name(recommendation.id)}.html"


PageBuilder = Callable[[KitContext], Iterator[Page]]


@dataclass(frozen=True)
class Section:
    """A kind of page: the index lists a section's pages under its title, grouped by each page's ``group``."""

    title: str
    intro: str
    build: PageBuilder
    columns: bool = False  # a long list of short links, shown in columns


def _source_line(text: str) -> str:
    return f'<p class="source">Source: {esc(text)}</p>' if text else ""


def _absent_details(absent: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The countries without a figure, one line per reason, folded ("" when every country has one)."""
    if not absent:
        return ""
    lines = "".join(
        f"<p><strong>{esc(reason.capitalize())}</strong> ({len(names)}): {esc(', '.join(names))}</p>"
        for reason, names in absent
    )
    return f"<details><summary>Countries without a figure</summary>{lines}</details>"


def _map_block(
    context: KitContext, page_path: str, chart_id: str, heading: str, shown: IndicatorMap, table_html: str = ""
) -> str:
    """A map, its notes, its text alternative and its table: the ranking (or table) and the countries without one."""
    meta = context.data.store.registry.indicator(shown.indicator)
    alt = (
        f"Map of {meta.name}, {shown.year}: {shown.with_figure} of the {shown.total} countries shown have a figure. "
        "The table below lists them with their values."
    )
    parts = [f"<h2>{esc(heading)}</h2>"]
    parts += [f'<p class="notice">{esc(text)}</p>' for text in shown.warnings]
    parts.append(paragraphs(shown.notes, "muted"))
    parts.append(
        f"<figure>{chart(chart_id, shown.figure, alt, context.template, context.chart_config(page_path))}"
        f"<figcaption>{esc(alt)}</figcaption></figure>"
    )
    parts.append(
        table_html
        or table(
            shown.table,
            f"{meta.short_name}, {shown.year}: the countries with a figure",
            {"Country": context.country_link(page_path)},
        )
    )
    parts.append(_absent_details(shown.absent))
    parts.append(_source_line(shown.source))
    return "\n".join(parts)


# --- recommendations ---------------------------------------------------------------------------------------------


def _recommendation_page(
    context: KitContext,
    number: int,
    recommendation: Recommendation,
    path: str = "",
    region: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
) -> Page:
    data = context.data
    statement = data.statement
    path = path or recommendation_path(recommendation)
    addressee = statement.addressee(recommendation.addressee)
    count = len(statement.recommendations)
    measures = build_recommendation_measures(data, recommendation, region, indicator, year, explain=False)
    labels = [statement.theme(t).label for t in recommendation.themes]
    body = [
        f'<p class="subtitle">{esc(addressee.heading)} · recommendation {number} of {count} · themes: '
        f"{esc(', '.join(labels))}</p>",
        f'<blockquote class="verbatim"><p>{esc(recommendation.text)}</p></blockquote>',
        '<p class="muted">The text is verbatim from the statement.</p>',
        "<h2>Themes</h2>",
        items(f"{statement.theme(t).label}: {statement.theme(t).description}" for t in recommendation.themes),
        "<h2>What measures it</h2>",
    ]
    if not measures.indicators:
        body.append(
            '<p class="notice">No country indicator in this kit measures this recommendation: its themes ('
            f"{esc(', '.join(labels))}) have no country-level measure, and no proxy is shown.</p>"
        )
    else:
        body.append(
            items(
                f"{name}: {measures.rationales.get(i, '')}"
                + (f" What it cannot show: {measures.caveats[i]}" if measures.caveats.get(i) else "")
                for i, name in measures.names.items()
            )
        )
        if measures.unmeasured:
            body.append(
                f"<p>Not measured by any country indicator: {esc(', '.join(measures.unmeasured))} (no proxy).</p>"
            )
    shown = measures.map
    if shown is not None:
        meta = data.store.registry.indicator(shown.indicator)
        ranking = table(
            measures.ranking,
            f"{measures.ranking_title or meta.short_name}, {shown.year}",
            {"Country": context.country_link(path)},
        )
        body.append(paragraphs([measures.period_note], "muted"))
        body.append(_map_block(context, path, "map", f"{meta.name}: map and ranking", shown, ranking))
        if len(measures.signatories):
            body.append("<h2>The signatories' countries</h2>")
            body.append(
                table(
                    measures.signatories,
                    f"Where the signatories are based, with {meta.short_name} ({shown.year})",
                    {"Country": context.country_link(path)},
                )
            )
        body.append("<h2>Change over time</h2>")
        body.append(paragraphs([measures.change_note]))
        if measures.change is not None and len(measures.change):
            body.append(
                table(
                    measures.change,
                    f"{meta.short_name}: change per country, largest fall first",
                    {"Country": context.country_link(path)},
                )
            )
    recs = statement.recommendations
    steps = []
    if context.live:
        pass  # a snapshot stands alone: its neighbours are in the live explorer
    elif number > 1:
        steps.append(link(context.href(path, recommendation_path(recs[number - 2])), "← Previous recommendation"))
    if number < count and not context.live:
        steps.append(link(context.href(path, recommendation_path(recs[number])), "Next recommendation →"))
    if steps:
        body.append(f'<nav class="kit" aria-label="Recommendations">{"".join(steps)}</nav>')
    heading = f"{addressee.heading}: recommendation {recommendation.order}"
    html = document(
        f"Recommendation {number} of {count} · {KIT_TITLE}",
        heading,
        "\n".join(body),
        context.shell(path),
        charts=shown is not None,
    )
    short = recommendation.text if len(recommendation.text) <= 110 else recommendation.text[:107].rstrip() + "…"
    return Page(path, f"{recommendation.order}. {short}", addressee.heading, html)


def recommendation_pages(context: KitContext) -> Iterator[Page]:
    """One page per recommendation, in the statement's order: the text, its themes and what measures it."""
    for number, recommendation in enumerate(context.data.statement.recommendations, start=1):
        yield _recommendation_page(context, number, recommendation)


# --- countries ---------------------------------------------------------------------------------------------------


def _panel(context: KitContext, path: str, index: int, name: str, panel: SeriesPanel) -> str:
    parts = [f"<h3>{esc(panel.title)}</h3>"]
    if panel.figure is None:
        parts.append(f'<p class="muted">{esc(panel.empty)}</p>')
        parts.append(_source_line(panel.source))
        return "\n".join(parts)
    kind = "Bar chart" if any(isinstance(t, go.Bar) for t in panel.figure.data) else "Line chart"
    alt = f"{kind}: {panel.title}, {name}, by year. The table below gives every value shown."
    parts.append(
        f"<figure>{chart(f'panel-{index}', panel.figure, alt, context.template, context.chart_config(path))}"
        f"<figcaption>{esc(panel.caption or alt)}</figcaption></figure>"
    )
    parts.append(table(figure_table(panel.figure), f"{panel.title}, {name}: the values in the chart"))
    if panel.notes is not None and len(panel.notes):
        parts.append(table(panel.notes, f"Notes on the figures for {name}"))
    parts.append(_source_line(panel.source))
    return "\n".join(parts)


def _country_page(context: KitContext, iso3: str, path: str = "", themes: Sequence[str] = ()) -> Page:
    data = context.data
    path = path or country_path(iso3)
    view = build_country_view(data, iso3, themes)
    body = [f'<p class="subtitle">{esc(view.subtitle)}</p>']
    if view.map is not None:
        body.append(_map_block(context, path, "map", view.map_title, view.map))
    body.append("<h2>Over time</h2>")
    body += [_panel(context, path, i, view.title, panel) for i, panel in enumerate(view.panels, start=1)]
    if view.standings:
        body.append("<h2>Freedom on the Net pillars</h2>")
        body.append(items(view.standings))
        if view.weakest:
            body.append(f"<p>Lowest-ranked pillar: {esc(view.weakest)}. The recommendations on its themes:</p>")
            body.append(
                "<ul>"
                + "".join(
                    f"<li>{esc(r.text) if context.live else link(context.href(path, recommendation_path(r)), r.text)}</li>"
                    for r in view.weakest_recommendations
                )
                + "</ul>"
            )
    body.append("<h2>Signatories</h2>")
    if view.based or view.focused:
        body.append(items([*view.based, *view.focused]))
    else:
        body.append(f"<p>No signatory of the statement is based in or works on {esc(view.title)}.</p>")
    for title, text, note, source in view.categorical:
        body.append(f"<h2>{esc(title)}</h2>")
        body.append(paragraphs([text]))
        if note:
            body.append(f'<p class="muted">Note: {esc(note)}</p>')
        if source:
            body.append(f'<p class="source">Source: <span class="url">{esc(source)}</span></p>')
    html = document(f"{view.title} · {KIT_TITLE}", view.title, "\n".join(body), context.shell(path), charts=True)
    return Page(path, view.title, "", html)


def country_pages(context: KitContext) -> Iterator[Page]:
    """One profile per exported country: its sub-region's map, every series over time, signatories, votes."""
    for iso3 in context.countries:
        yield _country_page(context, iso3)


# --- the handout -------------------------------------------------------------------------------------------------


def signatory_map(data: ExplorerData, height: int = 190) -> go.Figure:
    """The slides' map of the signatories, made small enough for the printed handout."""
    figure = signatories_map(data, height)
    figure.update_layout(legend={"y": -0.06, "font": {"size": 9}}, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return figure


def _source_item(row: Mapping[str, str]) -> str:
    # The file names the data; its title, vintage and coverage are on the index page, which has room for them.
    parts = [row.get("File", ""), row.get("Producer", ""), f"Licence: {row.get('Licence', '')}", row.get("URL", "")]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _source_entry(row: Mapping[str, str]) -> str:
    fields = [
        f"<strong>{esc(row.get('Title', ''))}</strong> (<code>{esc(row.get('File', ''))}</code>)",
        *(
            f"{label}: {esc(row[key])}"
            for key, label in (
                ("Producer", "Producer"),
                ("Source", "Source"),
                ("Licence", "Licence"),
                ("Vintage", "Vintage"),
                ("Accessed", "Accessed"),
                ("Coverage", "Coverage"),
            )
            if row.get(key)
        ),
    ]
    if row.get("URL"):
        # The address is text, not a link: nothing in the kit points the browser at another host.
        fields.append(f'Where: <span class="url">{esc(row["URL"])}</span>')
    return "<li>" + ". ".join(fields) + ".</li>"


HANDOUT_SOURCES = ("statement/", "geo/", "topojson/")


def handout_pages(context: KitContext) -> Iterator[Page]:
    """The printable one-page handout: the 14 recommendations verbatim, the signatories' map, the sources."""
    data = context.data
    statement = data.statement
    path = HANDOUT
    groups = []
    for addressee in statement.addressees:
        recs = [r for r in statement.recommendations if r.addressee == addressee.id]
        if recs:
            groups.append(f"<section><h3>{esc(addressee.heading)}</h3>{items((r.text for r in recs), True)}</section>")
    signatories = pd.DataFrame(
        {
            "Signatory": [s.name for s in statement.signatories],
            "Based in": [country_name(s.base_iso3) if s.base_iso3 else "unknown" for s in statement.signatories],
        }
    )
    known = sum(s.origin_known for s in statement.signatories)
    alt = (
        f"World map of the signatories: filled circles where {known} of the {len(statement.signatories)} are based, "
        "open diamonds on the countries they work on. The table lists all of them."
    )
    figure = signatory_map(data)
    # The sources of what the page shows (the statement, its signatories, the map): A4 has no room for every dataset.
    shown_sources = [row for row in context.sources if row.get("File", "").startswith(HANDOUT_SOURCES)]
    dates = f"{statement.date_start} to {statement.date_end}" if statement.date_end else statement.date_start
    body = [
        f'<p class="subtitle">{esc(statement.subtitle)} · {esc(statement.event)}, {esc(statement.place)}, '
        f"{esc(dates)}</p>",
        f"<h2>The {len(statement.recommendations)} recommendations (verbatim)</h2>",
        f'<div class="recs">{"".join(groups)}</div>',
        "<h2>The signatories</h2>",
        '<div class="side">',
        f"<figure>{chart('map', figure, alt, context.template, context.chart_config(path))}"
        f"<figcaption>{esc(alt)}</figcaption></figure>",
        table(signatories, f"The {len(statement.signatories)} signatories", css_class="data"),
        "</div>",
        "<h2>Sources and licences</h2>",
        f'<ol class="sources">{"".join(f"<li>{esc(_source_item(row))}</li>" for row in shown_sources)}</ol>',
        f"<p>The sources of the {len(context.sources) - len(shown_sources)} indicator, company and project files "
        "are on the kit's index page.</p>",
    ]
    html = document(
        f"Handout · {statement.title} · {KIT_TITLE}",
        statement.title,
        "\n".join(body),
        context.shell(path),
        body_class="handout",
        charts=True,
    )
    yield Page(path, "The statement on one page: recommendations, signatories' map, sources (A4)", "", html)


# --- the slides ----------------------------------------------------------------------------------------------------


def slide_path(number: int) -> str:
    """Where slide ``number`` goes (two digits, so a folder listing keeps the deck's order)."""
    return f"{SLIDES_DIR}/slide-{number:02d}.html"


def _slide_page(context: KitContext, view: SlideView) -> Page:
    path = slide_path(view.number)
    steps = [link(context.href(path, slide_path(view.number - 1)), "← Previous slide")] if view.number > 1 else []
    steps.append(f'<span aria-current="page">Slide {esc(view.counter)}</span>')
    if view.number < view.total:
        steps.append(link(context.href(path, slide_path(view.number + 1)), "Next slide →"))
    nav = f'<nav class="kit slides" aria-label="Slides">{"".join(steps)}</nav>'
    body = [nav, f'<p class="subtitle">{esc(view.subtitle)}</p>' if view.subtitle else ""]
    if view.numbers:
        body.append(
            '<ul class="numbers">'
            + "".join(f"<li><strong>{esc(value)}</strong> {esc(label)}</li>" for label, value in view.numbers)
            + "</ul>"
        )
    body.append(paragraphs(view.body))
    if view.link:
        # A kit has no address of its own: the QR code needs the live explorer's, which only the app knows.
        body.append(
            f'<p class="notice">In the live explorer this slide shows a QR code of the view <code>{esc(view.link)}</code>'
            "; present from the app (<code>/present</code>) to show it.</p>"
        )
    body += [
        f'<blockquote class="verbatim"><p><strong>{esc(q.label)}.</strong> {esc(q.text)}</p></blockquote>'
        for q in view.quotes
    ]
    shown = view.figure
    if shown is not None:
        body.append(paragraphs(shown.facts))
    body += [f'<p class="notice">{esc(line)}</p>' for line in view.missing]
    if view.source:
        body.append(_source_line(view.source))
    if shown is not None:
        body += [f'<p class="notice">{esc(text)}</p>' for text in shown.warnings]
        body.append(
            f"<figure>{chart('figure', shown.figure, shown.alt, context.template, context.chart_config(path))}"
            f"<figcaption>{esc(shown.alt)}</figcaption></figure>"
        )
        body.append(paragraphs(shown.notes, "muted"))
        body.append(table(shown.table, shown.table_caption, {"Country": context.country_link(path)}))
        body.append(_absent_details(shown.absent))
        body.append(_source_line(shown.source))
    body.append(f"<details><summary>Speaker notes</summary>{paragraphs([view.notes])}</details>")
    body.append(nav.replace('aria-label="Slides"', 'aria-label="Slides (end of page)"'))
    html = document(
        f"Slide {view.counter}: {view.title} · {KIT_TITLE}",
        view.title,
        "\n".join(body),
        context.shell(path),
        body_class="slide",
        charts=shown is not None,
    )
    return Page(path, f"{view.number}. {view.title}", "", html)


def slide_pages(context: KitContext) -> Iterator[Page]:
    """One page per slide of ``data/slides/slides.yaml``: the same view model as /present, with prev/next links."""
    if not has_slides(context.data_dir):
        return
    data = context.data
    vocabulary = slide_vocabulary(data.statement, data.store, data.links)
    for view in build_deck(data, load_slides(context.data_dir, vocabulary), KIT_SLIDE_HEIGHT):
        yield _slide_page(context, view)


# --- the index ---------------------------------------------------------------------------------------------------

# The extension point. A builder is a function from the KitContext to the pages of its section, and the index lists
# the sections in this order.
SECTIONS: tuple[Section, ...] = (
    Section("Handout", "A one-page summary to print (A4).", handout_pages),
    Section(
        "Slides",
        "The presenter's deck of /present (data/slides/slides.yaml), one page per slide, each with its speaker notes.",
        slide_pages,
    ),
    Section(
        "Recommendations",
        "Each recommendation verbatim, its themes, and the map and ranking of the first indicator that measures it.",
        recommendation_pages,
    ),
    Section(
        "Countries",
        "Every country with a figure: its sub-region's map, each indicator over time, the signatories linked to it "
        "and its WCIT-12 vote.",
        country_pages,
        columns=True,
    ),
)


def statement_intro(statement: Statement) -> list[str]:
    """The statement's subtitle, event, place, dates and counts, as the kit's front pages open."""
    dates = f"{statement.date_start} to {statement.date_end}" if statement.date_end else statement.date_start
    return [
        f'<p class="subtitle">{esc(statement.subtitle)}</p>',
        f"<p>{esc(statement.event)}, {esc(statement.place)}, {esc(dates)}. "
        f"{len(statement.recommendations)} recommendations, {len(statement.signatories)} signatories.</p>",
    ]


def index_page(context: KitContext, listed: Sequence[tuple[Section, Sequence[Page]]]) -> Page:
    """The kit's front page: the statement's context and a link to every other page, section by section."""
    statement = context.data.statement
    body = [
        *statement_intro(statement),
        "<h2>The statement's context</h2>",
        paragraphs(statement.preamble),
        "<h2>About this kit</h2>",
        "<p>Every page opens from this folder by double-click, with no server and no internet connection: the charts "
        "are drawn by a copy of plotly.js in <code>assets/</code>, and every chart is followed by a table with its "
        "figures.</p>",
        f"<p>Data version <code>{esc(context.data_version)}</code> is a digest of the checksums of the data files "
        f"listed under Sources and licences; exported {esc(context.exported.isoformat())}. "
        "<code>assets/kit-manifest.json</code> lists every file of the kit and its size.</p>",
    ]
    for section, pages in listed:
        if not pages:
            continue
        body.append(f"<h2>{esc(section.title)}</h2>{paragraphs([section.intro], 'muted')}")
        css_class = ' class="columns"' if section.columns else ""
        groups: dict[str, list[Page]] = {}
        for page in pages:
            groups.setdefault(page.group, []).append(page)
        for group, members in groups.items():
            if group:
                body.append(f"<h3>{esc(group)}</h3>")
            rows = "".join(f"<li>{link(context.href(INDEX, p.path), p.title)}</li>" for p in members)
            body.append(f"<ul{css_class}>{rows}</ul>")
    if context.sources:
        body.append("<h2>Sources and licences</h2>")
        body.append("<p>Every data file behind these pages, from its provenance sidecar.</p>")
        body.append(f'<ul class="sources-full">{"".join(_source_entry(row) for row in context.sources)}</ul>')
    html = document(statement.title + " · " + KIT_TITLE, statement.title, "\n".join(body), context.shell(INDEX))
    return Page(INDEX, "Contents", "", html)


def source_rows(data_dir: Path, extra_dirs: Sequence[Path] = ()) -> tuple[Mapping[str, str], ...]:
    """The provenance of every data file (and of the map geometry the kit ships), from their sidecars."""
    rows: list[Mapping[str, str]] = list(provenance_rows(data_dir))
    for folder in extra_dirs:
        rows += provenance_rows(folder)
    return tuple(rows)
