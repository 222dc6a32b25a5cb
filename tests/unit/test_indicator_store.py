"""The indicator store, the display-scale conversion, history/restore and the ingest/export round trip.

What the shipped store holds (editions, countries per edition, totals) is in its sidecars' ``expect`` blocks, which
``igf-explorer check`` compares; these tests run on the fixture store where they need figures.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igf_explorer import scales
from igf_explorer.check import check_data_dir
from igf_explorer.cli import main
from igf_explorer.indicators import load_registry, load_store
from igf_explorer.ingest.history import read_log, restore
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.problems import DataError
from igf_explorer.scales import display_value
from tests.conftest import DATA_DIR, FIXTURES, INGEST_FIXTURES, tree_digest

FIXTURE_REGISTRY = load_registry(FIXTURES / "store")


def test_every_fotn_row_names_its_source() -> None:
    store, registry = load_store(DATA_DIR)
    fotn = [i.id for i in registry.dataset_of("fotn_total").indicators]
    assert (store.loc[store.indicator.isin(fotn), "source"] != "").all()


@pytest.mark.parametrize(
    ("value", "indicator", "edition", "expected"),
    [
        (88, "fotn_total", 2018, 12),  # China 2018 as published (0 = most free)
        (12, "fotn_total", 2019, 12),
        (5, "fotn_obstacles", 2018, 20),
        (30, "fotn_limits", 2018, 5),
        (40, "fotn_violations", 2018, 0),
        (42, "internet_users", 2020, 42),
    ],
)
def test_display_value_converts_by_the_editions_scale(
    value: float, indicator: str, edition: int, expected: float
) -> None:
    meta = FIXTURE_REGISTRY.indicator(indicator)
    assert display_value(value, meta, FIXTURE_REGISTRY.dataset_of(indicator).editions.get(edition)) == expected


def test_display_value_needs_the_edition_of_a_by_edition_indicator() -> None:
    with pytest.raises(ValueError, match="fotn_total"):
        display_value(88, FIXTURE_REGISTRY.indicator("fotn_total"), None)


BY_EDITION = sorted(i.id for i in FIXTURE_REGISTRY.indicators.values() if i.direction == "by_edition")


@given(st.sampled_from(BY_EDITION), st.data())
def test_conversion_is_its_own_inverse(indicator: str, data: st.DataObject) -> None:
    meta = FIXTURE_REGISTRY.indicator(indicator)
    editions = FIXTURE_REGISTRY.dataset_of(indicator).editions
    edition = editions[data.draw(st.sampled_from(sorted(editions)))]
    value = data.draw(st.integers(min_value=int(meta.range_min), max_value=int(meta.range_max)))
    shown = display_value(value, meta, edition)
    assert meta.range_min <= shown <= meta.range_max
    assert display_value(shown, meta, edition) == value


def test_to_display_scale_reads_each_editions_scale() -> None:
    frame = pd.DataFrame(
        {
            "iso3": ["CHN", "CHN", "NGA"],
            "year": [2018, 2019, 2020],
            "indicator": ["fotn_total", "fotn_total", "internet_users"],
            "value": [88.0, 10.0, 42.0],
        }
    )
    shown = scales.to_display_scale(frame, FIXTURE_REGISTRY)
    assert shown["value"].tolist() == [12.0, 10.0, 42.0]
    assert shown["published"].tolist() == [88.0, 10.0, 42.0]
    assert shown["converted"].tolist() == [True, False, False]
    assert shown["published_scale"].tolist() == ["lower_is_freer", "higher_is_freer", ""]
    unknown = frame.assign(year=[2014, 2019, 2020])  # the fixture's sidecar has no 2014 edition
    with pytest.raises(DataError, match="no scale for editions 2014"):
        scales.to_display_scale(unknown, FIXTURE_REGISTRY)


def test_history_and_restore(data_copy: Path) -> None:
    shipped = tree_digest(data_copy / "indicators")
    entries_before = read_log(data_copy)
    report = run_ingest(INGEST_FIXTURES / "tidy_utf8.csv", data_copy)
    assert report.written
    assert tree_digest(data_copy / "indicators") != shipped
    assert check_data_dir(data_copy) == []  # the sidecar checksum follows the write
    restore(data_copy, entries_before[-1]["id"])
    log = read_log(data_copy)
    assert [e["action"] for e in log[-2:]] == ["ingest", "restore"]
    store, _ = load_store(data_copy)
    original, _ = load_store(DATA_DIR)
    pd.testing.assert_frame_equal(store, original)


def test_changed_data_file_fails_the_checksum_check(data_copy: Path) -> None:
    path = data_copy / "indicators" / "wcit12.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    assert any("sha256 does not match" in p.message for p in check_data_dir(data_copy))


def test_out_of_range_stored_value_fails_check(data_copy: Path) -> None:
    path = data_copy / "indicators" / "wcit12.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",wcit12_signed,1,", ",wcit12_signed,7,", 1), encoding="utf-8")
    problems = check_data_dir(data_copy)
    assert any(p.file == "indicators/wcit12.csv" and "value_within_indicator_range" in p.message for p in problems)


CODES = ["NGA", "KEN", "PAK", "BRA", "IND", "DEU", "XKX"]
row_strategy = st.tuples(
    st.sampled_from(CODES),
    # Within the series' period of interest (its sidecar's keep_from) and not in the future.
    st.integers(min_value=2005, max_value=2025),
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
    st.text(alphabet="abc xyz,;\"'é", max_size=12),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(row_strategy, min_size=1, max_size=30, unique_by=lambda r: (r[0], r[1])))
def test_random_tidy_frames_round_trip(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int, float, str]]
) -> None:
    import shutil

    data_dir = tmp_path_factory.mktemp("rt") / "data"
    shutil.copytree(DATA_DIR, data_dir)
    frame = pd.DataFrame(
        {
            "iso3": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "indicator": "internet_users",
            "value": [r[2] for r in rows],
            "status": "",
            "note": [r[3].strip() for r in rows],
            "source": "",
        }
    )
    path = data_dir.parent / "input.csv"
    frame.to_csv(path, index=False)
    report = run_ingest(path, data_dir)
    assert report.ok, report.problems
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(data_dir), "export", "indicators", "--indicator", "internet_users"]) == 0
    exported = pd.read_csv(
        io.StringIO(out.getvalue()),
        dtype={"status": str, "note": str, "source": str},
        keep_default_na=False,
        float_precision="round_trip",
    )
    keys = ["iso3", "year", "indicator"]
    merged = frame.merge(exported, on=keys, suffixes=("_in", "_out"))
    assert len(merged) == len(frame)
    assert (merged["value_in"] == merged["value_out"]).all()
    assert (merged["note_in"] == merged["note_out"]).all()
