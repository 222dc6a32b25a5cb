"""Page weight of / and /map, normal against low-bandwidth mode (``lite=1``), measured in one run.

Usage: python benchmarks/page_weight.py [--pages / /map]

Each page is opened in a fresh Chromium context (empty cache, as a first visit on a phone would be). The bytes are
what the Chrome DevTools Protocol reports: every HTTP response's ``encodedDataLength`` (the bytes on the wire,
headers and compression included) plus the payload of every WebSocket frame the app's server sends (Streamlit's
protobuf messages carry the page's elements, the figures included). A page counts as loaded when the script has
finished and, on /map, when the map is drawn (plotly's shapes, or the low-bandwidth SVG).
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, find_chromium, start_server, stop_server, wait_for_app  # noqa: E402

# The normal map is drawn by plotly.js, the low-bandwidth one as an inline SVG (components/display.py).
MAP_DRAWN = "() => document.querySelectorAll('path.choroplethlocation, svg.igf-lite-map path').length >= 150"


@dataclass
class Weight:
    """Bytes one page load moved: HTTP responses and WebSocket frames from the server."""

    http: int = 0
    websocket: int = 0
    responses: int = 0

    @property
    def total(self) -> int:
        """Everything the browser received."""
        return self.http + self.websocket


def measure(browser, url: str, wait_for_map: bool) -> Weight:  # type: ignore[no-untyped-def]
    """Open ``url`` in a fresh context and count what it transferred until the page is ready."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    weight = Weight()

    def finished(event: dict[str, object]) -> None:
        weight.http += int(float(str(event.get("encodedDataLength", 0))))
        weight.responses += 1

    def frame(event: dict[str, object]) -> None:
        response = event.get("response")
        if not isinstance(response, dict):
            return
        payload = str(response.get("payloadData", ""))
        # Binary frames (opcode 2, Streamlit's protobuf) arrive base64-encoded; count their real size.
        weight.websocket += len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload.encode())

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(url)
    wait_for_app(page)
    if wait_for_map:
        page.wait_for_function(MAP_DRAWN, timeout=60_000)
        wait_for_app(page)
    context.close()
    return weight


def main() -> None:
    """Serve the app, load each page with and without ``lite=1`` and print the bytes and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", nargs="*", default=["/", "/map"])
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found (install Debian's 'chromium' or set IGF_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    server = start_server(Path(tempfile.mkdtemp(prefix="igf-weight-")))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            # A first load warms the server's caches, so both measured loads see the same server.
            warm = browser.new_context()
            for path in args.pages:
                warm_page = warm.new_page()
                warm_page.goto(server.url + path)
                wait_for_app(warm_page)
            warm.close()
            print(f"{'page':<8} {'mode':<6} {'http bytes':>12} {'ws bytes':>10} {'total':>12} {'responses':>9}")
            for path in args.pages:
                weights = {}
                for mode, query in (("normal", ""), ("lite", "?lite=1")):
                    weights[mode] = w = measure(browser, server.url + path + query, wait_for_map=path == "/map")
                    print(f"{path:<8} {mode:<6} {w.http:>12,} {w.websocket:>10,} {w.total:>12,} {w.responses:>9}")
                ratio = weights["lite"].total / weights["normal"].total
                print(f"{path:<8} lite / normal = {ratio:.2f}")
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
