"""Writers to the indicator store are serialised: concurrent ingests lose no change and never share a history id."""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from igf_explorer.check import check_data_dir
from igf_explorer.ingest import history
from igf_explorer.ingest.history import StoreWriteError, commit, read_log, store_lock, verify_history
from tests.helpers_store import DATASET, REPO_DATA, edit_row_worker, leftovers, notes_of

ROUNDS = 10
ROWS = {"A": 3, "B": 40}


def test_two_processes_editing_one_dataset_keep_both_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_DATA, data, ignore=shutil.ignore_patterns(".indicators*"))
    commit(data, {}, "checkpoint", {"note": "concurrency baseline"})
    entries_before = len(read_log(data))
    # spawn, not fork: the workers import only the store, and fork after pandas and pytest threads is fragile.
    context = multiprocessing.get_context("spawn")
    start, done = context.Barrier(3), context.Barrier(3)
    workers = [
        context.Process(target=edit_row_worker, args=(str(data), row, tag, ROUNDS, start, done))
        for tag, row in ROWS.items()
    ]
    for worker in workers:
        worker.start()
    try:
        csv_path = data / "indicators" / f"{DATASET}.csv"
        for number in range(ROUNDS):
            start.wait(timeout=30)  # both workers read, change and commit at once
            done.wait(timeout=30)
            assert notes_of(csv_path.read_bytes(), list(ROWS.values())) == [f"{tag} round {number}" for tag in ROWS], (
                f"a change was lost in round {number}"
            )
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    assert [worker.exitcode for worker in workers] == [0, 0]
    ids = [int(entry["id"]) for entry in read_log(data)]
    assert ids == sorted(set(ids)) and len(ids) == entries_before + 2 * ROUNDS
    assert verify_history(data) == [] and leftovers(data) == []
    assert check_data_dir(data) == []


def test_lock_is_reentrant_in_one_thread_and_exclusive_across_threads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with store_lock(data), store_lock(data):  # re-entrant: the inner call does not wait for the outer
                commit(data, {"a.csv": b"a\n"}, "ingest", {})  # and commit takes it a third time
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
            holding.set()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(timeout=30) and not errors
        with pytest.raises(StoreWriteError, match="held the store lock .* the store is unchanged"):
            with store_lock(data, timeout=0.05):
                pass
        with pytest.raises(StoreWriteError):
            with store_lock(data, timeout=0):
                pass
    finally:
        release.set()
        thread.join(timeout=30)
    assert not errors
    with store_lock(data, timeout=5):
        entry = commit(data, {"b.csv": b"b\n"}, "ingest", {})
    assert entry["id"] == "0003" and verify_history(data) == []
    assert history._held_locks() == {}


def test_recover_leaves_a_running_commit_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    commit(data, {"a.csv": b"a\n"}, "ingest", {})
    staging = data / f"{history.STAGING_PREFIX}inprogress"
    staging.mkdir()
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store_lock(data):
            holding.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        assert check_data_dir(data) is not None  # check tries recover without waiting, and carries on
        assert staging.exists()
    finally:
        release.set()
        thread.join(timeout=30)
    history.recover(data)
    assert not staging.exists()


def test_where_folders_cannot_be_flocked_a_lock_file_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    real_flock = history.fcntl.flock
    locked: list[str] = []

    def nfs_like_flock(fd: int, operation: int) -> None:
        # As on NFS, where flock becomes a byte-range lock that a directory descriptor cannot carry.
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EBADF, "Bad file descriptor")
        locked.append("file")
        real_flock(fd, operation)

    monkeypatch.setattr(history.fcntl, "flock", nfs_like_flock)
    entry = commit(data, {"a.csv": b"a\n"}, "ingest", {})
    assert entry["id"] == "0002" and locked and (data / history.LOCK_FILE).is_file()
    assert leftovers(data) == []
