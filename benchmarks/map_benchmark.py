"""Map speed against a bare one-choropleth Streamlit page, measured in the same run (ratios, not absolute times).

Usage: python benchmarks/map_benchmark.py [--runs 7]

1. Warm AppTest rerun of /map (data cached) vs the bare page: median of N reruns each.
2. Headless Chromium, navigation → choropleth drawn (>= 150 country shapes), fresh browser context each time,
   /map vs the bare page, both served on localhost from the same vendored TopoJSON; a one-line page for scale.
3. Geometry bytes the browser receives for the world map.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from igf_explorer.geometry import drawable_ids  # noqa: E402
from igf_explorer.indicator_store import IndicatorStore  # noqa: E402
from igf_explorer.indicators import load_store  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, find_chromium, start_server, stop_server  # noqa: E402


def bare_values() -> dict[str, float]:
    """The countries /map draws by default, each with a number (0 where /map says "no data": a yardstick only)."""
    store = IndicatorStore(*load_store(ROOT / "data"))
    year = store.best_period("fotn_total")
    assert year is not None
    rows = store.period_slice("fotn_total", year)
    values = dict.fromkeys(drawable_ids(), 0.0)
    values.update({str(k): float(v) for k, v in zip(rows["iso3"], rows["value"], strict=True)})
    return values


def apptest_reruns(script: Path, runs: int, page: str | None = None) -> float:
    at = AppTest.from_file(str(script), default_timeout=120)
    if page:
        at.switch_page(page)
    at.run()
    at.run()  # warm: caches filled, modules imported
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(timings)


def browser_times(browser, url: str, runs: int, selector_js: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    timings, transferred = [], 0
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(selector_js, timeout=120_000, polling=50)
        timings.append(time.perf_counter() - start)
        transferred = int(
            page.evaluate(
                "() => performance.getEntriesByType('resource').filter(r => r.name.includes('topojson'))"
                ".reduce((n, r) => n + (r.encodedBodySize || r.transferSize || 0), 0)"
            )
        )
        context.close()
    return statistics.median(timings), transferred


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["BARE_MAP_VALUES"] = json.dumps(bare_values())
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bare_dir = Path(tmp) / "bare"
        (bare_dir / "static").mkdir(parents=True)
        shutil.copytree(ROOT / "static" / "topojson", bare_dir / "static" / "topojson")
        shutil.copy(ROOT / "benchmarks" / "bare_map_page.py", bare_dir / "app.py")
        shutil.copytree(ROOT / ".streamlit", bare_dir / ".streamlit")
        line_dir = Path(tmp) / "line"
        line_dir.mkdir()
        shutil.copy(ROOT / "benchmarks" / "one_line_page.py", line_dir / "app.py")

        bare_rerun = apptest_reruns(bare_dir / "app.py", args.runs)
        map_rerun = apptest_reruns(ROOT / "app.py", args.runs, page="app_pages/map.py")
        results["apptest_warm_rerun_s"] = {
            "bare": round(bare_rerun, 4),
            "map": round(map_rerun, 4),
            "ratio": round(map_rerun / bare_rerun, 2),
        }

        chromium = find_chromium()
        if chromium is None:
            results["browser"] = "skipped: no Chromium"
        else:
            from playwright.sync_api import sync_playwright

            import tests.e2e.conftest as e2e

            servers = {}
            try:
                servers["bare"] = start_server(Path(tmp), script=bare_dir / "app.py")
                servers["line"] = start_server(Path(tmp), script=line_dir / "app.py")
                servers["app"] = start_server(Path(tmp))
                drawn = "() => document.querySelectorAll('path.choroplethlocation').length >= 150"
                text = "() => document.body.innerText.includes('one line')"
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=chromium, args=e2e.CHROMIUM_ARGS)
                    browser_times(browser, servers["app"].url + "/map", 1, drawn)  # warm the server's caches
                    bare_time, bare_bytes = browser_times(browser, servers["bare"].url + "/", args.runs, drawn)
                    map_time, map_bytes = browser_times(browser, servers["app"].url + "/map", args.runs, drawn)
                    line_time, _ = browser_times(browser, servers["line"].url + "/", args.runs, text)
                    browser.close()
                results["chromium_navigation_to_choropleth_s"] = {
                    "bare": round(bare_time, 3),
                    "map": round(map_time, 3),
                    "ratio": round(map_time / bare_time, 2),
                    "one_line_page_text_s": round(line_time, 3),
                }
                results["geometry_bytes_received"] = {"map": map_bytes, "bare": bare_bytes}
            finally:
                for server in servers.values():
                    stop_server(server)
    results["geometry_file_bytes"] = (ROOT / "static" / "topojson" / "world_110m.json").stat().st_size
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    del CHROMIUM_ARGS
    main()
