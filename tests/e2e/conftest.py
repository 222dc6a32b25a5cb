"""End-to-end fixtures: a real Streamlit server on a free port and headless Chromium that blocks and counts
every request leaving localhost.

The browser is the system Chromium (Debian's ``chromium``), found on PATH or through ``IGF_CHROMIUM``. When it is
missing, the tests skip locally but fail when ``CI`` or ``IGF_REQUIRE_BROWSER`` is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO_ROOT

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 90


def browser_required() -> bool:
    """On CI (or when asked) a missing browser is a failure, never a skip."""
    return bool(os.environ.get("CI") or os.environ.get("IGF_REQUIRE_BROWSER"))


def require_nginx(what: str) -> None:
    """Skip without Debian's nginx locally; fail on CI, where ``what`` (e.g. "the scale-out tests") must run."""
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        message = "no nginx found (install Debian's 'nginx')"
        if browser_required():
            pytest.fail(f"{message}; {what} must run on CI", pytrace=False)
        pytest.skip(message)


def find_chromium() -> str | None:
    """Path to the system Chromium, or None."""
    explicit = os.environ.get("IGF_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running Streamlit server."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(
    tmp_dir: Path,
    env_extra: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
    base_path: str = "",
    script: Path | None = None,
) -> Server:
    """Start ``streamlit run app.py`` (or ``script``) on a free port and wait until it answers its health check."""
    port = free_port()
    log = tmp_dir / f"streamlit-{port}.log"
    env = {**os.environ, **(env_extra or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or REPO_ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *(extra_args or []),
    ]
    handle = log.open("wb")
    process = subprocess.Popen(
        command, cwd=(script.parent if script else REPO_ROOT), env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    url = f"http://127.0.0.1:{port}{prefix}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url=url, process=process, log=log)
        except OSError:
            # Waiting on the server process itself: returns at once if it dies, else polls health again.
            try:
                process.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                pass
    process.kill()
    raise RuntimeError(f"streamlit did not start in {SERVER_START_TIMEOUT}s:\n{log.read_text(errors='replace')}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's 'chromium' or set IGF_CHROMIUM)"
        if browser_required():
            pytest.fail(message + "; browser tests must run on CI", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@dataclass
class Traffic:
    """Every request the page made, and those that tried to leave localhost (blocked)."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def guarded_page(browser, traffic: Traffic, width: int = 1400, height: int = 1000, **context_args: object):  # type: ignore[no-untyped-def]
    """A page in a fresh context of the given viewport; requests to other hosts are aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context_args)

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        traffic.requests.append(request.url)
        if is_local(request.url):
            route.continue_()
        else:
            traffic.external.append(request.url)
            route.abort()

    context.route("**/*", guard)
    new_page = context.new_page()
    new_page.on("websocket", lambda ws: None if is_local(ws.url) else traffic.external.append(ws.url))
    return new_page


@pytest.fixture
def page(browser, traffic: Traffic) -> Iterator[object]:
    """A fresh browser page; requests to other hosts are aborted and recorded, and fail the test."""
    new_page = guarded_page(browser, traffic)
    yield new_page
    new_page.context.close()
    assert traffic.external == [], f"requests left localhost: {traffic.external}"


@pytest.fixture
def sized_page(browser, traffic: Traffic) -> Iterator[object]:
    """A factory of guarded pages of any viewport (``sized_page(1280, 720)``); every one is closed and checked."""
    opened: list[object] = []

    def make(width: int, height: int, **context_args: object):  # type: ignore[no-untyped-def]
        new_page = guarded_page(browser, traffic, width, height, **context_args)
        opened.append(new_page)
        return new_page

    yield make
    for each in opened:
        each.context.close()  # type: ignore[attr-defined]
    assert traffic.external == [], f"requests left localhost: {traffic.external}"


def wait_for_app(page, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished running and the main area has content."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    # A rerun may be queued by a widget or URL update right as the first run ends: wait until the app has stayed
    # idle for several polls in a row (its own state, not a fixed delay), starting the count afresh each call.
    page.evaluate("window.__igfIdlePolls = 0")
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
            window.__igfIdlePolls = idle ? window.__igfIdlePolls + 1 : 0;
            return window.__igfIdlePolls >= 4;
        }""",
        polling=100,
        timeout=timeout,
    )
