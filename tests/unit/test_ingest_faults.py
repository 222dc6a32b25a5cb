"""An ingest killed or out of disk space at any step of its write leaves the store at one version, and two ingests at
once both land: the pipeline's own path through the store's commit, not only the commit on its own."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from igf_explorer.check import check_data_dir
from igf_explorer.indicators import load_store
from igf_explorer.ingest import history
from igf_explorer.ingest.history import StoreWriteError, read_log, recover, restore, verify_history
from igf_explorer.ingest.pipeline import run_ingest
from tests.conftest import DATA_DIR, INGEST_FIXTURES
from tests.helpers_store import Crash, FaultAt, crash, disk_full, leftovers, visible

FIXTURE = INGEST_FIXTURES / "tidy_utf8.csv"
REPO_ROOT = DATA_DIR.parent


@pytest.fixture(autouse=True)
def no_hook() -> Iterator[None]:
    yield
    history.FAULT_HOOK = None


def _versions(tmp_path: Path) -> tuple[Path, str, str]:
    """A pristine data copy, and the visible digests before and after a clean ingest of the fixture."""
    pristine = tmp_path / "pristine"
    shutil.copytree(DATA_DIR, pristine)
    done = tmp_path / "done"
    shutil.copytree(pristine, done)
    assert run_ingest(FIXTURE, done).written
    return pristine, visible(pristine), visible(done)


@pytest.mark.parametrize("make", [crash, disk_full], ids=["killed", "disk-full"])
def test_an_ingest_faulted_at_every_step_leaves_the_old_or_the_new_store(
    tmp_path: Path, make: Callable[[str], BaseException]
) -> None:
    pristine, old, new = _versions(tmp_path)
    # Ingest writes only data/indicators, and each run below ends with exactly the old or the new bytes of it, so
    # `check` is asked once of each version rather than after every step (a check reads the whole store).
    assert check_data_dir(pristine) == []
    assert check_data_dir(tmp_path / "done") == []
    step, outcomes = 1, set()
    while True:
        data = tmp_path / f"run{step}"
        shutil.copytree(pristine, data)
        hook = FaultAt(step, make)
        history.FAULT_HOOK = hook
        try:
            report = run_ingest(FIXTURE, data)
            finished = True
        except (Crash, StoreWriteError):
            finished = False
        history.FAULT_HOOK = None
        recover(data)
        state = visible(data)
        assert state in (old, new), f"between versions after a fault at step {step} ({hook.steps[-1]})"
        if finished:
            assert report.written and state == new  # success is only ever reported for the new state
        elif make is disk_full:
            assert state == old  # a full disk before the commit point leaves the old state, and says so
        outcomes.add("new" if state == new else "old")
        assert leftovers(data) == []
        assert verify_history(data) == []
        if len(hook.steps) < step:  # the run never reached the step: every step has been tried
            break
        shutil.rmtree(data)
        step += 1
    assert step > 20  # the sweep really went through the write path
    assert outcomes == {"old", "new"}
    # Every recorded state of the last run restores, byte for byte (the earliest shipped entries record the store
    # before its first files, so `check` is only asked of the states that hold every dataset).
    entries = read_log(data)
    datasets = {name for name in entries[-1]["state"] if name.endswith(".csv")}  # the links name all of them
    for entry in entries:
        restore(data, entry["id"])
        folder = data / "indicators"
        on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
        assert on_disk == entry["state"]
        assert verify_history(data) == []
        if datasets <= set(entry["state"]):
            assert check_data_dir(data) == []


def _cli_ingest(data_dir: Path, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "igf_explorer", "--data-dir", str(data_dir), "ingest", str(path)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_ingests_at_once_both_land_one_after_the_other(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("iso3,year,indicator,value,note\nNGA,2021,internet_users,35.5,first ingest\n", encoding="utf-8")
    second.write_text("iso3,year,indicator,value,note\nKEN,2021,internet_users,29,second ingest\n", encoding="utf-8")
    before = len(read_log(data))
    for _ in range(3):
        runs = [_cli_ingest(data, first), _cli_ingest(data, second)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        first.write_text(first.read_text(encoding="utf-8").replace("35.5", "35.6", 1), encoding="utf-8")
        second.write_text(second.read_text(encoding="utf-8").replace(",29,", ",29.5,", 1), encoding="utf-8")
    store, _ = load_store(data)
    rows = store[(store.indicator == "internet_users") & (store.year == 2021)].set_index("iso3")
    assert rows.loc["NGA", "value"] == 35.6
    assert rows.loc["NGA", "note"] == "first ingest" and rows.loc["KEN", "note"] == "second ingest"
    assert rows.loc["KEN", "value"] == 29.5
    log = read_log(data)
    ids = [e["id"] for e in log]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    assert [e["action"] for e in log[before:]].count("ingest") == 6
    assert check_data_dir(data) == []
