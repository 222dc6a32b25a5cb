"""Browser: the audience path of issue 10. A share slide in snapshot mode shows the QR code of a static snapshot that
nginx serves (no replica, no session), the snapshot draws its map with no request leaving loopback, its button
opens the live explorer at the same view, and a burst of first loads stays fast (benchmarks/static_burst.py).

nginx is a test requirement like Chromium: missing, the tests skip locally and fail on CI.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from benchmarks.static_burst import run_static_burst
from deploy.cluster import SNAPSHOT_PATH, Cluster
from igf_explorer.paths import DEFAULT_DATA_DIR
from igf_explorer.slides import load_slides
from igf_explorer.snapshot import INDEX, parse_view, vocabulary_of, write_snapshots
from igf_explorer.views import load_data
from tests.e2e.conftest import Traffic, require_nginx, wait_for_app

pytestmark = pytest.mark.e2e

LINK = "/map?theme=blocking&region=africa"
QR = ".st-key-slide-qr img"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_nginx("the audience-path tests")
    with Cluster(tmp_path_factory.mktemp("snapshot-cluster"), replicas=2, check_interval_s=0.5) as running:
        yield running


def share_slide() -> tuple[int, str]:
    """The number of the deck's first share slide and its link."""
    slides = load_slides(DEFAULT_DATA_DIR, None)
    number, spec = next((n, s) for n, s in enumerate(slides, start=1) if s.kind == "share")
    assert spec.link is not None
    return number, spec.link


def snapshot_address(cluster: Cluster, link: str) -> str:
    name = parse_view(link, vocabulary_of(load_data(DEFAULT_DATA_DIR))).name
    return f"{cluster.url}/{SNAPSHOT_PATH}/{name}/{INDEX}"


def test_the_snapshot_qr_opens_a_static_map_whose_button_opens_the_live_view(  # type: ignore[no-untyped-def]
    cluster: Cluster, page, sized_page, traffic: Traffic
) -> None:
    number, link = share_slide()
    assert link == LINK  # the deck's share slide: the view the assertions below name
    page.goto(f"{cluster.url}/present?slide={number}&snapshot=1")
    wait_for_app(page)
    page.wait_for_selector(QR)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator(QR).screenshot())))]
    expected = snapshot_address(cluster, link)
    assert decoded == [expected]
    # The app wrote it into the folder nginx serves; nginx alone answers for it.
    assert (cluster.snapshot_dir / expected.rsplit("/", 2)[1] / INDEX).is_file()

    phone = sized_page(390, 844)
    seen = len(traffic.requests)
    response = phone.goto(decoded[0])
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    phone.wait_for_selector('#map[data-drawn="true"]', timeout=60_000)
    main = phone.locator("main").inner_text()
    assert "Blocking & censorship" in main and "Africa" in main
    assert "Data version" in phone.locator("footer").inner_text()
    # Page, stylesheet and scripts, all from the snapshot's folder: no session, no replica, nothing else.
    loaded = traffic.requests[seen:]
    assert loaded and all(url.startswith(f"{cluster.url}/{SNAPSHOT_PATH}/") for url in loaded), loaded

    phone.get_by_role("link", name="Open the live explorer at this view").click()
    phone.wait_for_url(f"{cluster.url}{LINK}", timeout=60_000)
    wait_for_app(phone)
    assert phone.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Map")
    sidebar = phone.locator('[data-testid="stSidebar"]')
    if not sidebar.is_visible():  # a phone's width collapses the sidebar: open it to read the filters
        phone.locator('[data-testid="stExpandSidebarButton"]').click()
    sidebar.get_by_text("Blocking & censorship").first.wait_for()
    # The region box shows its choice as text or as its input's value, depending on the widget's state.
    phone.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]')].some(
            box => (box.innerText + ' ' + [...box.querySelectorAll('input')].map(i => i.value).join(' '))
                .includes('Africa'))""",
        polling=100,
        timeout=30_000,
    )


def test_in_live_mode_the_share_slide_keeps_the_live_link(cluster: Cluster, page) -> None:  # type: ignore[no-untyped-def]
    number, link = share_slide()
    page.goto(f"{cluster.url}/present?slide={number}")
    wait_for_app(page)
    page.wait_for_selector(QR)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator(QR).screenshot())))]
    assert decoded == [cluster.url + link]


@pytest.mark.slow
def test_a_hundred_first_loads_of_the_snapshot_in_five_seconds_through_nginx(cluster: Cluster) -> None:
    write_snapshots(DEFAULT_DATA_DIR, cluster.snapshot_dir, [LINK], SNAPSHOT_PATH)
    assert cluster.nginx is not None
    measured = run_static_burst(snapshot_address(cluster, LINK), 100, 5.0, 30.0, cluster.nginx.pid)
    summary = measured.summary()
    assert summary["errors"] == 0, summary["error_kinds"]
    assert {Path(a).name for a in summary["assets"]} == {"kit.css", "world_110m.js", "plotly.min.js", "kit.js"}
    assert summary["requests_per_visitor"] == 5
    # gzip_static: plotly.js travels compressed (4.8 MB raw, about 1.5 MB on the wire).
    assert summary["bytes_per_visitor"] < 2_500_000
    assert summary["p95_s"] is not None and summary["p95_s"] <= 1.0, summary
