"""A burst of visitors on a static snapshot: N browsers' first loads (page and assets) within T seconds, over HTTP.

Usage:
    python -m benchmarks.static_burst --url http://127.0.0.1:8080/snapshot/NAME/index.html --visitors 500 --window 10

Each visitor does what a browser does on a first visit (empty cache): it fetches the page, reads the scripts and
stylesheets it names (``<script src>``, ``<link rel="stylesheet" href>``) and fetches them at once, up to six
connections as a browser does, all with ``Accept-Encoding: gzip`` and keep-alive. Bodies are read to the end and
not decoded (the bytes on the wire are what the server sends). A visitor counts as an error when a request fails,
answers other than 200, is cut short, or the whole load takes longer than ``--timeout``; an asset named by the page
that is not served is an error too.

Reported: p50 / p95 / max from arrival to the last byte of the last asset, errors and their kinds, requests and
bytes per visitor, and, with ``--server-pid`` (nginx's master), the server's CPU seconds per visitor (the process
and its workers). Loopback addresses only, and at most ``--max-visitors``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from benchmarks.burst import LOOPBACK, _quantile, cpu_seconds

BROWSER_CONNECTIONS = 6  # what browsers open per host for HTTP/1.1
_ASSET = re.compile(
    r"""<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)\"""", re.IGNORECASE
)


@dataclass
class StaticVisit:
    """One visitor's first load."""

    arrival: float
    took: float | None = None  # seconds from arrival to the last byte of the last asset
    requests: int = 0
    bytes: int = 0
    error: str = ""


@dataclass
class StaticBurst:
    """What one burst measured."""

    url: str
    visits: list[StaticVisit]
    wall: float
    server_cpu: float | None = None
    assets: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures: p50 / p95 / max, errors, requests and bytes per visitor, server CPU per visitor."""
        times = sorted(v.took for v in self.visits if v.took is not None and not v.error)
        visitors = len(self.visits)
        return {
            "url": self.url,
            "visitors": visitors,
            "errors": sum(1 for v in self.visits if v.error),
            "error_kinds": sorted({v.error.split(":")[0] for v in self.visits if v.error}),
            "p50_s": _quantile(times, 0.5),
            "p95_s": _quantile(times, 0.95),
            "max_s": times[-1] if times else None,
            "requests_per_visitor": statistics.mean(v.requests for v in self.visits) if visitors else 0,
            "bytes_per_visitor": statistics.mean(v.bytes for v in self.visits) if visitors else 0,
            "assets": self.assets,
            "server_cpu_s_per_visitor": None if self.server_cpu is None else self.server_cpu / max(visitors, 1),
            "wall_s": self.wall,
        }


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its live children (nginx's workers), read from /proc."""
    total = cpu_seconds(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(tree_cpu_seconds(int(child)) for child in children)


def page_assets(page_url: str, html: str) -> list[str]:
    """The scripts and stylesheets a page loads, as absolute URLs, in order, each once."""
    found = [src or href for src, href in _ASSET.findall(html)]
    return list(dict.fromkeys(urljoin(page_url, link) for link in found))


class Connection:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, url: str) -> Connection:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80, limit=1 << 20)
        return cls(reader, writer, parts.netloc)

    async def get(self, url: str) -> tuple[int, bytes]:
        """GET ``url``; the status and the body as sent (gzip left as it is)."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAccept-Encoding: gzip\r\n"
            "User-Agent: igf-static-burst\r\nAccept: */*\r\n\r\n".encode("ascii")
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(c[:-2] for c in chunks)
        else:
            body = await self.reader.read()
        return status, body

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except OSError:
            pass


def _html(body: bytes) -> str:
    import gzip

    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return body.decode("utf-8", errors="replace")


async def static_visitor(url: str, delay: float, timeout: float) -> tuple[StaticVisit, list[str]]:
    """One browser's first load of ``url``: the page, then its scripts and stylesheets in parallel."""
    await asyncio.sleep(delay)  # a load generator spreads arrivals on purpose; this is not a test
    visit = StaticVisit(arrival=delay)
    start = time.monotonic()
    opened: list[Connection] = []
    assets: list[str] = []

    async def fetch(connection: Connection, target: str) -> bytes:
        status, body = await connection.get(target)
        visit.requests += 1
        visit.bytes += len(body)
        if status != 200:
            raise LookupError(f"status_{status}:{target}")
        return body

    async def load() -> None:
        first = await Connection.open(url)
        opened.append(first)
        assets.extend(page_assets(url, _html(await fetch(first, url))))
        queue: asyncio.Queue[str] = asyncio.Queue()
        for asset in assets:
            queue.put_nowait(asset)

        async def worker(connection: Connection) -> None:
            while not queue.empty():
                await fetch(connection, queue.get_nowait())

        more = [await Connection.open(url) for _ in range(min(len(assets), BROWSER_CONNECTIONS) - 1)]
        opened.extend(more)
        await asyncio.gather(*(worker(c) for c in opened))

    try:
        await asyncio.wait_for(load(), timeout=timeout)
        visit.took = time.monotonic() - start
    except TimeoutError:
        visit.error = "timeout"
    except (OSError, LookupError, ValueError, asyncio.IncompleteReadError) as error:
        visit.error = f"{type(error).__name__}:{error}"
    finally:
        for connection in opened:
            await connection.close()
    return visit, assets


async def static_burst(
    url: str, visitors: int, window: float, timeout: float = 30.0, server_pid: int | None = None, seed: int = 2012
) -> StaticBurst:
    """N visitors arriving uniformly at random within ``window`` seconds, each loading the page and its assets."""
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0, window) for _ in range(visitors))
    before = tree_cpu_seconds(server_pid) if server_pid else None
    begun = time.monotonic()
    results = await asyncio.gather(*(static_visitor(url, d, timeout) for d in delays))
    wall = time.monotonic() - begun
    used = tree_cpu_seconds(server_pid) - before if server_pid and before is not None else None
    assets = next((a for _, a in results if a), [])
    return StaticBurst(url, [v for v, _ in results], wall, used, assets)


def run_static_burst(*args: Any, **kwargs: Any) -> StaticBurst:
    """:func:`static_burst` to completion in a thread of its own (callable where an event loop already runs)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(static_burst(*args, **kwargs))).result()


def main(argv: list[str] | None = None) -> int:
    """Run one burst and print its figures as JSON; exit 1 when any visitor failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the snapshot's page, e.g. http://127.0.0.1:8080/snapshot/…")
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the visitors arrive")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a visitor's whole first load may take")
    parser.add_argument("--server-pid", type=int, help="nginx's master process, for the server's CPU per visitor")
    parser.add_argument("--max-visitors", type=int, default=2000, help="a bound: refuse larger bursts")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    parts = urlsplit(args.url)
    if parts.scheme != "http" or (parts.hostname or "") not in LOOPBACK:
        raise SystemExit(f"--url must be an http:// loopback address (127.0.0.1, localhost or ::1), not {args.url!r}")
    if not 0 < args.visitors <= args.max_visitors:
        raise SystemExit(f"--visitors must be between 1 and {args.max_visitors}")
    summary = asyncio.run(static_burst(args.url, args.visitors, args.window, args.timeout, args.server_pid)).summary()
    text = json.dumps(summary, default=lambda x: round(x, 4) if isinstance(x, float) else x)
    print(text, flush=True)
    if args.json:
        args.json.write_text(text + "\n")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
