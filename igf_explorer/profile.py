"""A country's whole picture: every indicator over time, its weakest FOTN pillar, its signatories and WCIT-12 vote."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from igf_explorer.fotn import FOTN_MAXIMA, crosses_scale_break, to_display_scale
from igf_explorer.statement import Signatory, Statement

PILLARS = ("fotn_obstacles", "fotn_limits", "fotn_violations")


@dataclass(frozen=True)
class PillarStanding:
    """A pillar's score in one edition and where it ranks among the countries covered that edition."""

    indicator: str
    edition: int
    score: float  # display scale, higher = freer
    maximum: float
    percentile: float  # share of covered countries that score lower (freer = higher)
    covered: int


def fotn_history(store: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """FOTN total and pillars as a share of their maximum on the display scale (higher = freer), by edition."""
    rows = store[(store["iso3"] == iso3) & store["indicator"].isin(list(FOTN_MAXIMA))]
    shown = to_display_scale(rows)
    return shown.assign(share=100 * shown["value"] / shown["indicator"].map(FOTN_MAXIMA))


def history(store: pd.DataFrame, iso3: str, indicator: str) -> pd.DataFrame:
    """One indicator's values for a country over time, as stored."""
    return store[(store["iso3"] == iso3) & (store["indicator"] == indicator)].sort_values("year")


def crosses_break(fotn: pd.DataFrame) -> bool:
    """Whether a FOTN history spans the 2019 scale inversion."""
    return crosses_scale_break(fotn["year"]) if len(fotn) else False


def pillar_standings(store: pd.DataFrame, iso3: str) -> list[PillarStanding]:
    """The country's pillars ranked against the other countries of one edition.

    The edition is the one, among those scoring all three pillars for this country, that covers the most countries
    (the latest among equals): a ranking among 65 countries says more than one among the 9 of a partial edition.
    """
    pillars = to_display_scale(store[store["indicator"].isin(PILLARS)])
    own = pillars[pillars["iso3"] == iso3]
    complete = own.groupby("year")["indicator"].nunique()
    editions = complete[complete == len(PILLARS)].index
    if not len(editions):
        return []
    cohort_sizes = pillars[pillars["year"].isin(editions)].groupby("year")["iso3"].nunique()
    edition = int(cohort_sizes[cohort_sizes == cohort_sizes.max()].index.max())
    standings = []
    for indicator in PILLARS:
        cohort = pillars[(pillars["indicator"] == indicator) & (pillars["year"] == edition)]
        score = float(cohort.loc[cohort["iso3"] == iso3, "value"].iloc[0])
        lower = int((cohort["value"] < score).sum())
        standings.append(
            PillarStanding(indicator, edition, score, FOTN_MAXIMA[indicator], 100 * lower / len(cohort), len(cohort))
        )
    return sorted(standings, key=lambda s: s.percentile)


def weakest(standings: list[PillarStanding]) -> list[PillarStanding]:
    """The pillar(s) ranking lowest against the other covered countries."""
    if not standings:
        return []
    lowest = standings[0].percentile
    return [s for s in standings if s.percentile == lowest]


def signatories_for(statement: Statement, iso3: str) -> tuple[list[Signatory], list[Signatory]]:
    """(based in the country, working on it from elsewhere)."""
    based = [s for s in statement.signatories if s.base_iso3 == iso3]
    focused = [s for s in statement.signatories if iso3 in s.focus_iso3 and s.base_iso3 != iso3]
    return based, focused


def change_since(store: pd.DataFrame, indicator: str, start: int, end: int) -> pd.DataFrame:
    """Per country with a figure in both: the value in ``start`` and in ``end``, on the display scale, and the change.

    One end period for every country, so that the changes are comparable.
    """
    rows = store[store["indicator"] == indicator]
    shown = to_display_scale(rows) if indicator in FOTN_MAXIMA else rows
    first = shown[shown["year"] == start].set_index("iso3")["value"]
    last = shown[shown["year"] == end].set_index("iso3")["value"]
    both = pd.DataFrame({"start": first, "end": last}).dropna()
    both.index.name = "iso3"
    return both.assign(change=both["end"] - both["start"]).reset_index()


def ranking(frame: pd.DataFrame, reverse: bool) -> pd.DataFrame:
    """Countries with a value, freest first (``frame`` from :func:`igf_explorer.mapview.map_frame`)."""
    rows = frame[(frame["state"] == "data") & frame["in_region"]]
    ordered = rows.sort_values("value", ascending=reverse)
    return pd.DataFrame(
        {"Rank": range(1, len(ordered) + 1), "Country": ordered["country"], "Value": ordered["value"].round(1)}
    )


def signatory_country_values(frame: pd.DataFrame, statement: Statement) -> pd.DataFrame:
    """The value (or why there is none) in each country where a signatory is based."""
    bases = sorted({s.base_iso3 for s in statement.signatories if s.base_iso3})
    rows = frame.set_index("iso3").reindex(bases)
    from igf_explorer.countries import country_name

    return pd.DataFrame(
        {
            "Country": [country_name(code) for code in bases],
            "Signatories": [sum(s.base_iso3 == code for s in statement.signatories) for code in bases],
            "Value": [f"{v:.1f}" if pd.notna(v) else "" for v in rows["value"]],
            "Data": [state if isinstance(state, str) else "not on the map" for state in rows["state"]],
        }
    )
