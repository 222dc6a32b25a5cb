"""The Since 2012 scorecard as drawn: one table whose rows link to each recommendation, and a small chart for each.

Few elements on purpose (each costs every visitor's run about 0.3 ms of server CPU, docs/PERFORMANCE.md): the
table is one HTML block, each recommendation's words one more, and each chart is the view's shared figure, its
dict form made once (:func:`components.display.styled`).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import display, state
from components.navigation import ViewLink
from components.tables import inert_html
from igf_explorer.registry import page_by_path
from igf_explorer.text import escape_markdown
from igf_explorer.url_state import ViewState
from igf_explorer.views.since2012 import RecommendationScores, Score, Since2012View

# The table's columns as shown; rec, indicator, kind and headline are the rows' keys.
HIDDEN = ("rec", "indicator", "kind", "headline")
COUNTS = ("Improved", "Held", "Declined")
SNIPPET = 90  # characters of the recommendation's words under its link; the whole text is the snippet's tooltip


def recommendation_links(view: Since2012View, base: ViewState) -> dict[str, str]:
    """Each recommendation's page, opened on its headline country indicator, as an address relative to this page."""
    page = page_by_path("recommendations")
    hrefs = {}
    for item in view.recommendations:
        headline = item.headline
        indicator = headline.indicator if headline is not None and headline.kind == "country" else None
        params = state.link_params(
            page.params, base, rec=item.recommendation.id, indicator=indicator, year=None, addressee=None, q=""
        )
        hrefs[item.recommendation.id] = ViewLink(item.label, page.url_path, params).href()
    return hrefs


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return inert_html(str(value))


def scorecard_table_html(table: pd.DataFrame, hrefs: Mapping[str, str], texts: Mapping[str, str]) -> str:
    """The headline table: a recommendation's rows share its linked first cell; the headline indicator is bold."""
    columns = [c for c in table.columns if c not in HIDDEN]
    head = "".join(f'<th scope="col">{inert_html(c)}</th>' for c in columns)
    body = []
    spans = Counter(str(rec) for rec in table["rec"])
    seen: set[str] = set()
    for row in table.to_dict("records"):
        rec = str(row["rec"])
        cells = []
        for column in columns:
            if column == "Recommendation":
                if rec in seen:
                    continue
                seen.add(rec)
                words = texts.get(rec, "")
                start = words if len(words) <= SNIPPET else words[: SNIPPET - 1].rstrip() + "…"
                link = f'<a href="{html.escape(hrefs[rec], quote=True)}" target="_self">{_cell(row[column])}</a>'
                cells.append(
                    f'<th scope="rowgroup" rowspan="{spans[rec]}" style="vertical-align: top">{link}'
                    f'<br><span class="igf-number-note" title="{inert_html(words)}">“{inert_html(start)}”</span></th>'
                )
                continue
            text = _cell(row.get(column))
            if column == "Indicator" and row.get("headline") is True:
                text = f"<strong>{text}</strong>"
            move = f' data-move="{column.lower()}"' if column in COUNTS else ""
            cells.append(f"<td{move}>{text}</td>")
        indicator = html.escape(str(row.get("indicator") or ""), quote=True)
        body.append(f'<tr data-rec="{html.escape(rec, quote=True)}" data-indicator="{indicator}">{"".join(cells)}</tr>')
    return (
        '<div class="igf-table-wrap" role="region" tabindex="0" aria-label="Since 2012: the scorecard">'
        f'<table class="igf-table igf-scorecard"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
    )


def _block_html(item: RecommendationScores, score: Score, href: str) -> str:
    """A recommendation's headline in words and its source; the notes, why and what it cannot show folded away."""
    words = item.recommendation.text
    quote = words if len(words) <= 160 else words[:159] + "…"
    details = [f"<p>{inert_html(note)}</p>" for note in score.notes]
    if score.rationale:
        details.append(f"<p>Why this measure: {inert_html(score.rationale)}</p>")
    if score.caveat:
        details.append(f"<p>What it cannot show: {inert_html(score.caveat)}</p>")
    return "".join(
        [
            f"<h4>{inert_html(item.label)}: {inert_html(score.name)}, {inert_html(score.periods)}</h4>",
            f"<p><em>“{inert_html(quote)}”</em></p>",
            f"<p>{inert_html(score.summary)}</p>",
            f'<p class="igf-number-note">Source: {inert_html(score.source)}</p>',
            f"<details><summary>Notes, why this measure, what it cannot show</summary>{''.join(details)}</details>",
            f'<p><a href="{html.escape(href, quote=True)}" target="_self">Open this recommendation</a></p>',
        ]
    )


def render_scorecard(view: Since2012View, base: ViewState) -> None:
    """The intro, the headline table, a small chart per scored recommendation, and the themes nothing measures."""
    hrefs = recommendation_links(view, base)
    texts = {item.recommendation.id: item.recommendation.text for item in view.recommendations}
    st.caption(escape_markdown(view.intro))
    with st.container(key="since-table"):
        st.markdown(scorecard_table_html(view.table, hrefs, texts), unsafe_allow_html=True)
    if view.unmeasured:
        items = "".join(f"<li>{inert_html(label)}: {inert_html(why)}</li>" for label, why in view.unmeasured)
        st.markdown(f"<p><strong>Not measured</strong></p><ul>{items}</ul>", unsafe_allow_html=True)
    scored = [(item, item.headline) for item in view.recommendations if item.headline is not None]
    if not scored:
        return
    lite = state.is_lite()
    if lite:
        st.caption("Charts left out in low-bandwidth mode: the table above holds the counts.")
    # A row of two at a time: on a narrow screen the columns stack, and the cards keep the statement's order.
    columns = st.columns(2)
    for index, (item, score) in enumerate(scored):
        if index and index % 2 == 0:
            columns = st.columns(2)
        with columns[index % 2]:
            st.markdown(_block_html(item, score, hrefs[item.recommendation.id]), unsafe_allow_html=True)
            if score.figure is not None and not lite:
                st.plotly_chart(
                    display.styled(score.figure),
                    key=f"since.chart.{item.recommendation.id}",
                    width="stretch",
                    config={"displaylogo": False, "displayModeBar": False},
                    alt=score.summary,
                )
