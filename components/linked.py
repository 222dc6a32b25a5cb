"""A recommendation's linked indicators: which measure it and why, a small map, a ranking, and change since 2012."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import state
from components.exports import render_csv_download
from components.maps import render_map
from components.tables import render_static_table
from igf_explorer.exports import file_stem
from igf_explorer.text import escape_markdown
from igf_explorer.views.recommendation import RecommendationMeasures


def render_indicator_choice(
    options: Sequence[str],
    names: Mapping[str, str],
    rationales: Mapping[str, str],
    key: str,
    caveats: Mapping[str, str] | None = None,
) -> str:
    """Pick one of the linked indicators; the rationale and caveat of each link are shown under it."""
    chosen = str(
        st.radio(
            "Indicators that measure this recommendation",
            options=list(options),
            format_func=lambda i: escape_markdown(names[i]),
            key=key,
            horizontal=True,
        )
    )
    caveat = (caveats or {}).get(chosen, "")
    st.caption(
        f"Why: {escape_markdown(rationales[chosen])}"
        + (f" What it cannot show: {escape_markdown(caveat)}" if caveat else "")
    )
    return chosen


def render_period_range(periods: Sequence[int], start: int | None, end: int, key: str) -> tuple[int | None, int]:
    """Choose the two periods a change is measured between (start before end).

    With fewer than two periods there is nothing to choose: ``start`` comes back as it was (None: no change to
    measure), so the page sees no new choice and does not run again.
    """
    options = list(periods)
    if len(options) < 2:
        return (start, end)
    chosen = st.select_slider(
        "Change between", options=options, value=(start if start in options else options[0], end), key=key
    )
    first, last = (int(chosen[0]), int(chosen[1]))
    return (first, last) if first < last else (options[0], last)


def render_linked_view(measures: RecommendationMeasures, key: str) -> str | None:
    """Small map, ranked table, the signatories' countries and the change between two periods; returns a click.

    Each table has its CSV download, named after the recommendation, the indicator and the period.
    """
    assert measures.map is not None
    shown = measures.map
    region = state.current_view().region

    def stem(*what: str | int | None) -> str:
        return file_stem("recommendation", measures.recommendation.id, shown.indicator, *what, region)

    st.caption(escape_markdown(measures.period_note))
    st.caption("In words: " + escape_markdown(shown.summary))
    left, right = st.columns([3, 2])
    with left:
        title = measures.names[shown.indicator]
        clicked = render_map(
            shown.figure, key=f"{key}.map", stem=stem(shown.year, "map"), title=title, summary=shown.summary
        )
    with right:
        st.markdown(f"**{escape_markdown(measures.ranking_title)}**")
        # Plain HTML tables: readable by screen readers, by Ctrl-F and by the browser tests, unlike a canvas grid.
        render_static_table(measures.ranking, key="recs-ranking", label=measures.ranking_title)
        render_csv_download(
            measures.ranking, shown.source, stem(shown.year, "ranking"), key="recs-ranking-csv", what="the ranking"
        )
    st.markdown("**Where the signatories are based**")
    render_static_table(measures.signatories, key="recs-signatories", label="Where the signatories are based")
    render_csv_download(
        measures.signatories,
        f"signatory research, data/statement/signatories.csv; values: {shown.source}",
        stem(shown.year, "signatories"),
        key="recs-signatories-csv",
        what="the signatories' countries",
    )
    st.markdown("**Change between two periods**")
    if measures.change is None or measures.change.empty:
        st.write(escape_markdown(measures.change_note))
    else:
        st.caption(escape_markdown(measures.change_note))
        render_static_table(measures.change, key="recs-change", label="Change between two periods")
        render_csv_download(
            measures.change,
            f"{shown.source} ({measures.change_note})",
            stem(measures.start, shown.year, "change"),
            key="recs-change-csv",
            what="the change",
        )
    return clicked
