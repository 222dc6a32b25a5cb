"""An ingest published while two replicas serve visitors: each replica switches to the new data whole, with no
restart and no error, and never shows a page drawn from two states of the data.

The replicas share one data directory (a copy of the shipped data lacking Australia's FOTN 2024 figure); the
command line ingests the FOTN 2024 file, which holds it. Meanwhile a websocket burst keeps both replicas busy, and
one browser per replica reloads the FOTN 2024 map until it counts the new country.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.burst import Burst, run_burst
from deploy.cluster import Cluster
from igf_explorer.ingest.history import read_log
from tests.conftest import DATA_DIR, INGEST_FIXTURES, REPO_ROOT
from tests.e2e.conftest import require_nginx, wait_for_app
from tests.helpers_store import drop_rows

pytestmark = pytest.mark.e2e
FOTN = INGEST_FIXTURES / "fotn_short_headers_no_edition.csv"  # real 2024 figures, Australia among them
MAP = "/map?indicator=fotn_total&year=2024"
COUNT = re.compile(r"^(\d+) of (\d+)$")


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(DATA_DIR, data)
    drop_rows(data, "fotn", "AUS", 2024)
    return data


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Cluster]:
    require_nginx("the scale-out tests")
    with Cluster(tmp_path_factory.mktemp("ingest-cluster"), replicas=2, data_dir=shared_data) as running:
        yield running


def on_replica(sized_page, cluster: Cluster, name: str):  # type: ignore[no-untyped-def]
    """A browser page whose requests all reach replica ``name`` (nginx routes by the igf_replica cookie)."""
    page = sized_page(1400, 1000)
    page.context.add_cookies([{"name": "igf_replica", "value": name, "url": cluster.url}])
    return page


def counted(page, base: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The FOTN 2024 map's "Countries with a figure" and its table's rows, as the page shows them."""
    page.goto(base + MAP)
    wait_for_app(page)
    table = page.locator('[data-testid="stMain"] .st-key-map-table table tbody tr')
    table.first.wait_for(timeout=60_000)
    metric = page.locator('[data-testid="stMain"] .igf-number-value').first.inner_text().strip()
    match = COUNT.match(metric)
    assert match, f"the count reads {metric!r}"
    return int(match[1]), table.count()


def test_an_ingest_reaches_both_replicas_whole_without_a_restart(  # type: ignore[no-untyped-def]
    cluster: Cluster, shared_data: Path, sized_page
) -> None:
    pids = {r.name: r.process.pid for r in cluster.members if r.process}
    pages = {r.name: on_replica(sized_page, cluster, r.name) for r in cluster.members}
    before = {name: counted(page, cluster.url) for name, page in pages.items()}
    assert len(set(before.values())) == 1, f"the replicas disagree before the ingest: {before}"
    (old_count, old_rows) = next(iter(before.values()))
    assert old_count == old_rows, "the count and the table come from the same data"

    load: list[Burst] = []
    visitors = threading.Thread(
        target=lambda: load.append(run_burst(cluster.url, "/map?theme=blocking&region=africa", 16, 8.0, None))
    )
    visitors.start()
    env = {**os.environ, "IGF_EXPLORER_DATA_DIR": str(shared_data)}
    ingest = subprocess.run(
        [sys.executable, "-m", "igf_explorer", "ingest", str(FOTN), "--edition", "2024"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert read_log(shared_data)[-1]["action"] == "ingest"

    seen: dict[str, list[tuple[int, int]]] = {name: [] for name in pages}
    for name, page in pages.items():
        # Each reload is a new session, which draws the version on disk when it starts; the replica notices a
        # new version within its one-second re-read, so a few reloads are enough.
        for _ in range(20):
            seen[name].append(counted(page, cluster.url))
            if seen[name][-1][0] != old_count:
                break
    visitors.join(timeout=180)

    for name, views in seen.items():
        assert views[-1] == (old_count + 1, old_rows + 1), f"replica {name} never showed Australia: {views}"
        assert all(v in {(old_count, old_rows), (old_count + 1, old_rows + 1)} for v in views), views
    assert load and [v.error for v in load[0].visits] == [""] * 16, "no visitor failed during the ingest"
    assert {r.name: r.process.pid for r in cluster.members if r.process} == pids, "no replica was restarted"
