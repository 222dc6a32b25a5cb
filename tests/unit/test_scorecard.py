"""The Since 2012 scorecard on a small fixture store: counts, the held band, the nearest period, breaks, regions,
company series, and the comparison blocks that rule them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from igf_explorer.companies import Companies, Company, CompanyStore
from igf_explorer.comparison import check_comparisons, parse_comparison
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import TIDY_COLUMNS, DatasetMeta, Registry
from igf_explorer.links import Link
from igf_explorer.metadata import Sidecar
from igf_explorer.statement import Addressee, Recommendation, Statement, Theme
from igf_explorer.views import ExplorerData
from igf_explorer.views.since2012 import (
    Panel,
    build_since2012,
    company_panel,
    compare,
    latest_period,
    move_of,
    nearest_period,
    signed,
)

# --- the fixture ------------------------------------------------------------------------------------------------


def dataset(ident: str, indicators: list[dict[str, Any]], kind: str = "country", **fields: Any) -> DatasetMeta:
    """A dataset as load_registry builds it from a sidecar (``fields`` are the sidecar's other keys)."""
    sidecar_fields = {"id": ident, "file": f"{ident}.csv", "producer": f"Producer {ident}", **fields}
    sidecar = Sidecar(
        Path(f"/fixture/indicators/{ident}.meta.yml"), Path(f"/fixture/indicators/{ident}.csv"), sidecar_fields
    )
    model = {key: value for key, value in sidecar_fields.items() if key in DatasetMeta.model_fields}
    return DatasetMeta.model_validate(
        {**model, "kind": kind, "path": sidecar.data_path, "sidecar": sidecar, "indicators": indicators}
    )


def indicator(ident: str, direction: str = "higher_is_freer", top: float = 100, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "name": ident.capitalize(),
        "short_name": ident.capitalize(),
        "unit": "points",
        "range": [0, top],
        "direction": direction,
        "themes": ["t-a"],
        "decimals": 0,
        **extra,
    }


SCORE = dataset("score", [indicator("freedom")], comparison={"held_within": 1, "note": "a fixture band"})
# Published on the inverted scale up to 2018, like Freedom on the Net.
EDITIONS = dataset(
    "editions",
    [indicator("inverted", "by_edition")],
    periods={"label": "edition"},
    editions={2012: {"scale": "lower_is_freer", "size": 5}, 2020: {"scale": "higher_is_freer"}},
    comparison={"held_within": 2, "breaks": [{"period": 2019, "comparable": True, "note": "scale inverted in 2019"}]},
)
LATE = dataset("late", [indicator("events", "lower_is_freer", 1000)], comparison={"absent_counts_as": 0})
BROKEN = dataset(
    "broken",
    [indicator("method")],
    comparison={"breaks": [{"period": 2016, "comparable": False, "note": "the method was revised in 2016"}]},
)
CATEGORY = dataset("category", [indicator("member", "not_applicable", 1, categories={1: "member", 0: "not a member"})])
COUNT = dataset("count", [indicator("requests", "not_applicable", 10_000)])
REGISTRY = Registry((SCORE, EDITIONS, LATE, BROKEN, CATEGORY, COUNT))

ROWS = [
    # freedom: 2011, 2012, 2020. NGA +5 (improved), KEN -3 (declined), FRA +1 (held, the band is 1), DEU -1 (held),
    # USA only in 2012 and BRA only in 2020 (not measured in both).
    *[("NGA", 2011, "freedom", 40), ("NGA", 2012, "freedom", 50), ("NGA", 2020, "freedom", 55)],
    *[("KEN", 2012, "freedom", 60), ("KEN", 2020, "freedom", 57)],
    *[("FRA", 2012, "freedom", 80), ("FRA", 2020, "freedom", 81)],
    *[("DEU", 2012, "freedom", 85), ("DEU", 2020, "freedom", 84)],
    *[("USA", 2012, "freedom", 75), ("BRA", 2020, "freedom", 70)],
    # inverted: 2012 published with 0 = most free (display = 100 - value), 2020 with 100 = most free.
    # NGA 70 → 40 published is 30 → 40 on one scale: +10; KEN 20 → 75 is 80 → 75: -5; FRA 10 → 91 is 90 → 91: held.
    *[("NGA", 2012, "inverted", 70), ("NGA", 2020, "inverted", 40)],
    *[("KEN", 2012, "inverted", 20), ("KEN", 2020, "inverted", 75)],
    *[("FRA", 2012, "inverted", 10), ("FRA", 2020, "inverted", 91)],
    # events (lower is freer, a count of events): no 2012; 2014 and 2018. NGA 3 → 1 improved, KEN none → 2 declined.
    *[("NGA", 2014, "events", 3), ("NGA", 2018, "events", 1), ("KEN", 2018, "events", 2)],
    *[("NGA", 2012, "method", 10), ("NGA", 2020, "method", 30)],
    *[("NGA", 2012, "member", 1), ("KEN", 2012, "member", 0)],
    *[("NGA", 2012, "requests", 5), ("NGA", 2020, "requests", 50)],
]


def store() -> IndicatorStore:
    frame = pd.DataFrame(
        [
            {"iso3": c, "year": y, "indicator": i, "value": float(v), "status": "", "note": "", "source": ""}
            for c, y, i, v in ROWS
        ]
    )
    return IndicatorStore(frame.loc[:, list(TIDY_COLUMNS)], REGISTRY)


THEMES = (Theme("t-a", "Theme A", ""), Theme("t-b", "Theme B", ""), Theme("t-c", "Theme C", ""))
RECS = (
    Recommendation("r-score", "gov", 1, "First words.", ("t-a",)),
    Recommendation("r-many", "gov", 2, "Second words.", ("t-b", "t-c")),
    Recommendation("r-none", "gov", 3, "Third words.", ("t-c",)),
)
STATEMENT = Statement(
    "Title", "", "", "", "", "", (), (), (Addressee("gov", "Governments", "To Governments"),), RECS, THEMES, (), ""
)
LINKS = (
    Link("t-a", "freedom", "Freedom measures A.", "It cannot show A's details."),
    Link("t-b", "member", "Membership is B.", "Membership is not practice."),
    Link("t-b", "inverted", "Inverted measures B.", "Inverted cannot show B alone."),
    Link("t-b", "events", "Events measure B.", "Recorded events only."),
    Link("t-b", "method", "Method measures B.", "Method cannot show B."),
    Link("t-b", "requests", "Requests are B.", "Requests are not practice."),
    Link("t-b", "rated", "Companies are rated on B.", "Ratings are disclosures."),
)


def data() -> ExplorerData:
    return ExplorerData(STATEMENT, store(), LINKS, None)  # type: ignore[arg-type]  # geometry is not needed


def scores(view: Any, rec: str) -> dict[str, Any]:
    item = next(r for r in view.recommendations if r.recommendation.id == rec)
    return {s.indicator: s for s in item.scores}


# --- the rules ----------------------------------------------------------------------------------------------------


def test_small_rules() -> None:
    assert nearest_period([2009, 2014, 2018]) == 2014
    assert nearest_period([2011, 2013]) == 2011  # the earlier of two as near
    assert nearest_period([]) is None
    assert [move_of(c, 1, True) for c in (2, 1, -1, -1.5)] == ["improved", "held", "held", "declined"]
    assert move_of(-3, 0, False) == "improved"  # lower is freer: a fall is an improvement
    assert (signed(3, 0), signed(-1.25, 1), signed(0.04, 1)) == ("+3", "-1.2", "0")


def test_a_sparse_newest_period_gives_way_to_the_latest_well_covered_one() -> None:
    rows = [(c, 2012) for c in "ABCDEFGHIJ"] + [(c, 2022) for c in "ABCDEFGHI"] + [(c, 2023) for c in "AB"]
    values = pd.DataFrame(rows, columns=["subject", "year"]).assign(value=1.0)
    assert latest_period(values) == 2022  # 9 of the best-covered 10 (90 %); 2023 holds 2
    assert latest_period(values[values["subject"].isin(["A", "B"])]) == 2023  # equally covered: the newest
    assert latest_period(values.iloc[0:0]) is None


def test_counts_and_the_held_band() -> None:
    score = scores(build_since2012(data()), "r-score")["freedom"]
    assert score.scored and score.headline and (score.baseline, score.latest) == (2012, 2020)
    world = score.world
    assert world is not None
    assert (world.measured, world.improved, world.held, world.declined) == (4, 1, 2, 1)
    assert world.median == 0  # changes +5, -3, +1, -1
    assert world.rise == ("Nigeria", 5) and world.fall == ("Kenya", -3)
    assert set(score.changes["subject"]) == {"NGA", "KEN", "FRA", "DEU"}  # USA and BRA lack one of the periods
    assert "Held: a change of at most 1 either way (a fixture band)." in score.notes
    assert score.summary.startswith("Of the 4 countries with a figure in both years 2012 and 2020, 1 improved, 2 held")
    assert score.source == "Producer score; years 2012 and 2020"
    assert (score.rationale, score.caveat) == ("Freedom measures A.", "It cannot show A's details.")


def test_editions_on_either_scale_are_compared_on_the_display_scale() -> None:
    score = scores(build_since2012(data()), "r-many")["inverted"]
    assert score.scored and score.headline
    changes = score.changes.set_index("subject")
    assert changes.loc["NGA", ["start", "end", "change"]].tolist() == [30, 40, 10]
    assert changes.loc["KEN", "move"] == "declined" and changes.loc["FRA", "move"] == "held"
    assert "scale inverted in 2019" in score.notes  # a comparable break: scored, and said
    assert (
        "The 2012 edition is only partly in this project's data (3 of the 5 countries Producer editions assessed)."
        in score.notes
    )


def test_the_nearest_period_stands_in_for_2012_and_says_so() -> None:
    score = scores(build_since2012(data()), "r-many")["events"]
    assert score.scored and not score.headline  # "inverted" comes first in link order
    assert (score.baseline, score.latest, score.baseline_note) == (2014, 2018, "nearest period: 2014")
    world = score.world
    assert world is not None
    # absent_counts_as 0: KEN had none recorded in 2014, so it is compared (0 → 2, a decline on a lower-is-freer count).
    assert (world.measured, world.improved, world.declined) == (2, 1, 1)
    assert "Events has no figures for 2012; 2014 is the nearest year with data." in score.notes
    assert "either year 2014 or 2018" in score.summary


def test_the_headline_is_the_scored_measure_that_compares_the_most_subjects() -> None:
    # "events" first in link order compares 2 countries, "inverted" 3: the wider one speaks for the recommendation.
    reordered = (
        Link("t-b", "events", "Events measure B.", "Recorded events only."),
        Link("t-b", "inverted", "Inverted measures B.", "Inverted cannot show B alone."),
    )
    view = build_since2012(ExplorerData(STATEMENT, store(), reordered, None))  # type: ignore[arg-type]
    found = scores(view, "r-many")
    assert found["inverted"].headline and not found["events"].headline
    assert (found["inverted"].world.measured, found["events"].world.measured) == (3, 2)  # type: ignore[union-attr]


def test_a_non_comparable_break_and_other_unscorable_measures_say_why() -> None:
    found = scores(build_since2012(data()), "r-many")
    method = found["method"]
    assert not method.scored and method.world is None
    assert method.reason == "2012 → 2020 crosses the 2016 break: the method was revised in 2016"
    assert found["member"].reason == "a category (member / not a member), not a score with a freer direction"
    assert "direction is not applicable" in found["requests"].reason
    assert found["rated"].reason == "no loaded dataset holds 'rated' (run igf-explorer check)"
    table = build_since2012(data()).table
    rows = table[table["rec"] == "r-many"]
    assert rows["Indicator"].tolist() == ["Inverted", "Events", "Not scored"]  # scored in link order, then the rest
    note = rows["Note"].iloc[-1]
    assert note.startswith("Member: a category") and "Method: 2012 → 2020 crosses the 2016 break" in note


def test_a_recommendation_without_a_linked_measure_and_its_themes() -> None:
    view = build_since2012(data())
    item = next(r for r in view.recommendations if r.recommendation.id == "r-none")
    assert item.scores == () and item.unmeasured and item.headline is None
    assert ("Theme C", "no indicator or company series in this project's data measures it") in view.unmeasured
    assert view.table[view.table["rec"] == "r-none"]["Indicator"].tolist() == ["Not scored"]


def test_the_region_filter_changes_the_counts_and_keeps_the_world_beside() -> None:
    world = scores(build_since2012(data()), "r-score")["freedom"]
    africa = scores(build_since2012(data(), region="africa"), "r-score")["freedom"]
    assert africa.world is not None and world.world is not None
    assert africa.world.measured == world.world.measured == 4
    assert africa.region is not None and africa.region.scope == "Africa"
    assert (africa.region.measured, africa.region.improved, africa.region.declined) == (2, 1, 1)
    assert set(africa.changes["subject"]) == {"NGA", "KEN"}
    assert "in Africa" in africa.summary
    table = build_since2012(data(), region="africa").table
    row = table[(table["rec"] == "r-score") & (table["indicator"] == "freedom")].iloc[0]
    assert (row["Improved"], row["Held"], row["Declined"]) == (1, 0, 1)
    assert row["Worldwide (improved / held / declined)"] == "1 / 2 / 1 of 4"


def test_the_theme_filter_keeps_its_recommendations_and_their_measures_of_it() -> None:
    view = build_since2012(data(), themes=("t-b",))
    assert [r.recommendation.id for r in view.recommendations] == ["r-many"]
    assert [r.recommendation.id for r in build_since2012(data(), themes=("t-c",)).recommendations] == [
        "r-many",
        "r-none",
    ]
    assert scores(build_since2012(data(), themes=("t-c",)), "r-many") == {}  # r-many's t-c has no measure


def test_an_indicator_is_scored_once_and_its_chart_drawn_once() -> None:
    twice = (*RECS, Recommendation("r-again", "gov", 4, "Fourth words.", ("t-a",)))
    statement = Statement("T", "", "", "", "", "", (), (), STATEMENT.addressees, twice, THEMES, (), "")
    view = build_since2012(ExplorerData(statement, store(), LINKS, None))  # type: ignore[arg-type]
    first, again = scores(view, "r-score")["freedom"], scores(view, "r-again")["freedom"]
    assert first.figure is not None and first.figure is again.figure
    bars = {trace.name: list(trace.y) for trace in first.figure.data}
    assert bars == {"Improved (1)": [5], "Held (2)": [-1, 1], "Declined (1)": [-3]}


# --- company series ----------------------------------------------------------------------------------------------

RATED = dataset("rated", [indicator("rated")], kind="company", comparison={"held_within": 0})
COMPANY_ROWS = pd.DataFrame(
    {
        "company": ["acme", "acme", "globex", "globex", "initech", "initech"],
        "year": [2015, 2022, 2015, 2022, 2015, 2022],
        "indicator": ["rated"] * 6,
        "value": [40.0, 55.0, 60.0, 50.0, 30.0, 30.0],
        "status": [""] * 6,
        "note": [""] * 6,
        "source": [""] * 6,
    }
)
COMPANIES = Companies(
    (
        Company(id="acme", name="Acme", hq_iso3="NGA", kind="platform", source="fixture"),
        Company(id="globex", name="Globex", hq_iso3="USA", kind="telco", source="fixture"),
        Company(id="initech", name="Initech", hq_iso3=None, kind="other", source="fixture"),
    )
)


def test_company_series_are_scored_the_same_way_over_companies() -> None:
    companies = CompanyStore(COMPANY_ROWS, Registry((), (RATED,)), COMPANIES)
    view = build_since2012(data(), companies=companies)
    rated = scores(view, "r-many")["rated"]
    assert rated.kind == "company" and rated.scored and (rated.baseline, rated.latest) == (2015, 2022)
    assert rated.baseline_note == "nearest period: 2015"
    world = rated.world
    assert world is not None
    assert (world.measured, world.improved, world.held, world.declined) == (3, 1, 1, 1)
    assert world.rise == ("Acme", 15) and world.fall == ("Globex", -10)
    assert rated.summary.startswith("Of the 3 companies with a figure in both years 2015 and 2022")
    # By headquarters region: Initech's is unknown, so it is left out and said so.
    in_africa = scores(build_since2012(data(), region="africa", companies=companies), "r-many")["rated"]
    assert in_africa.region is not None
    assert (in_africa.region.measured, in_africa.region.improved) == (1, 1)
    assert in_africa.region.left_out == "1 company of unknown headquarters left out"


def test_a_company_panel_is_an_interface_any_company_source_can_fill() -> None:
    values = COMPANY_ROWS.rename(columns={"company": "subject"})[["subject", "year", "value"]]
    homes = {"acme": "NGA", "globex": "USA", "initech": None}
    panel = Panel(
        "company",
        "companies",
        {"rated": RATED.indicators[0]},
        lambda _: RATED,
        lambda _: values,
        homes.__getitem__,
        str.capitalize,
    )
    rated = scores(build_since2012(data(), companies=panel), "r-many")["rated"]
    assert rated.world is not None and rated.world.measured == 3
    assert company_panel(CompanyStore(COMPANY_ROWS, Registry((), (RATED,)), COMPANIES)).home("initech") is None


# --- an independent count, straight from the store's rows ------------------------------------------------------------


def test_the_counts_match_a_plain_pandas_computation_from_the_stored_rows() -> None:
    rows = store().rows("inverted")
    # The published scale of each edition, from the sidecar; on the display scale higher is freer.
    scales = {year: edition.scale for year, edition in EDITIONS.editions.items()}
    shown = rows["value"].where(rows["year"].map(scales) == "higher_is_freer", 100 - rows["value"])
    wide = rows.assign(shown=shown).pivot(index="iso3", columns="year", values="shown").dropna()
    change = wide[2020] - wide[2012]
    expected = {
        "improved": int((change > 2).sum()),
        "held": int((change.abs() <= 2).sum()),
        "declined": int((change < -2).sum()),
    }
    score = scores(build_since2012(data()), "r-many")["inverted"]
    assert score.world is not None and score.world.counts() == expected
    assert score.world.median == change.median()


# --- the comparison block ----------------------------------------------------------------------------------------


def test_a_dataset_without_a_block_gets_the_defaults() -> None:
    comparison, problems = parse_comparison(COUNT)
    assert problems == [] and comparison.band("requests") == 0 and comparison.breaks == ()
    assert comparison.crossed(2000, 2030) == ()
    assert parse_comparison(EDITIONS)[0].crossed(2012, 2020)[0].period == 2019
    assert parse_comparison(EDITIONS)[0].crossed(2019, 2020) == ()  # the break is the first period of the new method


def test_a_bad_block_gives_every_problem_located_and_is_not_scored() -> None:
    bad = dataset(
        "bad",
        [indicator("bad")],
        comparison={"held_within": -1, "breaks": [{"period": "soon", "comparable": True}], "extra": 1},
    )
    per_indicator = dataset("per", [indicator("per")], comparison={"held_within": {"per": 1, "other": 2}})
    twice = dataset(
        "twice",
        [indicator("twice")],
        comparison={"breaks": [{"period": 2019, "comparable": True, "note": "a"}] * 2},
    )
    problems = check_comparisons(Registry((bad, per_indicator, twice)))
    located = {(p.file, p.column) for p in problems}
    assert ("indicators/bad.meta.yml", "comparison.breaks.0.period") in located
    assert ("indicators/bad.meta.yml", "comparison.breaks.0.note") in located
    assert ("indicators/bad.meta.yml", "comparison.extra") in located
    assert any(p.file == "indicators/bad.meta.yml" and "held_within" in str(p.column) for p in problems)
    assert ("indicators/per.meta.yml", "comparison.held_within") in located
    assert any("'other'" in p.message for p in problems)
    assert any(p.file == "indicators/twice.meta.yml" and "more than once" in p.message for p in problems)
    comparison, _ = parse_comparison(bad)
    assert "invalid" in comparison.not_scored
    shown = scores(
        build_since2012(
            ExplorerData(
                STATEMENT,
                IndicatorStore(store().tidy(["freedom"]).assign(indicator="bad"), Registry((bad,))),
                (Link("t-a", "bad", "r", "c"),),
                None,
            )  # type: ignore[arg-type]
        ),
        "r-score",
    )["bad"]
    assert not shown.scored and "invalid" in shown.reason


def test_the_shipped_sidecars_comparison_blocks_are_valid() -> None:
    from igf_explorer.indicators import load_registry
    from tests.conftest import DATA_DIR

    registry = load_registry(DATA_DIR)
    assert check_comparisons(registry) == []
    fotn = parse_comparison(registry.dataset_of("fotn_total"))[0]
    assert [(b.period, b.comparable) for b in fotn.breaks] == [(2019, True)]
    assert parse_comparison(registry.dataset_of("wcit12_signed"))[0].not_scored


@pytest.mark.parametrize("absent", [None, 0.0])
def test_compare_keeps_only_subjects_it_can_compare(absent: float | None) -> None:
    values = pd.DataFrame({"subject": ["a", "a", "b", "c"], "year": [1, 2, 1, 2], "value": [1.0, 2.0, 3.0, 4.0]})
    subjects = set(compare(values, 1, 2, 0, True, absent)["subject"])
    assert subjects == ({"a"} if absent is None else {"a", "b", "c"})
