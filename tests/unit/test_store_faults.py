"""The indicator store survives a crash or a full disk at every step of a commit or restore: old state or new, never a mix."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from igf_explorer.check import check_data_dir
from igf_explorer.ingest import history
from igf_explorer.ingest.history import (
    HistoryCorruptError,
    StoreWriteError,
    commit,
    read_log,
    recover,
    restore,
    verify_history,
)
from tests.helpers_store import (
    DATASET,
    KILL_LOOP,
    REPO_DATA,
    Crash,
    FaultAt,
    crash,
    disk_full,
    leftovers,
    set_notes,
    tree_bytes,
    visible,
    with_sidecar_hash,
)

FIXED_TIME = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
CHANGE = {0: "note changed by the fault test", 5: "another changed note, with a comma"}
# The steps after which a kill leaves the new state (recover rolls forward) and after which a failure is no longer
# undone (the commit point); in exchange mode both are the exchange itself.
COMMIT_POINTS = {"exchange staging and indicators", "rename ready to indicators", "rename staging to indicators"}
FALLBACK_POINT_OF_NO_RETURN = "rename indicators to old"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A fixed time stamp makes a completed commit byte-for-byte reproducible, so crash outcomes compare exactly.
    monkeypatch.setattr(history, "_now", lambda: FIXED_TIME)
    yield
    history.FAULT_HOOK = None


def indicators_tree(data_dir: Path) -> str:
    """Digest of all of data/indicators, history included."""
    digest = hashlib.sha256()
    for name, data in tree_bytes(data_dir / "indicators").items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def tracked_state(data_dir: Path) -> dict[str, str]:
    folder = data_dir / "indicators"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def assert_every_entry_restores(data_dir: Path) -> None:
    """Restore each recorded entry in turn and check the files match it; then go back to where we started."""
    before = visible(data_dir)
    mark = commit(data_dir, {}, "checkpoint", {"note": "before the restore round trip"})
    for entry in read_log(data_dir):
        restore(data_dir, entry["id"])
        assert tracked_state(data_dir) == entry["state"], entry["id"]
    restore(data_dir, mark["id"])
    assert visible(data_dir) == before
    assert verify_history(data_dir) == []


class Bench:
    """A full data directory whose ``indicators`` folder is reset from a template before every sweep point.

    Only ``indicators`` changes between points, so the statement, geometry and links are copied once.
    """

    def __init__(self, root: Path):
        self.data = root / "data"
        shutil.copytree(REPO_DATA, self.data, ignore=shutil.ignore_patterns(".indicators*"))
        self.templates = root / "templates"
        self.templates.mkdir()
        self.checked: set[str] = set()

    def save(self, name: str) -> Path:
        target = self.templates / name
        shutil.copytree(self.data / "indicators", target)
        return target

    def reset(self, template: Path) -> None:
        for leftover in leftovers(self.data):
            shutil.rmtree(self.data / leftover)
        shutil.rmtree(self.data / "indicators", ignore_errors=True)
        # Hard links are a faithful copy here because the store never writes a file in place (the property under
        # test: an in-place write would corrupt the template and fail every later point).
        shutil.copytree(template, self.data / "indicators", copy_function=os.link)

    def assert_sound(self) -> None:
        """check passes and every entry restores; checked once per distinct tree (check is a function of the bytes)."""
        key = indicators_tree(self.data)
        if key in self.checked:
            return
        assert check_data_dir(self.data) == []
        assert_every_entry_restores(self.data)
        self.checked.add(key)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    made = Bench(tmp_path_factory.mktemp("store-faults"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history, "_now", lambda: FIXED_TIME)
        # The shipped sidecars may have been edited since the last entry; a checkpoint makes "current" an entry.
        commit(made.data, {}, "checkpoint", {"note": "fault test baseline"})
    made.save("baseline")
    return made


@dataclass
class Outcome:
    """What a clean run of the operation does: its steps and the tree before and after."""

    steps: list[str]
    old_visible: str
    old_tree: str
    new_visible: str
    new_tree: str
    points: dict[str, int] = field(default_factory=dict)


def clean_run(bench: Bench, template: Path, operation: Callable[[Path], Any]) -> Outcome:
    bench.reset(template)
    old_visible, old_tree = visible(bench.data), indicators_tree(bench.data)
    recorder = FaultAt(None, crash)
    history.FAULT_HOOK = recorder
    try:
        operation(bench.data)
    finally:
        history.FAULT_HOOK = None
    outcome = Outcome(recorder.steps, old_visible, old_tree, visible(bench.data), indicators_tree(bench.data))
    assert outcome.new_visible != outcome.old_visible
    assert leftovers(bench.data) == []
    commit_at = next(i for i, s in enumerate(recorder.steps, start=1) if s in COMMIT_POINTS)
    kill_at = next((i for i, s in enumerate(recorder.steps, start=1) if s == FALLBACK_POINT_OF_NO_RETURN), commit_at)
    outcome.points = {"commit": commit_at, "kill": kill_at}
    assert len(set(recorder.steps)) == len(recorder.steps), "step names should be unique"
    return outcome


def sweep(
    bench: Bench, template: Path, operation: Callable[[Path], Any], fault: Callable[[str], BaseException]
) -> Outcome:
    """Fail at step k of ``operation`` for every k until it completes without reaching k."""
    outcome = clean_run(bench, template, operation)
    bench.assert_sound()
    bench.reset(template)
    bench.assert_sound()
    k = 0
    while True:
        k += 1
        bench.reset(template)
        hook = FaultAt(k, fault)
        history.FAULT_HOOK = hook
        try:
            operation(bench.data)
            error: BaseException | None = None
        except (Crash, StoreWriteError) as exc:
            error = exc
        finally:
            history.FAULT_HOOK = None
        step = hook.steps[-1]
        if len(hook.steps) < k:
            assert error is None
            assert hook.steps == outcome.steps
            break
        if fault is crash:
            assert isinstance(error, Crash), step
            # Nothing may be tidied on a kill: recover() alone must make sense of what is left.
            recover(bench.data)
            expect_new = k >= outcome.points["kill"]
        else:
            expect_new = k >= outcome.points["commit"]
            if expect_new:
                assert error is None, f"failure after the commit point reported as an error at {step}: {error}"
            else:
                assert isinstance(error, StoreWriteError), step
                assert "no space left on device while" in str(error) and "the store is unchanged" in str(error)
                assert leftovers(bench.data) == [], f"cleanup left folders after {step}"
                assert indicators_tree(bench.data) == outcome.old_tree, step
            recover(bench.data)
        assert leftovers(bench.data) == [], step
        expected = (outcome.new_visible, outcome.new_tree) if expect_new else (outcome.old_visible, outcome.old_tree)
        assert (visible(bench.data), indicators_tree(bench.data)) == expected, f"after a fault at step {k}: {step}"
        assert verify_history(bench.data) == [], step
        bench.assert_sound()
    assert k == len(outcome.steps) + 1
    return outcome


def change_for(indicators_dir: Path) -> dict[str, bytes | None]:
    """New CSV and sidecar of one dataset, made from the files of an indicators folder."""
    new_csv = set_notes((indicators_dir / f"{DATASET}.csv").read_bytes(), CHANGE)
    sidecar = with_sidecar_hash((indicators_dir / f"{DATASET}.meta.yml").read_bytes(), new_csv)
    return {f"{DATASET}.csv": new_csv, f"{DATASET}.meta.yml": sidecar}


FAULTS = {"kill": crash, "disk-full": disk_full}


@pytest.fixture(params=["exchange", "fallback"])
def swap_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "fallback":
        # As on a file system without RENAME_EXCHANGE: the two-step swap and recover()'s roll-forward are used.
        monkeypatch.setattr(history, "_exchange", lambda first, second: False)
    return str(request.param)


@pytest.mark.parametrize("fault", FAULTS)
def test_commit_survives_a_fault_at_every_step(bench: Bench, swap_mode: str, fault: str) -> None:
    template = bench.templates / "baseline"
    change = change_for(template)
    outcome = sweep(bench, template, lambda data: commit(data, change, "ingest", {"input": "x.csv"}), FAULTS[fault])
    assert any(s.startswith("link staging/.history/objects/") for s in outcome.steps)
    assert "write staging/wcit12.csv" in outcome.steps and "fsync staging/.history/log.jsonl" in outcome.steps
    if swap_mode == "fallback":
        assert "rename staging to ready" in outcome.steps and "rename ready to indicators" in outcome.steps
    else:
        assert "exchange staging and indicators" in outcome.steps


@pytest.mark.parametrize("fault", FAULTS)
def test_first_commit_without_history_survives_a_fault_at_every_step(bench: Bench, fault: str) -> None:
    name = "no-history"
    if not (bench.templates / name).exists():
        bench.reset(bench.templates / "baseline")
        shutil.rmtree(bench.data / "indicators" / ".history")
        bench.save(name)
    template = bench.templates / name
    change = change_for(template)
    outcome = sweep(bench, template, lambda data: commit(data, change, "ingest", {"input": "x.csv"}), FAULTS[fault])
    # The initial entry's objects (the files before the change) are written in the same step as the change.
    assert (
        sum(s.startswith("verify staging/.history/objects/") for s in outcome.steps)
        == len(tracked_state(bench.data)) + 2
    )
    log = read_log(bench.data)
    assert [e["action"] for e in log] == ["initial", "ingest"] and [e["id"] for e in log] == ["0001", "0002"]


@pytest.mark.parametrize("fault", FAULTS)
def test_restore_survives_a_fault_at_every_step(bench: Bench, swap_mode: str, fault: str) -> None:
    name = "changed"
    if not (bench.templates / name).exists():
        bench.reset(bench.templates / "baseline")
        commit(bench.data, change_for(bench.data / "indicators"), "ingest", {"input": "x.csv"})
        bench.save(name)
    target = _baseline_id(bench)
    sweep(bench, bench.templates / name, lambda data: restore(data, target), FAULTS[fault])


def _baseline_id(bench: Bench) -> str:
    log = [json.loads(line) for line in (bench.templates / "baseline/.history/log.jsonl").read_text().splitlines()]
    return str(log[-1]["id"])


def test_kill_9_during_commits_leaves_old_or_new(bench: Bench, tmp_path: Path) -> None:
    bench.reset(bench.templates / "baseline")
    names = [f"{DATASET}.csv", f"{DATASET}.meta.yml"]
    original, changed = tmp_path / "original", tmp_path / "changed"
    original.mkdir()
    changed.mkdir()
    for name, data in change_for(bench.templates / "baseline").items():
        assert data is not None
        (changed / name).write_bytes(data)
        shutil.copyfile(bench.templates / "baseline" / name, original / name)
    old_visible = visible(bench.data)
    commit(bench.data, change_for(bench.data / "indicators"), "ingest", {})
    new_visible = visible(bench.data)
    started = time.monotonic()
    outcomes = []
    # Delays after the loop reports it is ready; one commit takes about 10 ms, so these land at varied steps.
    for delay in (0.0, 0.002, 0.005, 0.011, 0.023, 0.047):
        bench.reset(bench.templates / "baseline")
        process = subprocess.Popen(
            [sys.executable, "-c", KILL_LOOP, str(bench.data), str(changed), str(original), *names],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()
        outcomes.append(bool(leftovers(bench.data)))
        recover(bench.data)
        assert leftovers(bench.data) == []
        assert visible(bench.data) in (old_visible, new_visible)
        assert verify_history(bench.data) == []
        assert check_data_dir(bench.data) == []
    # Leftover folders before recover() show the kill landed inside a commit (most do; all six missing is ~1e-4).
    assert any(outcomes), "no kill landed inside a commit"
    assert time.monotonic() - started < 20


def test_restore_refuses_a_corrupt_or_missing_object_before_changing_anything(bench: Bench) -> None:
    bench.reset(bench.templates / "baseline")
    commit(bench.data, change_for(bench.data / "indicators"), "ingest", {})
    target = read_log(bench.data)[-2]
    objects = bench.data / "indicators/.history/objects"
    victim = objects / target["state"][f"{DATASET}.csv"]
    intact = victim.read_bytes()
    victim.unlink()  # objects are hard links into the template: replace, never truncate in place
    victim.write_bytes(intact[: len(intact) // 2])
    before = indicators_tree(bench.data)
    with pytest.raises(HistoryCorruptError, match="does not match its sha256.*the store is unchanged"):
        restore(bench.data, target["id"])
    assert indicators_tree(bench.data) == before and leftovers(bench.data) == []
    problems = verify_history(bench.data)
    assert [p.file for p in problems] == [f"indicators/.history/objects/{victim.name}"]
    assert any(p.file == problems[0].file for p in check_data_dir(bench.data))
    victim.unlink()
    with pytest.raises(HistoryCorruptError, match="is unreadable"):
        restore(bench.data, target["id"])
    assert "is missing" in verify_history(bench.data)[0].message
    with pytest.raises(KeyError):
        restore(bench.data, "9999")


def test_verify_history_names_the_line_of_each_problem(tmp_path: Path) -> None:
    data = tmp_path / "data"
    history_dir = data / "indicators/.history"
    (history_dir / "objects").mkdir(parents=True)
    good = hashlib.sha256(b"x").hexdigest()
    (history_dir / "objects" / good).write_bytes(b"x")
    lines = [
        json.dumps({"id": "0001", "state": {"a.csv": good}}),
        '{"id": "0002", "state": {',
        json.dumps({"id": "0001", "state": {}}),
        "",
        json.dumps({"id": "0003", "state": {"b.csv": "f" * 64}}),
        json.dumps({"id": "x", "state": {}}),
    ]
    (history_dir / "log.jsonl").write_text("\n".join(lines) + "\n")
    found = {(p.file, p.row, p.column) for p in verify_history(data)}
    log = "indicators/.history/log.jsonl"
    assert found == {
        (log, 2, None),
        (log, 3, "id"),
        (f"indicators/.history/objects/{'f' * 64}", None, None),
        (log, 6, "id"),
    }
    with pytest.raises(HistoryCorruptError, match="line 2"):
        commit(data, {}, "ingest", {})


def test_unchanged_files_are_linked_and_the_old_log_kept_byte_for_byte(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_DATA / "indicators", data / "indicators")
    old_log = (data / "indicators/.history/log.jsonl").read_bytes()
    inode = (data / "indicators/fotn.csv").stat().st_ino
    (data / "indicators/.wcit12.csv.abc123.tmp").write_bytes(b"left by an old writer")
    entry = commit(data, change_for(data / "indicators"), "ingest", {"input": "x.csv"})
    assert (data / "indicators/fotn.csv").stat().st_ino == inode
    new_log = (data / "indicators/.history/log.jsonl").read_bytes()
    assert new_log.startswith(old_log) and new_log.count(b"\n") == old_log.count(b"\n") + 1
    assert not (data / "indicators/.wcit12.csv.abc123.tmp").exists()
    assert entry["id"] == f"{max(int(e['id']) for e in read_log(data)[:-1]) + 1:04d}"
    assert list(entry)[:4] == ["id", "time", "action", "input"] and list(entry)[-1] == "state"
    assert entry["state"] == tracked_state(data)
    gone = commit(data, {f"{DATASET}.csv": None, f"{DATASET}.meta.yml": None}, "remove", {})
    assert f"{DATASET}.csv" not in gone["state"] and not (data / f"indicators/{DATASET}.csv").exists()
    assert verify_history(data) == []
    assert sorted(p.name for p in data.iterdir()) == ["indicators"]  # no lock file, no leftovers


def test_ids_follow_the_largest_even_with_gaps(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "indicators/.history/objects").mkdir(parents=True)
    log = data / "indicators/.history/log.jsonl"
    log.write_text(json.dumps({"id": "0001", "state": {}}) + "\n" + json.dumps({"id": "0007", "state": {}}))
    entry = commit(data, {"a.csv": b"a\n"}, "ingest", {})
    assert entry["id"] == "0008"
    assert log.read_text().startswith('{"id": "0001", "state": {}}\n{"id": "0007", "state": {}}\n')


def test_first_commit_creates_the_store_and_records_its_empty_initial_state(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    entry = commit(data, {"a.csv": b"a\n"}, "ingest", {})
    assert [(e["id"], e["action"], e["state"]) for e in read_log(data)] == [
        ("0001", "initial", {}),
        ("0002", "ingest", {"a.csv": hashlib.sha256(b"a\n").hexdigest()}),
    ]
    assert entry["id"] == "0002" and verify_history(data) == []
    restore(data, "0001")
    assert tracked_state(data) == {}


def test_bad_names_and_reserved_details_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("../x.csv", "sub/x.csv", ".history", ""):
        with pytest.raises(ValueError):
            commit(data, {name: b""}, "ingest", {})
    with pytest.raises(ValueError, match="state"):
        commit(data, {}, "ingest", {"state": {}})
    assert list(data.iterdir()) == []


def test_an_unexpected_error_is_cleaned_up_and_raised_as_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_DATA / "indicators", data / "indicators")
    before = indicators_tree(data)
    history.FAULT_HOOK = FaultAt(12, lambda step: RuntimeError(step))
    with pytest.raises(RuntimeError):
        commit(data, change_for(data / "indicators"), "ingest", {})
    history.FAULT_HOOK = None
    assert indicators_tree(data) == before and leftovers(data) == []
