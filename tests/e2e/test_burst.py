"""The burst load client (benchmarks/burst.py) in a short, bounded run against the test server on loopback.

The long runs (50–500 visitors) are on demand: ``python benchmarks/burst.py --visitors 50 --yardstick``.
"""

from __future__ import annotations

import pytest

from benchmarks.burst import main, run_burst

pytestmark = pytest.mark.e2e


def test_a_small_burst_renders_the_asked_page_for_every_visitor(server) -> None:
    measured = run_burst(server.url, "/map?theme=blocking", 4, 2.0, server.process.pid, change="theme=access")
    summary = measured.summary()
    assert summary["errors"] == 0, [v.error for v in measured.visits]
    assert {v.page_ran for v in measured.visits} == {"map"}
    assert all(v.changed is not None for v in measured.visits)
    assert summary["cpu_s_per_visitor"] is not None and summary["cpu_s_per_visitor"] > 0
    assert summary["p95_s"] is not None and summary["p95_s"] <= summary["max_s"]


def test_a_wrong_page_name_counts_as_an_error_not_a_success(server) -> None:
    # Streamlit answers an unknown page with page_not_found and runs the home page: the client must notice.
    measured = run_burst(server.url, "/no-such-page", 1, 0.0, None)
    assert [v.error for v in measured.visits] == ["page_not_found"]


def test_only_loopback_targets_are_accepted() -> None:
    with pytest.raises(SystemExit, match="loopback"):
        main(["--url", "http://198.51.100.7:8501", "--visitors", "1"])


def test_the_static_burst_accepts_only_loopback_http_targets() -> None:
    from benchmarks.static_burst import main as static_main

    with pytest.raises(SystemExit, match="loopback"):
        static_main(["--url", "http://198.51.100.7/snapshot/x/index.html", "--visitors", "1"])
    with pytest.raises(SystemExit, match="between"):
        static_main(["--url", "http://127.0.0.1:9/snapshot/x/index.html", "--visitors", "5000"])
