"""One indicator's map with everything that belongs under it: caveats, source, counts, the table, the gaps."""

from __future__ import annotations

import streamlit as st

from components import state
from components.exports import render_csv_download
from components.maps import render_map
from components.provenance import source_line
from components.share import keep_share_current
from components.tables import render_key_numbers, render_static_table
from igf_explorer.exports import file_stem
from igf_explorer.text import escape_markdown
from igf_explorer.views.map import IndicatorMap


def render_indicator_map(
    shown: IndicatorMap,
    key: str,
    scope: str,
    extra: dict[str, tuple[str, str | None]] | None = None,
    table_key: str = "map-table",
    title: str = "",
) -> str | None:
    """Draw the map, then its notes, source, counts, table (with its CSV) and the countries without a figure.

    Returns the ISO3 code of a country the user clicked, if any.
    """
    # Drawn inside the Map's fragment: an open share panel must not go on showing the previous period.
    keep_share_current()
    stem = file_stem("map", shown.indicator, shown.year, state.current_view().region)
    clicked = render_map(shown.figure, key=key, stem=stem, title=title, summary=shown.summary)
    # The words, the notes and the source in one caption: each element costs every new visitor's run about 0.3 ms
    # of server CPU (docs/PERFORMANCE.md).
    st.caption(
        "\n\n".join(
            [
                "In words: " + escape_markdown(shown.summary),
                *map(escape_markdown, shown.notes),
                source_line(shown.source),
            ]
        )
    )
    for warning in shown.warnings:
        st.warning(escape_markdown(warning), icon=":material/warning:")
    render_key_numbers({"Countries with a figure": (f"{shown.with_figure} of {shown.total}", scope), **(extra or {})})
    # Countries with a figure in the table; the others named in one line per reason (a 170-row HTML table cost
    # the page close to a second in the browser).
    render_static_table(shown.table, key=table_key, label=f"{title}: every country with a figure")
    render_csv_download(shown.table, shown.source, stem, key=f"{table_key}-csv")
    if shown.absent:
        st.caption(
            "\n\n".join(
                f"**{escape_markdown(reason.capitalize())}** ({len(countries)}): "
                + escape_markdown(", ".join(countries))
                for reason, countries in shown.absent
            )
        )
    return clicked
