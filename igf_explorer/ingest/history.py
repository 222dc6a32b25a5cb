"""The indicator store's crash-safe, serialised writer: every change to ``data/indicators`` is one atomic swap.

A commit builds the complete next ``data/indicators`` (data files, sidecars and ``.history``) in a staging folder
beside it, ``data/.indicators.staging-<random>``, and then exchanges the two folders in one ``renameat2`` call:
readers that open files by path, and anyone looking after a crash, see either the old tree or the new one, never a
mix. Unchanged files and history objects are hard-linked into the staging folder, which is safe because nothing
here writes a file in place; new files and objects are written, synced and (objects) verified there first.

Where the file system cannot exchange two folders, a two-step swap is used: the finished staging folder is first
renamed to ``.indicators.ready-<random>`` (the marker that it is complete), then ``indicators`` moves aside to
``.indicators.old-<random>`` and the ready folder takes its name. :func:`recover` finishes or undoes a swap that
was interrupted between the two renames, and removes every other leftover.

Writers are serialised by :func:`store_lock`, an ``flock`` on the data directory.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from igf_explorer import logs
from igf_explorer.problems import Problem

# Equal to igf_explorer.indicators.INDICATORS_DIR (a test keeps them equal); importing that module here would pull
# pandas and pandera into every writer, which makes the store's own subprocesses and tests several times slower.
INDICATORS_DIR = "indicators"
HISTORY_DIR = ".history"
OBJECTS_DIR = "objects"
LOG_FILE = "log.jsonl"
# Only where a directory cannot be flocked (see store_lock).
LOCK_FILE = ".indicators.lock"
STAGING_PREFIX = ".indicators.staging-"
READY_PREFIX = ".indicators.ready-"
OLD_PREFIX = ".indicators.old-"
LOG_DISPLAY = f"{INDICATORS_DIR}/{HISTORY_DIR}/{LOG_FILE}"
INITIAL_NOTE = "state before the first recorded ingest"

FAULT_HOOK: Callable[[str], None] | None = None
"""Tests only: called with a step name after every file-system operation of a commit; production never sets it."""

_log = logging.getLogger(__name__)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RESERVED = ("id", "time", "action", "state")
_TEMP_OBJECT = ".tmp-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_GERUNDS = {
    "mkdir": "creating",
    "link": "linking",
    "write": "writing",
    "fsync": "syncing",
    "verify": "verifying",
    "rename": "renaming",
    "exchange": "exchanging",
    "unlink": "removing",
    "rmdir": "removing",
}


class StoreWriteError(Exception):
    """The store could not be changed (disk full, read-only folder, lock timeout); the message says it is unchanged."""


class HistoryCorruptError(StoreWriteError):
    """The history log or an object it needs is missing or does not match its checksum; nothing was changed."""


def _now() -> datetime:
    """The time stamped on new entries (a function, so tests can fix it)."""
    return datetime.now(UTC)


def _fault(step: str) -> None:
    hook = FAULT_HOOK
    if hook is not None:
        hook(step)


# --- locking ---------------------------------------------------------------------------------------------------------


@dataclass
class _Held:
    fd: int
    count: int


_held = threading.local()


def _held_locks() -> dict[tuple[int, str], _Held]:
    locks: dict[tuple[int, str], _Held] | None = getattr(_held, "locks", None)
    if locks is None:
        locks = {}
        _held.locks = locks
    return locks


class _CannotLockFolder(Exception):
    """flock does not work on a directory here (NFS emulates it with byte-range locks, which need a writable file)."""


_NO_FOLDER_LOCKS = (errno.EBADF, errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP)


def _open_lock_file(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if path.is_file():
            # flock works on a read-only descriptor; a store that cannot be written fails later with a clear error.
            return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        raise StoreWriteError(
            f"{_reason(exc)} while creating the lock file {path}; the store is unchanged (nothing was written)"
        ) from exc


def _lock(folder: Path, timeout: float) -> int:
    """A descriptor holding the exclusive flock of the store in ``folder`` (the data directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise StoreWriteError(
            f"{_reason(exc)} while opening the data directory {folder}; the store is unchanged (nothing was written)"
        ) from exc
    try:
        _acquire(fd, folder, timeout)
        return fd
    except _CannotLockFolder:
        os.close(fd)
    except BaseException:
        os.close(fd)
        raise
    # Every process sharing this data directory sees the same file system, so all of them take this same path.
    path = folder / LOCK_FILE
    fd = _open_lock_file(path)
    try:
        _acquire(fd, path, timeout)
    except _CannotLockFolder as exc:
        os.close(fd)
        raise StoreWriteError(f"cannot lock {path}: {exc.__cause__}; the store is unchanged") from exc
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def store_lock(data_dir: Path, timeout: float = 120.0) -> Iterator[None]:
    """Hold the exclusive lock on the indicator store of ``data_dir``.

    The lock is an ``flock`` on the data directory itself: outside ``data/indicators``, which every commit
    replaces, and without creating a file, so an ingest that is refused leaves the data directory byte-for-byte
    as it was. Where directories cannot be flocked (NFS), the lock file ``data/.indicators.lock`` is used instead.
    It is re-entrant within one thread, so a caller can hold it around load → merge → :func:`commit` while
    ``commit`` takes it again; other threads and processes wait.

    Parameters
    ----------
    data_dir
        The data directory (the parent of ``indicators``).
    timeout
        Seconds to wait for another writer before giving up.

    Raises
    ------
    StoreWriteError
        When the lock is not free within ``timeout``, or the data directory cannot be opened.
    """
    folder = data_dir.resolve()
    # The pid is part of the key so that a child forked while the parent holds the lock does not think it holds it.
    key = (os.getpid(), str(folder))
    locks = _held_locks()
    held = locks.get(key)
    if held is not None:
        held.count += 1
        try:
            yield
        finally:
            held.count -= 1
        return
    fd = _lock(folder, timeout)
    locks[key] = _Held(fd, 1)
    try:
        yield
    finally:
        del locks[key]
        # Closing the descriptor releases the flock.
        os.close(fd)


def _acquire(fd: int, what: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreWriteError(
                    f"another ingest or restore held the store lock on {what} for more than {timeout:g} s; "
                    "the store is unchanged (nothing was written)"
                ) from None
            # Polling instead of a blocking flock keeps the timeout without signals or helper threads.
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)
        except OSError as exc:
            if exc.errno in _NO_FOLDER_LOCKS:
                raise _CannotLockFolder(str(exc)) from exc
            raise StoreWriteError(f"{_reason(exc)} while locking {what}; the store is unchanged") from exc


# --- reading ---------------------------------------------------------------------------------------------------------


def _indicators(data_dir: Path) -> Path:
    return data_dir / INDICATORS_DIR


def _log_path(data_dir: Path) -> Path:
    return data_dir / INDICATORS_DIR / HISTORY_DIR / LOG_FILE


def _objects(data_dir: Path) -> Path:
    return data_dir / INDICATORS_DIR / HISTORY_DIR / OBJECTS_DIR


def _digest_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _tracked(folder: Path) -> list[Path]:
    """The files a history entry records: the visible (non-dot) files at the top of ``folder``."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def read_log(data_dir: Path) -> list[dict[str, Any]]:
    """Every history entry of ``data_dir``'s indicator store, oldest first (an empty list before the first).

    Raises
    ------
    HistoryCorruptError
        When a line of the log is not a JSON object.
    """
    log = _log_path(data_dir)
    if not log.is_file():
        return []
    entries = []
    for number, line in enumerate(log.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise HistoryCorruptError(
                f"{LOG_DISPLAY}, line {number}, is not valid JSON ({exc}); the store is unchanged"
            ) from exc
        if not isinstance(entry, dict):
            raise HistoryCorruptError(f"{LOG_DISPLAY}, line {number}, is not a JSON object; the store is unchanged")
        entries.append(entry)
    return entries


def _next_id(entries: list[dict[str, Any]]) -> int:
    numbers = []
    for entry in entries:
        try:
            numbers.append(int(str(entry.get("id"))))
        except ValueError:
            raise HistoryCorruptError(
                f"{LOG_DISPLAY} holds an entry with the non-numeric id {entry.get('id')!r}; the store is unchanged"
            ) from None
    # max + 1, not len + 1: ids stay unique even if an entry was ever removed by hand.
    return max(numbers, default=0) + 1


# --- writing ---------------------------------------------------------------------------------------------------------


class _Step:
    """What a commit is doing, for the error message when the operation fails."""

    def __init__(self) -> None:
        self.verb = "preparing"
        self.target = "the commit"

    def start(self, verb: str, target: str) -> None:
        self.verb, self.target = verb, target

    def done(self) -> None:
        _fault(f"{self.verb} {self.target}")

    def describe(self) -> str:
        target = self.target
        if target == "staging":
            target = "the staging folder"
        elif target.startswith("staging/"):
            target = "the new " + target.removeprefix("staging/")
        return f"{_GERUNDS.get(self.verb, self.verb)} {target}"


def _reason(exc: OSError) -> str:
    text = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return text[:1].lower() + text[1:]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes, label: str, step: _Step) -> None:
    """Create ``path`` (which must not exist) with ``data``, synced to disk."""
    step.start("write", label)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        # Explicit mode: the store's files are world-readable whatever the writer's umask.
        os.fchmod(fd, 0o644)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        step.done()
        step.start("fsync", label)
        os.fsync(fd)
        step.done()
    finally:
        os.close(fd)


def _write_object(objects: Path, digest: str, data: bytes, step: _Step) -> None:
    """Add one content-addressed object: temp file, sync, re-read and verify, then rename to its digest."""
    temporary = objects / f"{_TEMP_OBJECT}{digest}"
    label = f"staging/{HISTORY_DIR}/{OBJECTS_DIR}/{digest}"
    _write_new(temporary, data, f"{label} (temporary)", step)
    step.start("verify", label)
    # Re-reading catches a short write the OS reported as complete; an object must never be stored truncated.
    if _digest_file(temporary) != digest:
        raise OSError(errno.EIO, "the written object does not match its sha256")
    step.done()
    step.start("rename", label)
    os.rename(temporary, objects / digest)
    step.done()


def _mkdir(path: Path, label: str, step: _Step) -> None:
    step.start("mkdir", label)
    os.mkdir(path, 0o755)
    step.done()


def _link(source: Path, target: Path, label: str, step: _Step) -> None:
    step.start("link", label)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        # Some file systems (FAT, some network mounts) have no hard links; a copy is as good, only slower.
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK) or source.is_symlink():
            raise
        _write_new(target, source.read_bytes(), label, step)
        return
    step.done()


def _sync_dir(path: Path, label: str, step: _Step) -> None:
    step.start("fsync", label)
    _fsync_dir(path)
    step.done()


def _new_dir_name(data_dir: Path, prefix: str) -> Path:
    return data_dir / f"{prefix}{secrets.token_hex(6)}"


def _is_leftover_temp(relative: Path) -> bool:
    """Temporary files an earlier writer may have left (older versions wrote ``.name.xxxx.tmp`` in place)."""
    name = relative.name
    return (name.startswith(".") and name.endswith(".tmp")) or (
        relative.parent == Path(HISTORY_DIR, OBJECTS_DIR) and name.startswith(_TEMP_OBJECT)
    )


def _validate_names(files: Mapping[str, bytes | None]) -> None:
    for name in files:
        if not name or "/" in name or "\0" in name or name.startswith("."):
            raise ValueError(f"not a file name inside {INDICATORS_DIR}/: {name!r}")


def _link_old_tree(old: Path, staging: Path, skip: set[str], bad_objects: set[str], step: _Step) -> None:
    """Hard-link every file of the old tree into staging, except replaced files, the log and leftovers."""
    for root, dirs, names in os.walk(old):
        here = Path(root)
        relative_dir = here.relative_to(old)
        for name in sorted(dirs):
            relative = relative_dir / name
            if (here / name).is_symlink():
                continue  # linked like a file below
            if not (staging / relative).exists():
                _mkdir(staging / relative, f"staging/{relative.as_posix()}", step)
        symlinked_dirs = [d for d in dirs if (here / d).is_symlink()]
        for name in sorted(names + symlinked_dirs):
            relative = relative_dir / name
            key = relative.as_posix()
            if key in skip or _is_leftover_temp(relative):
                continue
            if relative.parent == Path(HISTORY_DIR, OBJECTS_DIR) and name in bad_objects:
                continue
            _link(here / name, staging / relative, f"staging/{key}", step)


def _build_entry(entry_id: int, action: str, details: Mapping[str, Any], state: Mapping[str, str]) -> dict[str, Any]:
    return {
        "id": f"{entry_id:04d}",
        "time": _now().isoformat(timespec="seconds"),
        "action": action,
        **details,
        "state": dict(sorted(state.items())),
    }


def _apply(state: Mapping[str, str], files: Mapping[str, bytes | None]) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name → sha256 once ``files`` replace or delete files of ``state``, and digest → bytes of the new files."""
    new_state = dict(state)
    sources: dict[str, bytes] = {}
    for name, data in files.items():
        if data is None:
            new_state.pop(name, None)
        else:
            digest = hashlib.sha256(data).hexdigest()
            new_state[name] = digest
            sources[digest] = data
    return new_state, sources


def _stage(
    data_dir: Path,
    staging: Path,
    files: Mapping[str, bytes | None],
    new_entries: Callable[[dict[str, str], dict[str, str]], list[dict[str, Any]]],
    step: _Step,
) -> list[dict[str, Any]]:
    """Fill ``staging`` with the complete next tree; return the entries appended to its log."""
    old = _indicators(data_dir)
    old_state = {p.name: _digest_file(p) for p in _tracked(old)}
    new_state, new_sources = _apply(old_state, files)
    entries = new_entries(old_state, new_state)
    if not entries:
        return []
    old_log = _log_path(data_dir)
    old_log_bytes = old_log.read_bytes() if old_log.is_file() else b""

    # Objects every new entry needs; an existing one is reused only if it still matches its digest.
    needed = {digest for entry in entries for digest in entry["state"].values()}
    objects = _objects(data_dir)
    bad_objects = set()
    for digest in sorted(needed):
        path = objects / digest
        if path.is_file() and _digest_file(path) != digest:
            bad_objects.add(digest)
    missing = sorted(d for d in needed if d in bad_objects or not (objects / d).is_file())

    _mkdir(staging, "staging", step)
    if old.is_dir():
        _link_old_tree(old, staging, set(files) | {f"{HISTORY_DIR}/{LOG_FILE}"}, bad_objects, step)
    for relative in (Path(HISTORY_DIR), Path(HISTORY_DIR, OBJECTS_DIR)):
        if not (staging / relative).is_dir():
            _mkdir(staging / relative, f"staging/{relative.as_posix()}", step)
    for name, data in sorted(files.items()):
        if data is not None:
            _write_new(staging / name, data, f"staging/{name}", step)
    by_digest = {digest: name for name, digest in old_state.items()}
    for digest in missing:
        data = new_sources.get(digest)
        if data is None:
            # A current file with no object yet (the state before the first entry, or a file edited by hand since
            # the last one). The live file is safe to read: writers hold the lock and never write in place.
            data = (old / by_digest[digest]).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                raise StoreWriteError(
                    f"{INDICATORS_DIR}/{by_digest[digest]} changed while it was being recorded; the store is unchanged"
                )
        _write_object(staging / HISTORY_DIR / OBJECTS_DIR, digest, data, step)
    if old_log_bytes and not old_log_bytes.endswith(b"\n"):
        old_log_bytes += b"\n"
    lines = "".join(json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n" for entry in entries)
    log_label = f"staging/{HISTORY_DIR}/{LOG_FILE}"
    _write_new(staging / HISTORY_DIR / LOG_FILE, old_log_bytes + lines.encode("utf-8"), log_label, step)
    # Directory entries are durable only once their folder is synced; deepest first so the root is last.
    folders = sorted((p for p in staging.rglob("*") if p.is_dir() and not p.is_symlink()), key=lambda p: -len(p.parts))
    for folder in folders:
        _sync_dir(folder, f"staging/{folder.relative_to(staging).as_posix()}", step)
    _sync_dir(staging, "staging", step)
    return entries


@lru_cache(maxsize=1)
def _renameat2() -> Any:
    """The C library's ``renameat2`` (glibc 2.28 and later), or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False when this kernel or file system cannot (then nothing happened)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


@dataclass
class _Swap:
    """Where the folders of one commit are, so a failure before the commit point can be undone."""

    staging: Path
    ready: Path | None = None
    old: Path | None = None


def _swap(data_dir: Path, swap: _Swap, step: _Step) -> Path | None:
    """Make staging the live tree; return where the old tree now is (to be removed), if there was one.

    The last operation is the commit point; its fault hook is left to the caller, which runs it after the
    commit, as it must not roll anything back.
    """
    live = _indicators(data_dir)
    if not live.exists():
        step.start("rename", f"staging to {INDICATORS_DIR}")
        os.rename(swap.staging, live)
        return None
    step.start("exchange", f"staging and {INDICATORS_DIR}")
    if _exchange(swap.staging, live):
        return swap.staging
    # Two renames: the ready name marks a complete new tree, so recover() knows to roll forward if live is missing.
    ready = _new_dir_name(data_dir, READY_PREFIX)
    step.start("rename", "staging to ready")
    os.rename(swap.staging, ready)
    swap.ready = ready
    step.done()
    _sync_dir(data_dir, "data directory (ready)", step)
    old = _new_dir_name(data_dir, OLD_PREFIX)
    step.start("rename", f"{INDICATORS_DIR} to old")
    os.rename(live, old)
    swap.old = old
    step.done()
    step.start("rename", f"ready to {INDICATORS_DIR}")
    os.rename(ready, live)
    return old


def _undo(data_dir: Path, swap: _Swap) -> str:
    """Put the old tree back after a failure before the commit point; return '' or what could not be undone."""
    live = _indicators(data_dir)
    if swap.old is not None and not live.exists():
        try:
            os.rename(swap.old, live)
            _fsync_dir(data_dir)
        except OSError as exc:
            return f"; moving {swap.old.name} back to {INDICATORS_DIR} failed too ({_reason(exc)})"
    for leftover in (swap.staging, swap.ready):
        if leftover is not None and leftover.exists():
            _remove_tree(leftover, hooked=False)
    return ""


def _remove_tree(path: Path, *, hooked: bool) -> None:
    """Delete a folder bottom-up; best effort (a failure leaves a leftover for the next recover)."""
    try:
        for root, dirs, names in os.walk(path, topdown=False):
            here = Path(root)
            for name in names + [d for d in dirs if (here / d).is_symlink()]:
                os.unlink(here / name)
                if hooked:
                    _fault(f"unlink old/{(here / name).relative_to(path).as_posix()}")
            for name in dirs:
                if not (here / name).is_symlink():
                    os.rmdir(here / name)
                    if hooked:
                        _fault(f"rmdir old/{(here / name).relative_to(path).as_posix()}")
        os.rmdir(path)
        if hooked:
            _fault("rmdir old")
    except FileNotFoundError:
        pass
    except OSError as exc:
        _log.warning("could not remove %s (%s); the next commit or check removes it", path, exc)


def _commit_entries(
    data_dir: Path,
    files: Mapping[str, bytes | None],
    new_entries: Callable[[dict[str, str], dict[str, str]], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The one commit procedure: lock, recover, stage, swap, tidy."""
    _validate_names(files)
    with store_lock(data_dir):
        _recover_locked(data_dir)
        step = _Step()
        swap = _Swap(staging=_new_dir_name(data_dir, STAGING_PREFIX))
        try:
            entries = _stage(data_dir, swap.staging, files, new_entries, step)
            if not entries:
                return []
            previous = _swap(data_dir, swap, step)
        # Exception, not BaseException: a kill (or KeyboardInterrupt) must leave the folders for recover() to judge,
        # exactly as kill -9 would.
        except Exception as exc:
            failed = _undo(data_dir, swap)
            if isinstance(exc, OSError):
                outcome = "the store is unchanged" if not failed else "the store needs 'igf-explorer check' to recover"
                raise StoreWriteError(
                    f"{_reason(exc)} while {step.describe()}; {outcome}{failed} (data directory {data_dir})"
                ) from exc
            raise
        # Past the commit point the new tree is visible: a failure from here on must not be reported as "unchanged";
        # it only leaves a leftover folder that the next commit, restore or check removes.
        try:
            step.done()
            _sync_dir(data_dir, "data directory", step)
        except OSError as exc:
            _log.warning("syncing %s after a commit failed (%s)", data_dir, exc)
        if previous is not None:
            _remove_tree(previous, hooked=True)
        return entries


def commit(
    data_dir: Path, files: Mapping[str, bytes | None], action: str, details: Mapping[str, Any]
) -> dict[str, Any]:
    """Make a new state of ``data/indicators`` visible in one atomic step and record it in the history.

    Parameters
    ----------
    data_dir
        The data directory.
    files
        New bytes of files directly inside ``data/indicators`` (``None`` deletes the file); every other file is
        kept as it is.
    action
        What the entry records (``ingest``, ``restore``, ...).
    details
        Extra fields of the entry, placed between ``action`` and ``state``.

    Returns
    -------
    dict
        The new entry: ``id``, ``time``, ``action``, the details, and ``state`` (file name → sha256). When the log
        was empty, an ``initial`` entry recording the previous state is written first, in the same step.

    Raises
    ------
    StoreWriteError
        When the disk is full, the folder read-only or the lock not free; the store is then unchanged.
    ValueError
        For a file name outside ``data/indicators`` or details that reuse an entry's own fields.
    """
    clash = [key for key in _RESERVED if key in details]
    if clash:
        raise ValueError(f"details may not set {', '.join(clash)}")

    def entries(old_state: dict[str, str], new_state: dict[str, str]) -> list[dict[str, Any]]:
        existing = read_log(data_dir)
        number = _next_id(existing)
        made = []
        if not existing:
            made.append(_build_entry(number, "initial", {"note": INITIAL_NOTE}, old_state))
            number += 1
        made.append(_build_entry(number, action, details, new_state))
        return made

    return _commit_entries(data_dir, files, entries)[-1]


def _verified_objects(data_dir: Path, entry: Mapping[str, Any]) -> dict[str, bytes]:
    """Digest → bytes of every object ``entry`` needs, each checked against its digest."""
    state = entry.get("state")
    if not isinstance(state, Mapping):
        raise HistoryCorruptError(f"entry {entry.get('id')} records no state; the store is unchanged")
    found: dict[str, bytes] = {}
    for name, digest in sorted(state.items()):
        path = _objects(data_dir) / str(digest)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise HistoryCorruptError(
                f"cannot restore entry {entry.get('id')}: the recorded copy of {name} "
                f"({INDICATORS_DIR}/{HISTORY_DIR}/{OBJECTS_DIR}/{digest}) is unreadable ({_reason(exc)}); "
                "the store is unchanged"
            ) from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise HistoryCorruptError(
                f"cannot restore entry {entry.get('id')}: the recorded copy of {name} "
                f"({INDICATORS_DIR}/{HISTORY_DIR}/{OBJECTS_DIR}/{digest}) does not match its sha256 (truncated or "
                "corrupt); the store is unchanged"
            )
        found[str(digest)] = data
    return found


def restore(data_dir: Path, entry_id: str) -> dict[str, Any]:
    """Put ``data/indicators`` back to the state recorded by ``entry_id``, in one commit that is itself recorded.

    Every object the entry needs is read and checked against its sha256 before anything changes.

    Returns
    -------
    dict
        The new ``restore`` entry.

    Raises
    ------
    KeyError
        When no entry has that id.
    HistoryCorruptError
        When an object the entry needs is missing or corrupt (the store is unchanged).
    StoreWriteError
        When the commit cannot be written (the store is unchanged).
    """
    try:
        made = _restore(data_dir, entry_id)
    except KeyError:
        logs.event("restore", restored=entry_id, outcome="no_such_entry")
        raise
    except StoreWriteError as exc:
        logs.event("restore", logging.ERROR, restored=entry_id, outcome="failed", error=type(exc).__name__)
        raise
    logs.event("restore", restored=entry_id, outcome="restored", history_id=str(made.get("id")))
    return made


def _restore(data_dir: Path, entry_id: str) -> dict[str, Any]:
    with store_lock(data_dir):
        recover(data_dir)
        entry = next((e for e in read_log(data_dir) if e.get("id") == entry_id), None)
        if entry is None:
            raise KeyError(entry_id)
        objects = _verified_objects(data_dir, entry)
        wanted: dict[str, str] = {str(k): str(v) for k, v in entry["state"].items()}
        current = {p.name: _digest_file(p) for p in _tracked(_indicators(data_dir))}
        files: dict[str, bytes | None] = {
            name: objects[digest] for name, digest in wanted.items() if current.get(name) != digest
        }
        files.update({name: None for name in current if name not in wanted})
        return commit(data_dir, files, "restore", {"restored": entry_id})


# --- recovery and verification ---------------------------------------------------------------------------------------


def _leftovers(data_dir: Path) -> list[Path]:
    try:
        names = os.listdir(data_dir)
    except OSError:
        return []
    prefixes = (STAGING_PREFIX, READY_PREFIX, OLD_PREFIX)
    return sorted(data_dir / name for name in names if name.startswith(prefixes))


def _recover_locked(data_dir: Path) -> None:
    leftovers = _leftovers(data_dir)
    if not leftovers:
        return
    live = _indicators(data_dir)
    if not live.exists():
        ready = [p for p in leftovers if p.name.startswith(READY_PREFIX)]
        old = [p for p in leftovers if p.name.startswith(OLD_PREFIX)]
        # Killed between the two renames of a fallback swap: a ready folder is a complete new tree (roll forward);
        # without one, the old tree goes back.
        chosen = ready[-1] if ready else (old[-1] if old else None)
        if chosen is not None:
            try:
                os.rename(chosen, live)
                _fsync_dir(data_dir)
            except OSError as exc:
                raise StoreWriteError(
                    f"{_reason(exc)} while moving {chosen.name} back to {INDICATORS_DIR} to finish an interrupted "
                    "commit; nothing else was changed"
                ) from exc
            leftovers.remove(chosen)
    for leftover in leftovers:
        if leftover.is_dir() and not leftover.is_symlink():
            _remove_tree(leftover, hooked=False)
        else:
            try:
                leftover.unlink()
            except OSError as exc:
                _log.warning("could not remove %s (%s)", leftover, exc)


def recover(data_dir: Path, timeout: float = 120.0) -> None:
    """Tidy what an interrupted commit left: finish or undo a two-step swap, remove staging and old folders.

    Costs one directory listing when there is nothing to do, so readers and ``check`` may call it freely; only
    then does it take the store lock (waiting at most ``timeout`` seconds), because leftovers can also be the
    folders of a commit that is still running.

    Raises
    ------
    StoreWriteError
        When the lock is not free within ``timeout``, or an interrupted swap cannot be finished.
    """
    if not _leftovers(data_dir):
        return
    with store_lock(data_dir, timeout):
        _recover_locked(data_dir)


def verify_history(data_dir: Path) -> list[Problem]:
    """Everything wrong with the history of ``data_dir``'s indicator store.

    Every line of the log is a JSON entry with a numeric id, ids are unique and increasing, and every object an
    entry records exists and matches its sha256. No log at all is fine (nothing has been recorded yet).
    """
    log = _log_path(data_dir)
    if not log.exists():
        return []
    try:
        text = log.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(LOG_DISPLAY, f"cannot be read: {exc}")]
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    last: int | None = None
    references: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            problems.append(Problem(LOG_DISPLAY, f"is not valid JSON ({exc}); truncated or edited by hand", row=number))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(LOG_DISPLAY, "is not a JSON object", row=number))
            continue
        raw_id = entry.get("id")
        if not isinstance(raw_id, str) or not raw_id.isdigit():
            problems.append(Problem(LOG_DISPLAY, f"has no numeric id (found {raw_id!r})", row=number, column="id"))
        else:
            value = int(raw_id)
            if value in seen:
                problems.append(
                    Problem(
                        LOG_DISPLAY, f"id {raw_id} is used again (first on line {seen[value]})", row=number, column="id"
                    )
                )
            elif last is not None and value < last:
                problems.append(
                    Problem(
                        LOG_DISPLAY, f"id {raw_id} comes after {last:04d}; ids must increase", row=number, column="id"
                    )
                )
            seen.setdefault(value, number)
            last = value if last is None else max(last, value)
        state = entry.get("state")
        if not isinstance(state, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _SHA256.match(v) for k, v in state.items()
        ):
            problems.append(
                Problem(LOG_DISPLAY, "has no 'state' mapping file names to sha256 digests", row=number, column="state")
            )
            continue
        for name, digest in state.items():
            references.setdefault(digest, (str(raw_id), name))
    objects = _objects(data_dir)
    for digest, (entry_id, name) in sorted(references.items()):
        path = objects / digest
        display = f"{INDICATORS_DIR}/{HISTORY_DIR}/{OBJECTS_DIR}/{digest}"
        if not path.is_file():
            problems.append(Problem(display, f"is missing (entry {entry_id} records {name} with it)"))
        elif _digest_file(path) != digest:
            problems.append(
                Problem(display, f"does not match its sha256, truncated or corrupt (entry {entry_id} records {name})")
            )
    return problems
