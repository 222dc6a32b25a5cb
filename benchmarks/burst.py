"""A burst of visitors over Streamlit's own websocket protocol: N visitors open a page within T seconds.

Usage:
    python benchmarks/burst.py --visitors 50 --window 10 --page '/map?theme=blocking&region=africa'
    python benchmarks/burst.py --visitors 10 --window 5 --url http://127.0.0.1:8501   # an app already running
    python benchmarks/burst.py --cluster 2 --visitors 50 --window 10   # two replicas behind nginx (deploy/cluster.py)

Without ``--url`` it starts the app (and, with ``--yardstick``, the bare one-choropleth page) on loopback ports
and measures both in the same run, so the figures compare as ratios on whatever machine runs them. Only loopback
addresses are accepted.

Each visitor connects to ``/_stcore/stream`` (subprotocols ``streamlit`` and a placeholder token, Origin equal to
Host, as the browser does), sends a ``rerun_script`` whose ``ClientState`` carries the page's query string and
``page_name``, and waits for the run's ``script_finished``. A visitor counts as an error when the connection fails,
the run does not finish successfully within ``--timeout``, or another page ran: a wrong page name is not an error
for Streamlit (it sends ``page_not_found`` and runs the main page), so the page that ran is read from the
``navigation`` message's ``page_script_hash``.

Behind nginx (``--cluster N``, or ``--sticky`` with ``--url`` of a running one) each visitor first GETs the page,
as a browser does, and connects its websocket with the cookies it got: nginx's ``igf_replica`` keeps it on the
replica it was given (deploy/nginx.conf.template). Which replica served each visitor is reported.

With ``--change theme=access`` every visitor then changes one filter the way a user does, by landing the same page
with the changed query (a second rerun on the same session), and that rerun is timed too.

Reported: p50 / p95 / max from arrival to the first run's end, errors, server CPU seconds per visitor (from
``/proc/<pid>/stat``), resident memory before, at peak and after the burst (sessions still open), and, with
``--browser-sample K``, K visitors timed in headless Chromium alongside (navigation → script finished).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Visit:
    """One visitor's outcome."""

    arrival: float
    finished: float | None = None  # seconds from arrival to the first run's script_finished
    changed: float | None = None  # seconds for the rerun after the filter change
    error: str = ""
    page_ran: str = ""
    replica: str = ""  # nginx's igf_replica cookie, when the visitor went through a cluster


@dataclass
class Burst:
    """What one burst measured."""

    label: str
    visits: list[Visit]
    cpu_seconds: float | None
    rss_before: float | None
    rss_peak: float | None
    rss_after: float | None
    wall: float
    browser: list[float] = field(default_factory=list)
    rss_idle: float | None = None  # every visitor's first run over, every session still connected and idle

    def times(self) -> list[float]:
        return sorted(v.finished for v in self.visits if v.finished is not None and not v.error)

    def summary(self) -> dict[str, object]:
        times = self.times()
        changed = sorted(v.changed for v in self.visits if v.changed is not None)
        visitors = len(self.visits)
        return {
            "page": self.label,
            "visitors": visitors,
            "errors": sum(1 for v in self.visits if v.error),
            "error_kinds": sorted({v.error.split(":")[0] for v in self.visits if v.error}),
            "p50_s": _quantile(times, 0.5),
            "p95_s": _quantile(times, 0.95),
            "max_s": times[-1] if times else None,
            "change_p95_s": _quantile(changed, 0.95),
            "cpu_s_per_visitor": None if self.cpu_seconds is None else self.cpu_seconds / max(visitors, 1),
            "rss_mb_before": self.rss_before,
            "rss_mb_peak": self.rss_peak,
            "rss_mb_after": self.rss_after,
            "rss_mb_idle": self.rss_idle,
            # Growth per idle session: resident memory with every session open and idle (after a settle), above
            # the warmed server's before the burst.
            "rss_mb_per_session": None
            if self.rss_idle is None or self.rss_before is None
            else (self.rss_idle - self.rss_before) / max(visitors, 1),
            "browser_s": self.browser,
            "replicas": {
                r: sum(1 for v in self.visits if v.replica == r)
                for r in sorted({v.replica for v in self.visits if v.replica})
            },
            "wall_s": self.wall,
        }


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


# --- the server process --------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB."""
    resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return resident * PAGE_SIZE / 1e6


Pids = int | tuple[int, ...] | list[int] | None


def _pids(pid: Pids) -> tuple[int, ...]:
    if pid is None:
        return ()
    return (pid,) if isinstance(pid, int) else tuple(pid)


def total_cpu(pid: Pids) -> float | None:
    """CPU seconds of one server process or the sum over several (a cluster's replicas)."""
    pids = _pids(pid)
    return sum(cpu_seconds(p) for p in pids) if pids else None


def total_rss(pid: Pids) -> float | None:
    """Resident memory in MB of one server process or the sum over several."""
    pids = _pids(pid)
    return sum(rss_mb(p) for p in pids) if pids else None


def first_get(base: str, path: str, query: str, timeout: float) -> tuple[str, str]:
    """GET the page as a browser does first; the ``Cookie`` header it would send next, and nginx's replica."""
    import urllib.request
    from http.cookies import SimpleCookie

    url = base.rstrip("/") + "/" + path.lstrip("/") + (f"?{query}" if query else "")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # loopback only (main checks)
        response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    jar = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    replica = cookies["igf_replica"].value if "igf_replica" in cookies else ""
    return jar, replica


# --- one visitor ---------------------------------------------------------------------------------------------------


def _rerun(query: str, page_name: str) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page_name
    return message.SerializeToString()


async def _until_finished(socket, deadline: float, visit: Visit, hashes: dict[str, str]) -> bool:  # type: ignore[no-untyped-def]
    """Read forward messages until the run ends; note which page ran. True when it finished successfully."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            visit.error = "timeout"
            return False
        raw = await asyncio.wait_for(socket.recv(), timeout=remaining)
        if isinstance(raw, str):
            continue
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "navigation":
            for app_page in message.navigation.app_pages:
                hashes[app_page.page_script_hash] = app_page.url_pathname
            visit.page_ran = hashes.get(message.navigation.page_script_hash, message.navigation.page_script_hash)
        elif kind == "page_not_found":
            visit.error = "page_not_found"
        elif kind == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return not visit.error
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the app asked for a rerun (a URL write); the visitor waits for the rerun's end
            visit.error = f"script_finished:{ForwardMsg.ScriptFinishedStatus.Name(status)}"
            return False


# Seconds between the last visitor's run and the memory sample of the idle sessions.
IDLE_SETTLE_S = 2.0


class Idle:
    """When every visitor's run is over: the burst then samples memory while all sessions sit open, then lets go."""

    def __init__(self, visitors: int) -> None:
        self.pending = set(range(visitors))
        self.all_idle = asyncio.Event()
        self.release = asyncio.Event()
        if not self.pending:
            self.all_idle.set()

    def done(self, number: int) -> None:
        """Visitor ``number`` has finished its run (or given up); calling it again changes nothing."""
        self.pending.discard(number)
        if not self.pending:
            self.all_idle.set()


async def visitor(
    base: str,
    path: str,
    query: str,
    change: str,
    delay: float,
    timeout: float,
    keep: float,
    sticky: bool = False,
    idle_at: tuple[Idle, int] | None = None,
) -> Visit:
    idle, number = idle_at or (Idle(1), 0)
    await asyncio.sleep(delay)  # a load generator spreads arrivals on purpose; this is not a test
    start = time.monotonic()
    visit = Visit(arrival=delay)
    parsed = urlparse(base)
    ws_url = f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
    page_name = path.strip("/")
    hashes: dict[str, str] = {}
    headers: dict[str, str] = {}
    try:
        if sticky:
            jar, visit.replica = await asyncio.to_thread(first_get, base, path, query, timeout)
            if jar:
                headers["Cookie"] = jar
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],  # type: ignore[list-item]
            origin=f"{parsed.scheme}://{parsed.netloc}",  # type: ignore[arg-type]
            max_size=None,
            open_timeout=timeout,
            additional_headers=headers,
        ) as socket:
            await socket.send(_rerun(query, page_name))
            if not await _until_finished(socket, start + timeout, visit, hashes):
                return visit
            visit.finished = time.monotonic() - start
            if visit.page_ran.strip("/") != page_name:
                visit.error = f"wrong_page:{visit.page_ran}"
                return visit
            if change:
                name, _, value = change.partition("=")
                changed = dict(parse_qsl(query))
                changed[name] = value
                begun = time.monotonic()
                await socket.send(_rerun(urlencode(changed), page_name))
                if await _until_finished(socket, begun + timeout, visit, hashes):
                    visit.changed = time.monotonic() - begun
            # Stay connected, as a reader does, until the burst has measured memory with every session open.
            idle.done(number)
            try:
                await asyncio.wait_for(idle.release.wait(), timeout=max(keep, timeout))
            except TimeoutError:
                pass
    except (TimeoutError, OSError, websockets.exceptions.WebSocketException) as error:
        visit.error = visit.error or f"{type(error).__name__}:{error}"
    finally:
        idle.done(number)  # after an error too, so the burst never waits on a visitor that left
    return visit


# --- a burst --------------------------------------------------------------------------------------------------------


async def _sample_memory(pid: Pids, peak: list[float], stop: asyncio.Event) -> None:
    while _pids(pid) and not stop.is_set():
        peak.append(total_rss(pid) or 0.0)
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.1)
        except TimeoutError:
            pass


async def _browser_sample(base: str, target: str, count: int, window: float, chromium: str) -> list[float]:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, is_local

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)

        async def one(delay: float) -> float:
            await asyncio.sleep(delay)
            context = await browser.new_context()

            async def guard(route, request) -> None:  # type: ignore[no-untyped-def]
                await (route.continue_() if is_local(request.url) else route.abort())

            await context.route("**/*", guard)
            page = await context.new_page()
            begun = time.monotonic()
            await page.goto(base.rstrip("/") + target)
            await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
            await page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
            took = time.monotonic() - begun
            await context.close()
            return took

        results = await asyncio.gather(*(one(window * (i + 0.5) / count) for i in range(count)))
        await browser.close()
    return sorted(results)


async def burst(
    base: str,
    target: str,
    visitors: int,
    window: float,
    pid: Pids,
    change: str = "",
    timeout: float = 120.0,
    browser_sample: int = 0,
    chromium: str | None = None,
    seed: int = 2012,
    sticky: bool = False,
) -> Burst:
    """N visitors arriving uniformly at random within ``window`` seconds (``pid``: the server's, or replicas')."""
    parsed = urlparse(target)
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0, window) for _ in range(visitors))
    keep = window + 5.0
    stop = asyncio.Event()
    peak: list[float] = []
    before_cpu = total_cpu(pid)
    before_rss = total_rss(pid)
    sampler = asyncio.create_task(_sample_memory(pid, peak, stop))
    begun = time.monotonic()
    idle = Idle(visitors)
    tasks = [
        asyncio.create_task(visitor(base, parsed.path, parsed.query, change, d, timeout, keep, sticky, (idle, n)))
        for n, d in enumerate(delays)
    ]
    browser_task = (
        asyncio.create_task(_browser_sample(base, target, browser_sample, window, chromium))
        if browser_sample and chromium
        else None
    )
    try:
        await asyncio.wait_for(idle.all_idle.wait(), timeout=window + timeout)
        wall = time.monotonic() - begun
        await asyncio.sleep(IDLE_SETTLE_S)  # let the last runs' garbage go before reading memory
        idle_rss = total_rss(pid)
    except TimeoutError:
        wall, idle_rss = time.monotonic() - begun, None
    idle.release.set()
    visits = await asyncio.gather(*tasks)
    after_rss = total_rss(pid)  # the sessions closed (Streamlit keeps a closed one for about two minutes)
    stop.set()
    await sampler
    after_cpu = total_cpu(pid)
    used = after_cpu - before_cpu if after_cpu is not None and before_cpu is not None else None
    sampled = await browser_task if browser_task else []
    return Burst(
        target, list(visits), used, before_rss, max(peak) if peak else None, after_rss, wall, sampled, idle_rss
    )


def run_burst(*args: Any, **kwargs: Any) -> Burst:
    """:func:`burst` to completion in a thread of its own: callable where an event loop already runs (Playwright's
    sync API keeps one in the test process's main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(burst(*args, **kwargs))).result()


def _loopback(url: str) -> str:
    host = urlparse(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"--url must be a loopback address (127.0.0.1, localhost or ::1), not {host!r}")
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=25)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the visitors arrive")
    parser.add_argument("--page", default="/map?theme=blocking&region=africa")
    parser.add_argument("--url", help="a running app (loopback only); default: start one")
    parser.add_argument("--cluster", type=int, metavar="N", help="start N replicas behind nginx and go through it")
    parser.add_argument("--sticky", action="store_true", help="GET the page first and send its cookies (nginx)")
    parser.add_argument("--pid", type=int, help="the running app's process id, for CPU and memory")
    parser.add_argument("--change", default="", help="a filter each visitor then changes, e.g. theme=access")
    parser.add_argument("--yardstick", action="store_true", help="also measure the bare one-choropleth page")
    parser.add_argument("--browser-sample", type=int, default=0, help="visitors also timed in headless Chromium")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--max-visitors", type=int, default=1000, help="a bound: refuse larger bursts")
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    if not 0 < args.visitors <= args.max_visitors:
        raise SystemExit(f"--visitors must be between 1 and {args.max_visitors}")

    from tests.e2e.conftest import find_chromium, start_server, stop_server

    chromium = find_chromium() if args.browser_sample else None
    results: list[dict[str, object]] = []
    servers = []
    sticky = args.sticky or bool(args.cluster)
    targets: list[tuple[str, str, Pids]]
    cluster = None
    try:
        if args.cluster:
            import tempfile

            from deploy.cluster import Cluster

            cluster = Cluster(Path(tempfile.mkdtemp(prefix="burst-cluster-")), replicas=args.cluster)
            cluster.start()
            pids = tuple(r.process.pid for r in cluster.members if r.process is not None)
            targets = [(cluster.url, args.page, pids)]
            for replica in cluster.members:  # warm every replica, not only the one nginx gives the warm-up visitor
                asyncio.run(burst(replica.url, args.page, 1, 0.0, None, timeout=args.timeout))
        elif args.url:
            targets = [(_loopback(args.url), args.page, args.pid)]
        else:
            import tempfile

            scratch = Path(tempfile.mkdtemp(prefix="burst-"))
            app = start_server(scratch)
            servers.append(app)
            targets = [(app.url, args.page, app.process.pid)]
            if args.yardstick:
                from benchmarks.map_benchmark import bare_values

                bare = start_server(
                    scratch,
                    env_extra={"BARE_MAP_VALUES": json.dumps(bare_values())},
                    script=ROOT / "benchmarks" / "bare_map_page.py",
                )
                servers.append(bare)
                targets.append((bare.url, "/", bare.process.pid))
        for base, target, pid in targets:
            # One warm-up visitor: the first run of a process imports modules and fills the caches.
            asyncio.run(burst(base, target, 1, 0.0, None, timeout=args.timeout, sticky=sticky))
            measured = asyncio.run(
                burst(
                    base,
                    target,
                    args.visitors,
                    args.window,
                    pid,
                    args.change,
                    args.timeout,
                    args.browser_sample,
                    chromium,
                    sticky=sticky,
                )
            )
            summary = measured.summary()
            summary["server"] = base
            results.append(summary)
            print(json.dumps(summary, default=lambda x: round(x, 3) if isinstance(x, float) else x), flush=True)
    finally:
        for server in servers:
            stop_server(server)
        if cluster is not None:
            cluster.stop()
    if len(results) == 2 and results[0]["cpu_s_per_visitor"] and results[1]["cpu_s_per_visitor"]:
        ratio = float(results[0]["cpu_s_per_visitor"]) / float(results[1]["cpu_s_per_visitor"])  # type: ignore[arg-type]
        print(f"CPU per visitor, page / bare yardstick: {ratio:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
