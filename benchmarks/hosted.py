"""The hosted dashboard's figures in one run (issue 10's acceptance, reported in docs/PERFORMANCE.md).

1. One Streamlit process: a burst of new visitors to ``/map?theme=blocking&region=africa`` and to the Overview,
   each against the bare one-choropleth page in the same run (both under the repository's
   ``.streamlit/config.toml``: ``benchmarks/.streamlit`` links to it); server CPU per visitor, their ratio, and
   resident memory per idle session (every session open and idle, after a settle, above the warmed server).
2. Two replicas behind Debian's nginx (deploy/cluster.py): a burst to the same ``/map`` view through nginx with
   sticky cookies; p50 / p95 / max and errors.
3. The static snapshot of that view, served by the same nginx: a burst of first loads (page and assets).

Loopback only, every burst bounded. ``--quick`` is a smaller run (a minute or two) for trying it out; the figures
in docs/PERFORMANCE.md come from the default run (about four minutes here).

    .venv/bin/python -m benchmarks.hosted [--quick] [--json results.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.burst import ROOT, burst
from benchmarks.map_benchmark import bare_values
from benchmarks.static_burst import run_static_burst
from tests.e2e.conftest import start_server, stop_server

MAP_VIEW = "/map?theme=blocking&region=africa"
TARGETS = {
    "map_cpu_ratio": 1.5,
    "overview_cpu_ratio": 1.2,
    "cluster_p95_s": 3.0,
    "static_p95_s": 1.0,
    "mb_per_idle": 1.0,
}


def _measure(base: str, page: str, pid: int, visitors: int, window: float) -> dict[str, Any]:
    asyncio.run(burst(base, page, 1, 0.0, None))  # the first run of a process imports modules and fills caches
    return asyncio.run(burst(base, page, visitors, window, pid)).summary()


def single_process(scratch: Path, visitors: int, window: float) -> dict[str, Any]:
    """CPU per new visitor of /map and of the Overview, each against the bare page; memory per idle session."""
    results: dict[str, Any] = {}
    for name, page in (("map", MAP_VIEW), ("overview", "/")):
        app = start_server(scratch)
        bare = start_server(
            scratch,
            env_extra={"BARE_MAP_VALUES": json.dumps(bare_values())},
            script=ROOT / "benchmarks" / "bare_map_page.py",
        )
        try:
            measured = _measure(app.url, page, app.process.pid, visitors, window)
            yardstick = _measure(bare.url, "/", bare.process.pid, visitors, window)
        finally:
            stop_server(app)
            stop_server(bare)
        results[name] = {
            "app": measured,
            "bare": yardstick,
            "cpu_ratio": float(measured["cpu_s_per_visitor"]) / float(yardstick["cpu_s_per_visitor"]),
        }
    return results


def cluster_runs(scratch: Path, visitors: int, window: float, static_visitors: int) -> dict[str, Any]:
    """The live view through two replicas, then its static snapshot, both behind the same nginx."""
    from deploy.cluster import Cluster

    with Cluster(scratch / "cluster", replicas=2) as cluster:
        pids = tuple(r.process.pid for r in cluster.members if r.process is not None)
        for replica in cluster.members:  # warm every replica, not only the one nginx gives the warm-up visitor
            asyncio.run(burst(replica.url, MAP_VIEW, 1, 0.0, None))
        live = asyncio.run(burst(cluster.url, MAP_VIEW, visitors, window, pids, sticky=True)).summary()
        paths = cluster.write_deck_snapshots()
        snapshot = next(p for p in paths if "map-theme-blocking-region-africa" in p)
        nginx_pid = int((cluster.prefix / "nginx.pid").read_text().strip())
        static = run_static_burst(cluster.url + snapshot, static_visitors, 10.0, server_pid=nginx_pid).summary()
    return {"live": live, "static": static}


def verdicts(single: dict[str, Any], clustered: dict[str, Any]) -> dict[str, tuple[float, float, bool]]:
    """Each acceptance figure: (measured, target, met)."""
    per_idle = max(
        float(single[name]["app"]["rss_mb_per_session"] or 0.0) for name in ("map", "overview")
    )  # the larger of the two pages' growth
    figures = {
        "map_cpu_ratio": single["map"]["cpu_ratio"],
        "overview_cpu_ratio": single["overview"]["cpu_ratio"],
        "cluster_p95_s": float(clustered["live"]["p95_s"]) if not clustered["live"]["errors"] else float("inf"),
        "static_p95_s": float(clustered["static"]["p95_s"]) if not clustered["static"]["errors"] else float("inf"),
        "mb_per_idle": per_idle,
    }
    return {name: (value, TARGETS[name], value <= TARGETS[name]) for name, value in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller bursts, for trying it out")
    parser.add_argument("--json", type=Path, help="write every figure here too")
    args = parser.parse_args(argv)
    single_visitors, cluster_visitors, static_visitors = (15, 20, 100) if args.quick else (40, 50, 500)
    scratch = Path(tempfile.mkdtemp(prefix="igf-hosted-"))
    print(f"machine: {platform.machine()}, {platform.python_version()}, {len(_cpus())} CPUs", flush=True)
    single = single_process(scratch, single_visitors, 10.0)
    clustered = cluster_runs(scratch, cluster_visitors, 10.0, static_visitors)
    judged = verdicts(single, clustered)
    for name in ("map", "overview"):
        app, bare = single[name]["app"], single[name]["bare"]
        print(
            f"{name}: {app['visitors']} visitors in 10 s, CPU {app['cpu_s_per_visitor']:.4f} s/visitor vs bare "
            f"{bare['cpu_s_per_visitor']:.4f} ({single[name]['cpu_ratio']:.2f}x); p50 {app['p50_s']:.3f} s, "
            f"p95 {app['p95_s']:.3f} s; {app['errors']} errors; {app['rss_mb_per_session']:+.3f} MB per idle session"
        )
    live, static = clustered["live"], clustered["static"]
    print(
        f"two replicas: {live['visitors']} visitors in 10 s, p50 {live['p50_s']:.3f} s, p95 {live['p95_s']:.3f} s, "
        f"max {live['max_s']:.3f} s, {live['errors']} errors, split {live['replicas']}"
    )
    print(
        f"static snapshot: {static['visitors']} visitors in 10 s, p50 {static['p50_s']:.3f} s, "
        f"p95 {static['p95_s']:.3f} s, max {static['max_s']:.3f} s, {static['errors']} errors, "
        f"{static['requests_per_visitor']:.0f} requests and {static['bytes_per_visitor'] / 1e6:.2f} MB per visitor"
    )
    for name, (value, target, met) in judged.items():
        print(f"{'met' if met else 'NOT MET'}: {name} {value:.3f} (at most {target})")
    if args.json:
        args.json.write_text(json.dumps({"single": single, "cluster": clustered, "verdicts": judged}, indent=2))
    return 0 if all(met for _, _, met in judged.values()) else 1


def _cpus() -> list[int]:
    import os

    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]


if __name__ == "__main__":
    sys.exit(main())
