"""Check an upload in a child process with bounded processor time and memory, so one file cannot starve the server.

The Data page's dry run of a visitor's file runs here, never in the Streamlit process: a child
(``python -m igf_explorer.ingest.isolated``) reads the request from its standard input, sets ``RLIMIT_CPU`` and
``RLIMIT_AS`` on itself, runs :func:`~igf_explorer.ingest.pipeline.run_ingest` with ``dry_run=True`` and writes
the pickled :class:`~igf_explorer.ingest.pipeline.IngestReport` to its standard output. The caller waits on the
pipes, which releases the GIL: other visitors' pages and the health check go on. A child stopped by a limit, or one
that dies, becomes a report with one located problem; the child never writes to the store.

Why not ``multiprocessing``: its ``spawn`` and ``forkserver`` children re-run the parent's ``__main__``, and in a
Streamlit server that is the page script (Streamlit puts it in ``sys.modules["__main__"]``); a child would draw
the whole app. A plain interpreter on a module of our own runs only this file.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from igf_explorer import logs
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import IngestReport, log_ingest, run_ingest
from igf_explorer.ingest.reading import Limits
from igf_explorer.problems import Problem

# The largest upload allowed (50 MB of CSV) is checked in about 4 s of CPU and well under 1 GB; a million-cell
# workbook in about 35 s. These leave room for both and stop anything that would take minutes or gigabytes.
DEFAULT_CPU_SECONDS = 60
DEFAULT_MEMORY_MB = 2048
_MB = 1024 * 1024
_NEAR_LIMIT = 32 * _MB  # a peak this close to the address-space limit means an allocation was refused


@dataclass(frozen=True)
class Budget:
    """What one check may use: processor seconds and address space (the child's own limits), and wall time."""

    cpu_seconds: int = DEFAULT_CPU_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    wall_seconds: float = 0.0  # 0: three times the processor seconds and a minute (the child's start, a busy host)

    @property
    def wall(self) -> float:
        """The wall-clock time after which the caller stops the child."""
        return self.wall_seconds or 3.0 * self.cpu_seconds + 60.0


@dataclass(frozen=True)
class _Request:
    path: Path
    data_dir: Path
    fmt: str
    options: Options
    overrides: dict[str, str]
    limits: Limits
    label: str
    budget: Budget = field(default_factory=Budget)


def _limit_self(budget: Budget) -> None:
    """Set the child's own limits: the kernel stops it (SIGXCPU) or refuses its allocations (MemoryError)."""
    used = int(resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime)
    cpu = used + budget.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    memory = budget.memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _peak_bytes() -> int:
    """The child's largest address space so far (0 where /proc is missing)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmPeak:")), "0")
    return int(peak) * 1024


def _child(source: BinaryIO, sink: BinaryIO) -> None:
    """The child's work: read the request, set the limits, run the dry run, write the outcome (pickled)."""
    logs.logger.disabled = True  # the caller logs the outcome
    request = pickle.load(source)
    try:
        _limit_self(request.budget)
        report = run_ingest(
            request.path,
            request.data_dir,
            fmt=request.fmt,
            options=request.options,
            dry_run=True,
            overrides=request.overrides,
            label=request.label,
            limits=request.limits,
        )
        outcome: tuple[str, Any] = ("ok", report)
        if not report.ok and _peak_bytes() >= request.budget.memory_mb * _MB - _NEAR_LIMIT:
            # An allocation refused deep inside pandas surfaces as a parse error: the limit is the real reason.
            outcome = ("memory", None)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the caller gets a message, never a traceback
        data = pickle.dumps(("error", type(exc).__name__))
    sink.write(data)
    sink.flush()


def _refused(label: str, limit: str, message: str) -> IngestReport:
    return IngestReport(input_name=label, problems=[Problem(label, message)], refused_by=limit)


def _outcome(request: _Request, kind: str, payload: Any, exitcode: int | None) -> IngestReport:
    """The report the child sent, or one problem saying which limit stopped it."""
    label, budget = request.label, request.budget
    if kind == "ok" and isinstance(payload, IngestReport):
        return payload
    if kind == "memory" or (kind == "died" and exitcode == -signal.SIGKILL):
        return _refused(
            label, "memory_mb", f"needs more than {budget.memory_mb:,} MB of memory to check; nothing was changed"
        )
    if exitcode == -signal.SIGXCPU:
        return _refused(
            label,
            "cpu_seconds",
            f"needs more than {budget.cpu_seconds:,} s of processor time to check; nothing was changed",
        )
    if kind == "timeout":
        return _refused(label, "wall_seconds", f"took more than {budget.wall:,.0f} s to check; nothing was changed")
    what = f"({payload})" if kind == "error" else f"(exit code {exitcode})"
    logs.event("check_failed", logging.ERROR, input=label, error=str(payload or exitcode))
    return _refused(label, "", f"could not be checked: the check stopped unexpectedly {what}; nothing was changed")


def check_isolated(
    path: Path,
    data_dir: Path,
    *,
    fmt: str = "auto",
    options: Options | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    label: str | None = None,
    budget: Budget | None = None,
) -> IngestReport:
    """The dry run of ``path`` against ``data_dir``, computed in a child process within ``budget``.

    Parameters
    ----------
    path, data_dir, fmt, options, overrides, limits, label
        As :func:`~igf_explorer.ingest.pipeline.run_ingest` takes them (always a dry run).
    budget
        Processor seconds, memory and wall time the child may use (:class:`Budget` by default).

    Returns
    -------
    IngestReport
        The child's report; or, when a budget stopped it, a report whose one problem says which
        (``refused_by``: ``cpu_seconds``, ``memory_mb`` or ``wall_seconds``).

    Example
    -------
    >>> check_isolated(Path("fotn.csv"), Path("data"), budget=Budget(cpu_seconds=5)).ok  # doctest: +SKIP
    True
    """
    request = _Request(
        path,
        data_dir,
        fmt,
        options or Options(),
        dict(overrides or {}),
        limits or Limits(),
        label or path.name,
        budget or Budget(),
    )
    command = [sys.executable, "-m", __name__]
    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p),
        # One thread each: the budget is one processor, and idle thread pools only take address space.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    kind, payload = "died", None
    # communicate() waits in the kernel (poll on the pipes) with the GIL released: the server's threads run on.
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    ) as child:
        try:
            out, _ = child.communicate(pickle.dumps(request), timeout=request.budget.wall)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            kind, out = "timeout", b""
        if out:
            try:
                kind, payload = pickle.loads(out)  # our own child's output, never a visitor's bytes
            except (pickle.UnpicklingError, EOFError, ValueError, MemoryError):
                kind = "died"
    report = _outcome(request, kind, payload, child.returncode)
    log_ingest(report, dry_run=True)
    return report


def main() -> None:
    """The child's entry point: the request on standard input, the outcome on standard output."""
    sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print() cannot corrupt the outcome
    _child(sys.stdin.buffer, sink)


if __name__ == "__main__":
    main()
