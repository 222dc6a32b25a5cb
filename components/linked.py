"""A recommendation's linked indicators: which measure it and why, a small map, a ranking, and change since 2012."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from components.maps import render_map
from components.tables import render_table


def render_indicator_choice(
    options: Sequence[str], names: Mapping[str, str], rationales: Mapping[str, str], key: str
) -> str:
    """Pick one of the linked indicators; the rationale of each link is shown under it."""
    chosen = str(
        st.radio(
            "Indicators that measure this recommendation",
            options=list(options),
            format_func=lambda i: names[i],
            key=key,
            horizontal=True,
        )
    )
    st.caption(f"Why: {rationales[chosen]}")
    return chosen


def render_linked_view(
    figure: object,
    ranking: pd.DataFrame,
    signatory_values: pd.DataFrame,
    change: pd.DataFrame | None,
    change_note: str,
    key: str,
    ranking_title: str = "Ranked, highest first",
) -> str | None:
    """Small map, ranked table, the signatories' countries and change since 2012; returns a clicked country."""
    left, right = st.columns([3, 2])
    with left:
        clicked = render_map(figure, key=f"{key}.map")
    with right:
        st.markdown(f"**{ranking_title}**")
        render_table(ranking, key=f"{key}.ranking")
    st.markdown("**Where the signatories are based**")
    render_table(signatory_values, key=f"{key}.signatories")
    st.markdown("**Change since 2012**")
    if change is None or change.empty:
        st.write(change_note)
    else:
        st.caption(change_note)
        render_table(change, key=f"{key}.change")
    return clicked
