"""Structured logs: one JSON line per event on the ``igf_explorer`` logger, and never a visitor's data."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from igf_explorer import logs
from igf_explorer.ingest import history
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.pipeline import run_ingest
from igf_explorer.ingest.reading import Limits
from tests.conftest import INGEST_FIXTURES

TIDY = INGEST_FIXTURES / "tidy_utf8.csv"


def events(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == logs.LOGGER_NAME]


def test_an_ingest_a_refusal_and_a_restore_each_log_one_line(caplog: pytest.LogCaptureFixture, data_copy: Path) -> None:
    caplog.set_level(logging.INFO, logger=logs.LOGGER_NAME)
    report = run_ingest(TIDY, data_copy, options=Options(vintage="2024-06"))
    assert report.written
    (ingest,) = events(caplog)
    assert ingest["event"] == "ingest" and ingest["input"] == "tidy_utf8.csv" and ingest["format"] == "tidy"
    assert ingest["dataset"] == "internet_users" and ingest["dry_run"] is False
    assert ingest["history_id"] == report.history_id and ingest["rows_changed"] == 3
    assert {"time", "rows_added", "rows_removed"} <= set(ingest)

    caplog.clear()
    run_ingest(TIDY, data_copy, dry_run=True, limits=Limits(max_rows=1))
    assert [(e["event"], e.get("limit")) for e in events(caplog)] == [("upload_refused", "rows"), ("ingest", None)]

    caplog.clear()
    entry = history.restore(data_copy, history.read_log(data_copy)[0]["id"])
    (restored,) = events(caplog)
    assert restored["event"] == "restore" and restored["outcome"] == "restored"
    assert restored["history_id"] == entry["id"]
    caplog.clear()
    with pytest.raises(KeyError):
        history.restore(data_copy, "no-such-entry")
    assert [e["outcome"] for e in events(caplog)] == ["no_such_entry"]


def test_every_event_is_one_json_line_and_pseudonyms_hide_values() -> None:
    stream = io.StringIO()
    logs.configure(stream)
    try:
        logs.event("token_refused", session=logs.pseudonym("abc"), address=logs.pseudonym("192.0.2.7"), count=3)
        logging.getLogger("igf_explorer.ingest.history").warning("could not remove %s", "a\nb")
    finally:
        for handler in [h for h in logs.logger.handlers if h.get_name() == "igf_explorer.json"]:
            logs.logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["event"] == "token_refused" and first["count"] == 3
    assert "192.0.2.7" not in lines[0] and first["address"] == logs.pseudonym("192.0.2.7")
    assert second == {**second, "event": "message", "level": "WARNING", "message": "could not remove a\nb"}
