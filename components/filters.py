"""Filter widgets. Each draws one control bound to a session-state key and returns its value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from igf_explorer.countries import Region


def render_theme_filter(theme_labels: Mapping[str, str], key: str) -> list[str]:
    """Multi-select of themes (by id, shown by label)."""
    return list(
        st.multiselect(
            "Themes",
            options=list(theme_labels),
            format_func=lambda theme_id: theme_labels.get(theme_id, theme_id),
            key=key,
            placeholder="All themes",
            help="Show what relates to any of the chosen themes.",
        )
    )


def render_region_filter(regions: Sequence[Region], key: str) -> str | None:
    """Select a UN M49 continent or sub-region (by slug); None means all regions."""
    names = {r.slug: (r.name if r.kind == "continent" else f"{r.continent} › {r.name}") for r in regions}
    chosen = st.selectbox(
        "Region (UN M49)",
        options=["", *names],
        format_func=lambda slug: names.get(slug, "All regions"),
        key=key,
        help="Continents and their sub-regions, as the UN Statistics Division's M49 standard defines them.",
    )
    return chosen or None


def render_addressee_filter(addressee_labels: Mapping[str, str], counts: Mapping[str, int], key: str) -> str | None:
    """Select one addressee group; None means all."""
    chosen = st.selectbox(
        "Addressed to",
        options=["", *addressee_labels],
        format_func=lambda a: f"{addressee_labels[a]} ({counts.get(a, 0)})" if a else "All addressees",
        key=key,
    )
    return chosen or None


def render_search_box(key: str) -> str:
    """Free-text search over the recommendations."""
    return str(
        st.text_input(
            "Search the text",
            key=key,
            placeholder="e.g. surveillance, judicial, WCIT",
            help="Every word must occur in the recommendation's text, its themes or its addressee.",
        )
    )
