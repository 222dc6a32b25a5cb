"""AppTest: the Since 2012 page renders its scorecard, the shared filters change its counts, rows link onwards."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd
import yaml
from streamlit.testing.v1 import AppTest

from components import state
from igf_explorer.registry import page_by_path
from tests.app.conftest import all_text
from tests.conftest import DATA_DIR

SINCE = page_by_path("since-2012").script
Factory = Callable[..., AppTest]
ROW = re.compile(r'<tr data-rec="([^"]*)" data-indicator="([^"]*)">(.*?)</tr>', re.S)
MOVE = re.compile(r'<td data-move="(improved|held|declined)">([0-9]*)</td>')
HREF = re.compile(r'<a href="([^"]*)" target="_self">')


def scorecard(at: AppTest) -> str:
    """The headline table's HTML (one markdown element)."""
    return next(str(m.value) for m in at.markdown if "igf-scorecard" in str(m.value))


def counts(at: AppTest) -> dict[tuple[str, str], dict[str, int]]:
    """(recommendation, indicator) → improved / held / declined, for every scored row of the table."""
    found = {}
    for rec, indicator, cells in ROW.findall(scorecard(at)):
        moves = {move: int(n) for move, n in MOVE.findall(cells) if n}
        if moves:
            found[(rec, indicator)] = moves
    return found


def independent_fotn_total_counts() -> tuple[int, int, dict[str, int]]:
    """FOTN total, 2012 against the latest edition, from the stored CSV and sidecar with plain pandas."""
    sidecar = yaml.safe_load((DATA_DIR / "indicators" / "fotn.meta.yml").read_text(encoding="utf-8"))
    rows = pd.read_csv(DATA_DIR / "indicators" / "fotn.csv")
    rows = rows[rows["indicator"] == "fotn_total"]
    scale = rows["year"].map({int(y): e["scale"] for y, e in sidecar["editions"].items()})
    rows = rows.assign(shown=rows["value"].where(scale == "higher_is_freer", 100 - rows["value"]))
    latest = int(rows["year"].max())
    wide = rows.pivot(index="iso3", columns="year", values="shown")[[2012, latest]].dropna()
    change = wide[latest] - wide[2012]
    band = float(sidecar["comparison"]["held_within"])
    moves = {
        "improved": int((change > band).sum()),
        "held": int((change.abs() <= band).sum()),
        "declined": int((change < -band).sum()),
    }
    return latest, len(change), moves


def test_the_page_renders_the_table_a_chart_per_recommendation_and_its_sources(app_at: Factory) -> None:
    at = app_at(SINCE)
    assert [t.value for t in at.title] == ["Since 2012"] and not at.error
    table = scorecard(at)
    assert table.count('scope="rowgroup"') == 14  # every recommendation has its rows
    assert "Not scored" in table and "WCIT" in table  # shown, with the reason
    charts = at.get("plotly_chart")
    assert 0 < len(charts) <= 14
    text = all_text(at) + " ".join(str(m.value) for m in at.markdown)
    assert "Source: Freedom House" in text and "What it cannot show" in text


def independent_fiw_total_counts() -> tuple[int, int, dict[str, int]]:
    """Freedom in the World's total, 2012 against the latest year, from the stored CSV and sidecar with plain pandas."""
    sidecar = yaml.safe_load((DATA_DIR / "indicators" / "fiw.meta.yml").read_text(encoding="utf-8"))
    rows = pd.read_csv(DATA_DIR / "indicators" / "fiw.csv")
    rows = rows[rows["indicator"] == "fiw_total"]
    latest = int(rows["year"].max())
    wide = rows.pivot(index="iso3", columns="year", values="value")[[2012, latest]].dropna()
    change = wide[latest] - wide[2012]
    band = float(sidecar["comparison"]["held_within"]["fiw_total"])
    moves = {
        "improved": int((change > band).sum()),
        "held": int((change.abs() <= band).sum()),
        "declined": int((change < -band).sum()),
    }
    return latest, len(change), moves


def test_the_counts_match_an_independent_computation_from_the_stored_rows(app_at: Factory) -> None:
    at = app_at(SINCE)
    latest, measured, expected = independent_fotn_total_counts()
    assert counts(at)[("intl-core-value", "fotn_total")] == expected
    # The headline is the scored measure comparing the most countries: Freedom in the World's total, said in words.
    latest, measured, expected = independent_fiw_total_counts()
    assert counts(at)[("intl-core-value", "fiw_total")] == expected
    words = " ".join(str(m.value) for m in at.markdown)
    assert (
        f"Of the {measured} countries with a figure in both years 2012 and {latest}, {expected['improved']} improved, "
        f"{expected['held']} held and {expected['declined']} declined on FIW total" in words
    )


def test_the_region_filter_changes_the_counts_and_keeps_the_world_beside(app_at: Factory) -> None:
    world = counts(app_at(SINCE))
    at = app_at(SINCE, region="africa")
    assert at.selectbox(key=state.REGION).value == "africa"
    africa = counts(at)
    key = ("intl-core-value", "fotn_total")
    assert sum(africa[key].values()) < sum(world[key].values())
    assert "Worldwide (improved / held / declined)" in scorecard(at)
    at.selectbox(key=state.REGION).set_value("eastern-asia").run()
    assert counts(at)[key] != africa[key]
    assert at.query_params["region"] == "eastern-asia"


def test_the_theme_filter_keeps_its_recommendations(app_at: Factory) -> None:
    at = app_at(SINCE, theme="access")
    recs = {rec for rec, _, _ in ROW.findall(scorecard(at))}
    assert recs == {"gov-access"}
    at.multiselect(key=state.THEMES).select("multistakeholder-governance").run()
    assert {rec for rec, _, _ in ROW.findall(scorecard(at))} == {
        "gov-access",
        "gov-wcit-delegations",
        "itu-wcit-proposals",
    }


def test_each_recommendation_links_to_its_own_page_with_the_filters(app_at: Factory) -> None:
    at = app_at(SINCE, region="africa")
    hrefs = [html.unescape(h) for h in HREF.findall(scorecard(at))]
    assert len(hrefs) == 14
    assert "recommendations?region=africa&rec=intl-core-value&indicator=fiw_total" in hrefs  # its headline measure


def test_low_bandwidth_mode_draws_no_chart(app_at: Factory) -> None:
    at = app_at(SINCE, lite="1")
    assert not at.get("plotly_chart")
    assert "Charts left out in low-bandwidth mode" in all_text(at)
