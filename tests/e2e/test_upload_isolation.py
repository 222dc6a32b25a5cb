"""One visitor's heavy upload does not starve the others: while a workbook that unzips to just under the limit is
checked (in a child process), the health check answers within a second and a second visitor's /map loads about as
fast as without it."""

from __future__ import annotations

import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page

from benchmarks.burst import run_burst
from components.ingest_check import LIMITS
from tests.conftest import DATA_DIR, tree_digest
from tests.e2e.conftest import Server, wait_for_app

pytestmark = pytest.mark.e2e
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
MAIN = '[data-testid="stMain"]'
CHECKING = "text=Checking the file"
ROWS, COLUMNS = 30_000, 5  # 150,000 cells: far under the workbook cell limit, yet seconds of parsing
HEALTH_LIMIT = 1.0


def heavy_workbook(path: Path, unzipped: int) -> Path:
    """An .xlsx whose parts unzip to just under ``unzipped`` bytes: long inline strings, highly compressible."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = "</sheetData></worksheet>"
    small = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
        '/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org'
        '/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument'
        '/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    overhead = sum(len(v.encode()) for v in small.values()) + len(head) + len(tail)
    letters = "ABCDEFGHIJ"[:COLUMNS]
    frame = len('<row r="100000"></row>') * ROWS + len('<c r="A100000" t="inlineStr"><is><t></t></is></c>') * (
        ROWS * COLUMNS
    )
    text = "x" * ((unzipped - 4096 - overhead - frame) // (ROWS * COLUMNS))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in small.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            for row in range(1, ROWS + 1):
                cells = "".join(f'<c r="{c}{row}" t="inlineStr"><is><t>{text}</t></is></c>' for c in letters)
                sheet.write(f'<row r="{row}">{cells}</row>'.encode())
            sheet.write(tail.encode())
    with zipfile.ZipFile(path) as archive:
        expanded = sum(i.file_size for i in archive.infolist())
    assert unzipped - 2_000_000 < expanded <= unzipped, (expanded, unzipped)
    return path


class HealthPoller(threading.Thread):
    """Asks /_stcore/health again and again (a tenth of a second apart) and records how long each reply took."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.replies, self.failures = f"{url}/_stcore/health", [], []
        self.stop = threading.Event()
        self.replies: list[float]
        self.failures: list[str]

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    response.read()
                self.replies.append(time.perf_counter() - start)
            except OSError as error:
                self.failures.append(repr(error))
            self.stop.wait(0.1)


def load_map(server: Server) -> float:
    """Seconds from a new visitor's arrival until /map has finished its first run, over Streamlit's own protocol.

    The protocol client (benchmarks/burst.py) times what the server owes a visitor, and takes no core from the
    server the way a second Chromium would on a two-core machine; it checks that the page that ran is /map.
    """
    (visit,) = run_burst(server.url, "/map", 1, 0.0, None).visits
    assert visit.error == "" and visit.page_ran.strip("/") == "map" and visit.finished is not None, visit
    return visit.finished


def test_a_heavy_upload_does_not_stall_other_visitors(page: Page, server: Server, tmp_path: Path) -> None:
    workbook = heavy_workbook(tmp_path / "heavy.xlsx", LIMITS.max_unzipped_bytes - 400_000)
    before = tree_digest(DATA_DIR)
    load_map(server)  # the first load fills the server's caches
    alone = load_map(server)

    page.goto(f"{server.url}/data")
    wait_for_app(page)
    page.set_input_files(UPLOAD, str(workbook))
    page.wait_for_selector(f'{MAIN} [data-testid="stFileChipName"]', timeout=60_000)
    poller = HealthPoller(server.url)
    poller.start()
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector(CHECKING, timeout=60_000)
    inside: list[float] = []  # second visitors' loads that began and ended while the check ran
    try:
        # Up to three loads, each started after the check began; those that ended before it did count.
        for _ in range(3):
            took = load_map(server)
            if page.locator(CHECKING).count() == 0:
                break
            inside.append(took)
        still_checking = bool(inside)
        during = max(inside) if inside else float("nan")
        page.wait_for_function(
            "() => /problem\\(s\\)\\. Nothing would be stored/.test(document.querySelector('[data-testid=\"stMain\"]')"
            ".innerText)",
            timeout=240_000,
        )
    finally:
        poller.stop.set()
        poller.join()
    wait_for_app(page)
    text = page.inner_text(MAIN)
    print(
        f"\nhealth: {len(poller.replies)} replies, max {max(poller.replies):.3f} s; /map alone {alone:.2f} s, "
        f"during the check {during:.2f} s; checking still after the second visitor: {still_checking}"
    )
    assert "heavy.xlsx" in text and "Traceback" not in text
    assert still_checking, "no second visitor's load ended while the check still ran"
    assert poller.failures == [] and len(poller.replies) >= 5
    assert max(poller.replies) < HEALTH_LIMIT, sorted(poller.replies)[-5:]
    assert during <= 3 * alone + 3.0, (alone, during)
    assert tree_digest(DATA_DIR) == before
