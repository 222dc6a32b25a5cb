"""Several Streamlit replicas behind Debian's nginx, with active health checks: the scale-out recipe, runnable.

Usage:
    python deploy/cluster.py --replicas 2 --listen 127.0.0.1:8080 [--data-dir DIR] [--snapshots DIR] [--deck-snapshots]

Each replica is ``streamlit run app.py`` on its own loopback port, all reading the same data directory (read-only
for them; a maintainer's published ingest changes the data version, which every replica re-reads within a second,
so no restart is needed). nginx routes a new visitor to a healthy replica and keeps it there with a cookie (see
``nginx.conf.template``). A checker polls every replica's ``/_stcore/health``; when one stops answering, nginx is
reconfigured without it (``nginx -s reload`` keeps open connections) and its visitors fall over to the others;
when it answers again, it is put back.

Static snapshots of views (``igf_explorer.snapshot``) live in ``--snapshots`` (default: ``<workdir>/snapshots``),
which nginx serves at ``/snapshot/`` with no replica involved; every replica is told the folder and that path, so a
presenter's share slide in snapshot mode (``/present?slide=N&snapshot=1``) writes its snapshot there and its QR
code points at ``/snapshot/<name>/index.html``. ``--deck-snapshots`` writes those of the deck's share slides before
the first visitor comes.

The same recipe on a cluster: run the replicas as containers (``deploy/Dockerfile``) behind any load balancer with
session affinity (a cookie or the websocket connection itself), health-checked on ``/_stcore/health``, with the
data directory on a shared read-only volume.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
HEALTH_TIMEOUT_S = 1.0
START_TIMEOUT_S = 90.0
SNAPSHOT_PATH = "snapshot"  # the location nginx.conf.template serves the snapshot folder at


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str, timeout: float = HEALTH_TIMEOUT_S) -> bool:
    """Whether ``url``/_stcore/health answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Replica:
    """One Streamlit process."""

    name: str
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where the replica answers directly (the health checker's address)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """``host:port`` for nginx's upstream block."""
        return f"127.0.0.1:{self.port}"


def render_config(
    replicas: Sequence[Replica],
    up: set[str],
    listen: str,
    prefix: Path,
    snapshots: Path,
    max_body: str = "60m",
) -> str:
    """The nginx configuration for these replicas, routing new visitors only to those in ``up``.

    When no replica is up, all are listed: nginx then tries them and answers 502 itself, which beats refusing.
    """
    live = [r for r in replicas if r.name in up] or list(replicas)
    share = 100.0 / len(live)
    split = [f"        {share:.2f}% {r.name};" for r in live[:-1]] + [f"        * {live[-1].name};"]
    routes = [f'        "{r.name}" {r.name};' for r in replicas]
    upstreams = []
    for replica in replicas:
        # A route keeps its own replica while it is up; the live others stand by as backups.
        own = [replica] if replica.name in up else []
        others = [r for r in live if r is not replica]
        lines = [f"        server {r.address} max_fails=1 fail_timeout=5s;" for r in own or others[:1]]
        lines += [f"        server {r.address} backup;" for r in (others if own else others[1:])]
        if not lines:
            lines = [f"        server {replica.address};"]
        upstreams.append(f"    upstream {replica.name} {{\n" + "\n".join(lines) + "\n    }")
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the prefix: it is only root's here
    return (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@USER@", user)
        .replace("@PREFIX@", str(prefix))
        .replace("@MAX_BODY@", max_body)
        .replace("@SPLIT@", "\n".join(split))
        .replace("@ROUTES@", "\n".join(routes))
        .replace("@UPSTREAMS@", "\n\n".join(upstreams))
        .replace("@LISTEN@", listen)
        .replace("@SNAPSHOTS@", str(snapshots))
    )


@dataclass
class Cluster:
    """N replicas, nginx in front, and the health checker; a context manager."""

    workdir: Path
    replicas: int = 2
    listen_port: int = 0
    data_dir: Path | None = None
    snapshots: Path | None = None
    check_interval_s: float = 1.0
    env: dict[str, str] = field(default_factory=dict)
    members: list[Replica] = field(default_factory=list)
    up: set[str] = field(default_factory=set)
    nginx: subprocess.Popen[bytes] | None = None
    changes: list[tuple[str, bool]] = field(default_factory=list)  # (replica, now up) as the checker saw them
    _stop: threading.Event = field(default_factory=threading.Event)
    _checker: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _env: dict[str, str] = field(default_factory=dict)
    _checked: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        """Where visitors reach the cluster (nginx)."""
        return f"http://127.0.0.1:{self.listen_port}"

    @property
    def snapshot_dir(self) -> Path:
        """The folder nginx serves at ``/snapshot/``."""
        return self.snapshots or self.workdir / "snapshots"

    def write_deck_snapshots(self) -> list[str]:
        """Write the snapshots of the deck's share slides into :attr:`snapshot_dir`; return their URL paths."""
        from igf_explorer.paths import resolve_data_dir
        from igf_explorer.snapshot import write_snapshots

        self.snapshot_dir.mkdir(parents=True, exist_ok=True)
        written = write_snapshots(resolve_data_dir(self.data_dir), self.snapshot_dir, None, SNAPSHOT_PATH)
        return [f"/{SNAPSHOT_PATH}/{result.target.name}/index.html" for result in written]

    @property
    def prefix(self) -> Path:
        """The prefix nginx runs in: its config, pid, logs and temporary files."""
        return self.workdir / "nginx"

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- replicas ---------------------------------------------------------------------------------------------

    def _replica_env(self) -> dict[str, str]:
        env = {**os.environ, **self.env}
        # One cookie secret for all: Streamlit's XSRF cookie, set by one replica, must be valid on the others.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        if self.data_dir is not None:
            env["IGF_EXPLORER_DATA_DIR"] = str(self.data_dir)
        # Where the replicas write snapshots, and the path nginx serves that folder at (nginx.conf.template).
        env["IGF_EXPLORER_SNAPSHOT_DIR"] = str(self.snapshot_dir)
        env["IGF_EXPLORER_SNAPSHOT_PATH"] = SNAPSHOT_PATH
        return env

    def start_replica(self, replica: Replica) -> None:
        """Start (or restart) one replica and wait for its health check."""
        log = (self.workdir / f"{replica.name}.log").open("ab")
        replica.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(replica.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait(lambda: healthy(replica.url), f"replica {replica.name} did not start", replica.process)

    def _wait(self, ready, message: str, process: subprocess.Popen[bytes] | None = None) -> None:  # type: ignore[no-untyped-def]
        deadline = threading.Event()
        timer = threading.Timer(START_TIMEOUT_S, deadline.set)
        timer.start()
        try:
            while not ready():
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{message}: exited with {process.returncode}")
                if deadline.wait(0.2):
                    raise RuntimeError(f"{message} within {START_TIMEOUT_S:.0f} s")
        finally:
            timer.cancel()

    # --- nginx ------------------------------------------------------------------------------------------------

    def _write_config(self) -> Path:
        conf = self.prefix / "nginx.conf"
        snapshots = self.snapshot_dir
        snapshots.mkdir(parents=True, exist_ok=True)
        text = render_config(self.members, set(self.up), f"127.0.0.1:{self.listen_port}", self.prefix, snapshots)
        conf.write_text(text, encoding="utf-8")
        return conf

    def _nginx(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [binary, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e", "stderr", *args]
        return subprocess.run(command, capture_output=True, check=False, timeout=30)

    def reload(self) -> None:
        """Rewrite the config for the replicas now up and reload nginx (open connections are kept)."""
        with self._lock:
            self._write_config()
            tested = self._nginx("-t")
            if tested.returncode != 0:
                raise RuntimeError(f"nginx refused its config: {tested.stderr.decode(errors='replace')}")
            self._nginx("-s", "reload")

    # --- health checks ----------------------------------------------------------------------------------------

    def check_once(self) -> None:
        """Poll every replica's health once; reconfigure nginx when the set of healthy replicas changed."""
        now_up = {r.name for r in self.members if healthy(r.url)}
        if now_up != self.up:
            for replica in self.members:
                if (replica.name in now_up) != (replica.name in self.up):
                    self.changes.append((replica.name, replica.name in now_up))
            self.up = now_up
            self.reload()

    def _check_loop(self) -> None:
        while not self._stop.wait(self.check_interval_s):
            try:
                self.check_once()
            except RuntimeError as error:  # keep checking: the next change may fix it
                print(f"health check: {error}", file=sys.stderr)
            with self._checked:
                self._checked.notify_all()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> bool:
        """Wait until ``condition`` holds after a health-check pass (or ``timeout`` seconds); whether it held."""
        with self._checked:
            return self._checked.wait_for(condition, timeout=timeout)

    # --- lifecycle --------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start every replica, wait for their health checks, then nginx and the checker."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        for sub in ("", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        self.listen_port = self.listen_port or free_port()
        self._env = self._replica_env()
        self.members = [Replica(f"r{i}", free_port()) for i in range(self.replicas)]
        for replica in self.members:
            self.start_replica(replica)
        self.up = {r.name for r in self.members}
        self._write_config()
        self.nginx = subprocess.Popen(
            [
                shutil.which("nginx") or "/usr/sbin/nginx",
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-e",
                "stderr",
                "-g",
                "daemon off;",
            ],
            stdout=(self.workdir / "nginx.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        self._wait(lambda: healthy(self.url), "nginx did not start", self.nginx)
        self._checker = threading.Thread(target=self._check_loop, name="health-check", daemon=True)
        self._checker.start()

    def stop(self) -> None:
        """Stop the checker, nginx (gracefully) and every replica."""
        self._stop.set()
        if self._checker is not None:
            self._checker.join(timeout=5)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for replica in self.members:
            process = replica.process
            if process is None or process.poll() is not None:
                continue
            os.kill(process.pid, signal.SIGCONT)  # a paused replica cannot act on SIGTERM
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def main(argv: list[str] | None = None) -> int:
    """Run a cluster until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--listen", default="127.0.0.1:8080", help="host:port nginx listens on")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--snapshots", type=Path, help="the folder of static snapshots, served at /snapshot/")
    parser.add_argument(
        "--deck-snapshots", action="store_true", help="write the snapshots of the deck's share slides first"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/igf-cluster"))
    args = parser.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    if host not in ("127.0.0.1", "localhost"):
        print("note: this recipe is tested on loopback; put TLS in front before exposing it", file=sys.stderr)
    cluster = Cluster(args.workdir, args.replicas, int(port), args.data_dir, args.snapshots)
    if args.deck_snapshots:
        for path in cluster.write_deck_snapshots():
            print(f"snapshot: {path}", flush=True)
    # sigwait needs the signals blocked: otherwise SIGTERM's default action ends the process before the cluster
    # stops, leaving its replicas and nginx running.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    with cluster:
        print(f"serving {cluster.url} with replicas {[r.url for r in cluster.members]}", flush=True)
        try:
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
