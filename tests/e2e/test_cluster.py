"""Two replicas behind Debian's nginx on loopback (deploy/cluster.py): routing, stickiness, faults.

nginx is a test requirement like Chromium: missing, the tests skip locally and fail on CI.
"""

from __future__ import annotations

import os
import signal
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest

from benchmarks.burst import cpu_seconds, run_burst
from deploy.cluster import Cluster, healthy
from tests.e2e.conftest import require_nginx, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_nginx("the scale-out tests")
    with Cluster(tmp_path_factory.mktemp("cluster"), replicas=2, check_interval_s=0.5) as running:
        yield running


def replica_cookie(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        cookie = SimpleCookie(response.headers.get("Set-Cookie", ""))
    return cookie["igf_replica"].value


def wait_until(cluster: Cluster, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait on the cluster's health checker (a pass every 0.5 s) until ``condition`` holds."""
    assert cluster.wait_for(condition, timeout=60), f"timed out waiting for {what}"


def test_visitors_are_spread_over_both_replicas_and_every_page_runs(cluster: Cluster) -> None:
    routes = {replica_cookie(cluster.url + "/") for _ in range(20)}
    assert routes == {r.name for r in cluster.members}
    before = {r.name: cpu_seconds(r.process.pid) for r in cluster.members if r.process}
    measured = run_burst(cluster.url, "/map?theme=blocking&region=africa", 8, 2.0, None)
    assert [v.error for v in measured.visits] == [""] * 8
    assert {v.page_ran for v in measured.visits} == {"map"}
    used = {r.name: cpu_seconds(r.process.pid) - before[r.name] for r in cluster.members if r.process}
    assert all(seconds > 0 for seconds in used.values()), used


def test_a_browser_stays_on_its_replica_and_survives_losing_it(cluster: Cluster, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(cluster.url + "/map?theme=blocking")
    wait_for_app(page)
    route = next(c["value"] for c in page.context.cookies() if c["name"] == "igf_replica")
    victim = next(r for r in cluster.members if r.name == route)
    assert victim.process is not None
    # The frontend reconnects by itself; nginx sends its websocket to the backup replica, which runs the page anew.
    with page.expect_websocket(timeout=60_000):
        victim.process.kill()
        victim.process.wait(timeout=10)
    wait_for_app(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Map")
    wait_until(cluster, lambda: victim.name not in cluster.up, "the checker to take the dead replica out")
    assert replica_cookie(cluster.url + "/") != victim.name
    cluster.start_replica(victim)
    wait_until(cluster, lambda: victim.name in cluster.up, "the restarted replica to come back")


def test_a_replica_that_fails_its_health_check_gets_no_new_visitors(cluster: Cluster) -> None:
    wait_until(cluster, lambda: cluster.up == {r.name for r in cluster.members}, "both replicas up")
    frozen = cluster.members[0]
    assert frozen.process is not None
    os.kill(frozen.process.pid, signal.SIGSTOP)  # alive but unresponsive: only the health check can tell
    try:
        wait_until(cluster, lambda: frozen.name not in cluster.up, "the frozen replica to be taken out")
        assert not healthy(frozen.url)
        assert {replica_cookie(cluster.url + "/") for _ in range(10)} == {cluster.members[1].name}
    finally:
        os.kill(frozen.process.pid, signal.SIGCONT)
    wait_until(cluster, lambda: frozen.name in cluster.up, "the thawed replica to come back")


def test_burst_visitors_through_nginx_keep_their_replica_by_its_cookie(cluster: Cluster) -> None:
    wait_until(cluster, lambda: cluster.up == {r.name for r in cluster.members}, "both replicas up")
    pids = tuple(r.process.pid for r in cluster.members if r.process)
    measured = run_burst(cluster.url, "/map?theme=blocking&region=africa", 6, 1.0, pids, sticky=True)
    assert [v.error for v in measured.visits] == [""] * 6
    assert {v.replica for v in measured.visits} <= {r.name for r in cluster.members}
    assert all(v.replica for v in measured.visits)
    assert measured.summary()["cpu_s_per_visitor"] is not None
