"""One view of the explorer as one kit page: the map, a recommendation, a country or the overview (a snapshot).

The builders are the kit's own (:mod:`igf_explorer.kit.pages`), given the view's state; the page stands alone, so
its navigation is the context's link to the live explorer (:attr:`KitContext.live`) and it links to no other page.
"""

from __future__ import annotations

from igf_explorer.countries import region_by_slug
from igf_explorer.filters import filter_recommendations
from igf_explorer.kit.markup import document, esc, items, paragraphs
from igf_explorer.kit.pages import KitContext, Page, _country_page, _map_block, _recommendation_page, statement_intro
from igf_explorer.registry import PageSpec
from igf_explorer.url_state import ViewState
from igf_explorer.views.map import build_map_view

# The pages a snapshot can be made of; the others (signatories, data, about, present) have no static twin.
SNAPSHOT_PAGES = ("", "map", "recommendations", "country")
SNAPSHOT_TITLE = "IGF 2012 Statement Explorer: snapshot"


class ViewPageError(ValueError):
    """A view without a static page (another page, or a country without a figure)."""


def _filters(context: KitContext, view: ViewState) -> str:
    statement = context.data.statement
    parts = []
    if view.themes:
        parts.append("Themes: " + ", ".join(statement.theme(t).label for t in view.themes))
    chosen = region_by_slug(view.region) if view.region else None
    if chosen is not None:
        parts.append(f"Region: {chosen.name}")
    return f'<p class="subtitle">{esc(" · ".join(parts))}</p>' if parts else ""


def _recommendation_list(context: KitContext, view: ViewState, heading: str) -> str:
    statement = context.data.statement
    recs = filter_recommendations(statement, view.addressee, view.themes, view.q)
    if not recs:
        return f"<h2>{esc(heading)}</h2><p>No recommendation matches this view.</p>"
    groups = []
    for addressee in statement.addressees:
        texts = [r.text for r in recs if r.addressee == addressee.id]
        if texts:
            groups.append(f"<h3>{esc(addressee.heading)}</h3>{items(texts)}")
    return f"<h2>{esc(heading)} ({len(recs)}, verbatim)</h2>" + "".join(groups)


def _map_page(context: KitContext, path: str, view: ViewState) -> Page:
    shown = build_map_view(context.data, view.themes, view.region, view.indicator, view.year, explain=False)
    body = [_filters(context, view)]
    if shown.map is None:
        title = "Map"
        body.append(
            '<p class="notice">No country indicator measures the chosen themes '
            f"({esc(', '.join(shown.unmeasured))}); no proxy is shown.</p>"
        )
    else:
        meta = context.data.store.registry.indicator(shown.map.indicator)
        title = f"Map: {meta.name}, {shown.map.year}"
        if shown.rationale:
            cannot = f" What it cannot show: {shown.caveat}" if shown.caveat else ""
            body.append(paragraphs([f"Why this indicator: {shown.rationale}{cannot}"], "muted"))
        body.append(paragraphs([shown.markers_note], "muted"))
        body.append(_map_block(context, path, "map", f"{meta.name}, {shown.map.year}", shown.map))
    if shown.unmeasured and shown.map is not None:
        body.append(f"<p>Not measured by any country indicator: {esc(', '.join(shown.unmeasured))} (no proxy).</p>")
    body.append(_recommendation_list(context, view, "The recommendations on these themes"))
    html = document(f"{title} · {SNAPSHOT_TITLE}", title, "\n".join(body), context.shell(path), charts=True)
    return Page(path, title, "", html)


def _overview_page(context: KitContext, path: str, view: ViewState) -> Page:
    statement = context.data.statement
    body = [
        *statement_intro(statement),
        _filters(context, view),
        "<h2>The statement's context</h2>",
        paragraphs(statement.preamble),
        _recommendation_list(context, view, "The recommendations"),
    ]
    html = document(f"{statement.title} · {SNAPSHOT_TITLE}", statement.title, "\n".join(body), context.shell(path))
    return Page(path, statement.title, "", html)


def _recommendations_page(context: KitContext, path: str, view: ViewState) -> Page:
    statement = context.data.statement
    if view.rec is None:
        title = "Recommendations"
        body = [_filters(context, view), _recommendation_list(context, view, "The recommendations in this view")]
        html = document(f"{title} · {SNAPSHOT_TITLE}", title, "\n".join(body), context.shell(path))
        return Page(path, title, "", html)
    number, recommendation = next((n, r) for n, r in enumerate(statement.recommendations, start=1) if r.id == view.rec)
    return _recommendation_page(context, number, recommendation, path, view.region, view.indicator, view.year)


def view_page(context: KitContext, path: str, spec: PageSpec, view: ViewState) -> Page:
    """The page at ``path`` showing ``view`` of the page ``spec``, as the kit draws it.

    Raises
    ------
    ViewPageError
        When the page has no static twin or the view's country has no figure.
    """
    if spec.url_path == "map":
        return _map_page(context, path, view)
    if spec.url_path == "recommendations":
        return _recommendations_page(context, path, view)
    if spec.url_path == "country":
        if view.country is None or view.country not in context.data.store.countries:
            raise ViewPageError("a country profile needs a country with a figure (country=ISO3)")
        return _country_page(context, view.country, path, view.themes)
    if spec.url_path == "":
        return _overview_page(context, path, view)
    raise ViewPageError(
        f"{spec.route} has no static snapshot (pages with one: {', '.join('/' + p for p in SNAPSHOT_PAGES)})"
    )
