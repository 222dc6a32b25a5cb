"""AppTest for the Data page: the form, one dry run per file and choices, preview in one session, publishing on a
store that cannot be written, restore from the history, and the integrity warning on every page."""

from __future__ import annotations

import errno
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import components.ingest_check as ingest_check
from components import cached, state
from igf_explorer.ingest import history
from igf_explorer.ingest.isolated import check_isolated as real_check
from igf_explorer.ingest.pipeline import run_ingest as real
from igf_explorer.metadata import sha256_of
from igf_explorer.paths import DATA_DIR_ENV
from igf_explorer.registry import page_by_path
from igf_explorer.throttle import Throttle
from tests.app.conftest import APP, TIMEOUT, shown
from tests.conftest import INGEST_FIXTURES, tree_digest
from tests.helpers_store import drop_rows

DATA = page_by_path("data").script
MAP = page_by_path("map").script
TOKEN = "correct horse battery staple"
FOTN = INGEST_FIXTURES / "fotn_short_headers_no_edition.csv"
TIDY = INGEST_FIXTURES / "tidy_utf8.csv"
TIDY_VINTAGE = "2024-06"  # internet_users is a single-vintage series: a file that does not state one needs it


def data_page(monkeypatch: pytest.MonkeyPatch, data: Path | None = None, token: str | None = None) -> AppTest:
    if data is not None:
        monkeypatch.setenv(DATA_DIR_ENV, str(data))
    if token is not None:
        monkeypatch.setenv(ingest_check.TOKEN_ENV, token)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(DATA)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def check(at: AppTest, path: Path, **choices: Any) -> AppTest:
    """Fill the form (widget key suffix → value) and press 'Check the file'."""
    at.file_uploader(key=ingest_check.UPLOAD).set_value((path.name, path.read_bytes(), "text/csv"))
    for name, value in choices.items():
        key = f"data.{name}"
        widget: Any = next(w for w in at.main if getattr(w, "key", None) == key)
        widget.set_value(value)
    next(b for b in at.button if b.label == "Check the file").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Count the ingests the page runs (each entry: was it a dry run, checked in a child process)."""
    calls: list[bool] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(bool(kwargs.get("dry_run")))
        return real(*args, **kwargs)

    def checked(*args: Any, **kwargs: Any) -> Any:
        calls.append(True)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(ingest_check, "run_ingest", counted)
    monkeypatch.setattr(ingest_check, "check_isolated", checked)
    return calls


def texts(elements: Any) -> str:
    """The elements' texts as a reader sees them (file names and messages are escaped markdown)."""
    return "\n".join(shown(str(e.value)) for e in elements)


def test_the_dry_run_runs_once_per_file_and_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    at = check(data_page(monkeypatch), FOTN, format="fotn", edition=2024)
    assert "read as **fotn** for dataset **fotn**" in texts(at.success)
    assert calls == [True]
    at.multiselect(key=state.THEMES).select("blocking").run()  # a sidebar click reruns the whole script
    at.run()
    assert "read as **fotn** for dataset **fotn**" in texts(at.success)
    assert calls == [True], "a rerun repeated the dry run"
    next(b for b in at.button if b.label == "Check the file").click().run()  # the same choices again
    assert calls == [True]
    at.toggle[0].set_value(True).run()  # previewing uses the report; it does not redo it
    assert "Previewing" in texts(at.warning)
    assert calls == [True]
    check(at, FOTN, replace="edition")  # a different choice is a different report
    assert calls == [True, True]


def test_edition_comes_from_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    at = check(data_page(monkeypatch), FOTN, format="fotn")
    assert "problem(s). Nothing would be stored." in texts(at.error)
    assert "edition" in at.table[0].value.to_string()
    assert not at.success
    at = check(at, FOTN, edition=2024)
    assert "periods 2024–2024" in texts(at.success)


def test_a_bad_override_line_is_named_and_nothing_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    at = check(data_page(monkeypatch), TIDY, overrides="Nigeria=NGA\nNowhere\nAtlantis=XXX")
    errors = texts(at.error)
    assert "line 2" in errors and "'Nowhere' is not NAME=ISO3" in errors
    assert "line 3" in errors and "'XXX' is not an ISO 3166-1 alpha-3 code" in errors
    assert calls == []


def test_an_unknown_name_asks_for_an_override_on_the_form_and_the_override_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = check(data_page(monkeypatch), INGEST_FIXTURES / "bad_unknown_country.csv", vintage=TIDY_VINTAGE)
    problems = shown(at.table[0].value.to_string())
    assert "country name 'Atlantis' is not recognised" in problems
    assert "Add 'Atlantis=ISO3' to “Name overrides” on the form" in problems and "--override" not in problems
    at = check(at, INGEST_FIXTURES / "bad_unknown_country.csv", overrides="Atlantis=GRC")
    assert "read as **tidy**" in texts(at.success)
    names = next(d.value for d in at.dataframe if "How" in d.value.columns)
    assert names.set_index("In the file").loc["Atlantis"].to_dict() == {
        "ISO3": "GRC",
        "Country": "Greece",
        "How": "override",
        "Rows": 1,
    }
    assert names.set_index("In the file").loc["Nigeria", "How"] == "exact name"


def test_preview_changes_every_page_of_this_session_only(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    drop_rows(data_copy, "fotn", "AUS", 2024)  # the file has Australia 2024; the store copy must not
    before = tree_digest(data_copy)
    at = check(data_page(monkeypatch, data_copy), FOTN, format="fotn", edition=2024)
    at.toggle[0].set_value(True).run()
    assert f"Previewing **{FOTN.name}** in this session only" in texts(at.warning)
    at.switch_page(MAP)
    at.query_params["indicator"], at.query_params["year"] = "fotn_total", "2024"
    at.run()
    assert "Previewing" in texts(at.warning)
    shown = at.table[0].value.to_string()
    assert "Australia" in shown  # in the file, not in the stored 2024 edition
    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.switch_page(MAP)
    other.query_params["indicator"], other.query_params["year"] = "fotn_total", "2024"
    other.run()
    assert "Previewing" not in texts(other.warning)
    assert "Australia" not in other.table[0].value.to_string()
    assert "Argentina" in other.table[0].value.to_string()
    next(b for b in at.button if b.label == "Stop the preview").click().run()
    assert "Previewing" not in texts(at.warning)
    assert "Australia" not in at.table[0].value.to_string()
    assert tree_digest(data_copy) == before


def store_digest(data: Path) -> str:
    """The data directory's digest, leaving out the writers' lock file (created empty by the first writer)."""
    lock = data / history.LOCK_FILE
    if lock.is_file() and lock.stat().st_size == 0:
        lock.unlink()
    return tree_digest(data)


def fail_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk is full: the first file written by a commit fails."""

    def hook(step: str) -> None:
        if "write" in step:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(history, "FAULT_HOOK", hook)


def test_a_store_that_cannot_be_written_says_nothing_was_changed(
    monkeypatch: pytest.MonkeyPatch, data_copy: Path
) -> None:
    before = store_digest(data_copy)
    at = check(data_page(monkeypatch, data_copy, TOKEN), TIDY, vintage=TIDY_VINTAGE)
    fail_writes(monkeypatch)
    at.text_input(key=ingest_check.TOKEN).input(TOKEN).run()
    next(b for b in at.button if b.label == "Publish to the shared data").click().run()
    assert not at.exception
    errors = texts(at.error)
    assert "Nothing was published" in errors and "Nothing was changed" in errors, errors
    assert at.text_input(key=ingest_check.TOKEN).value == ""
    assert store_digest(data_copy) == before


def test_a_maintainer_restores_a_state_from_the_history(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    at = check(data_page(monkeypatch, data_copy, TOKEN), TIDY, vintage=TIDY_VINTAGE)
    previous = history.read_log(data_copy)[-1]
    at.text_input(key=ingest_check.TOKEN).input(TOKEN).run()
    next(b for b in at.button if b.label == "Publish to the shared data").click().run()
    assert "Published tidy_utf8.csv; history entry" in texts(at.success)
    assert ingest_check.TOKEN not in at.session_state or not at.session_state[ingest_check.TOKEN]
    published = history.read_log(data_copy)[-1]
    assert published["input"] == "tidy_utf8.csv"
    shown = next(d.value for d in at.dataframe if "Entry" in d.value.columns)
    assert shown["Entry"].tolist()[:2] == [published["id"], previous["id"]]  # newest first

    at.selectbox(key="data.restore_entry").set_value(previous["id"])
    at.text_input(key=ingest_check.RESTORE_TOKEN).input("wrong").run()
    next(b for b in at.button if b.label == "Restore this state").click().run()
    assert "That token is not right; nothing was restored." in texts(at.error)
    assert history.read_log(data_copy)[-1]["id"] == published["id"]

    at.selectbox(key="data.restore_entry").set_value(previous["id"])
    at.text_input(key=ingest_check.RESTORE_TOKEN).input(TOKEN).run()
    next(b for b in at.button if b.label == "Restore this state").click().run()
    assert f"Restored the state of entry {previous['id']}" in texts(at.success)
    assert at.text_input(key=ingest_check.RESTORE_TOKEN).value == ""
    last = history.read_log(data_copy)[-1]
    assert last["action"] == "restore" and last["restored"] == previous["id"]
    folder = data_copy / "indicators"
    assert {p.name: sha256_of(p) for p in folder.iterdir() if p.is_file()} == previous["state"]


def change_one_digit(data: Path) -> None:
    """Hand-edit fotn.csv the way a careless fix would: one value, still a valid file."""
    path = data / "indicators" / "fotn.csv"
    text = path.read_text(encoding="utf-8")
    assert "\nARG,2024,fotn_total,71," in text
    path.write_text(text.replace("\nARG,2024,fotn_total,71,", "\nARG,2024,fotn_total,72,", 1), encoding="utf-8")


WARNING = (
    "data/indicators/fotn.csv does not match the checksum in its sidecar: it was changed outside ingest; "
    "figures from it may be wrong. Run igf-explorer check."
)


def test_a_hand_edited_file_is_named_on_every_page(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    from igf_explorer import metadata

    checks: list[Path] = []
    check_sidecars = metadata.check_sidecars

    def counted(directory: Path) -> Any:
        checks.append(directory)
        return check_sidecars(directory)

    monkeypatch.setattr(metadata, "check_sidecars", counted)
    at = data_page(monkeypatch, data_copy)
    assert WARNING not in texts(at.warning)
    change_one_digit(data_copy)
    cached.forget_version()  # as a second later: the version is re-read at most once a second
    for script in (MAP, DATA):
        page = AppTest.from_file(APP, default_timeout=TIMEOUT)
        page.switch_page(script)
        page.run()
        assert not page.exception
        assert WARNING in texts(page.warning), script
        page.run()
        assert WARNING in texts(page.warning)
    assert len(checks) == 2, "the sidecars were checked more than once per data version"


def test_a_preview_stops_when_the_shared_data_changes(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    at = check(data_page(monkeypatch, data_copy), FOTN, format="fotn", edition=2024)
    at.toggle[0].set_value(True).run()
    assert "Previewing" in texts(at.warning)
    stored = data_copy / "indicators" / "wcit12.csv"
    stored.write_bytes(stored.read_bytes())  # another process rewrote a file: a new data version
    cached.forget_version()
    at.run()
    assert "Previewing" not in texts(at.warning)
    assert f"The shared data changed while you previewed {FOTN.name}" in texts(at.info)
    assert not at.toggle[0].value


def _every_value(at: AppTest) -> list[Any]:
    """Every session value, and every argument a widget's callback was registered with (Streamlit keeps both)."""
    internal = at.session_state._state._state  # noqa: SLF001 - the callbacks' arguments are not in the public view
    values: list[Any] = [internal[k] for k in internal.filtered_state]
    for metadata in internal._new_widget_state.widget_metadata.values():  # noqa: SLF001
        values += list(metadata.callback_args or ()) + list((metadata.callback_kwargs or {}).values())
    return values


def test_the_token_is_gone_from_the_session_after_a_publish(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    at = check(data_page(monkeypatch, data_copy, TOKEN), TIDY, vintage=TIDY_VINTAGE)
    assert TOKEN not in map(str, _every_value(at)), "the button's arguments hold the configured token"
    at.text_input(key=ingest_check.TOKEN).input(TOKEN).run()
    next(b for b in at.button if b.label == "Publish to the shared data").click().run()
    assert "Published tidy_utf8.csv; history entry" in texts(at.success)
    values = _every_value(at)
    assert values and all(TOKEN not in repr(v) for v in values)


def _wrong_restores(at: AppTest, count: int) -> float:
    """Seconds the page took to answer ``count`` wrong restore tokens, typed one after another."""
    spent = 0.0
    for attempt in range(count):
        at.text_input(key=ingest_check.RESTORE_TOKEN).input(f"wrong {attempt}").run()
        start = time.perf_counter()
        next(b for b in at.button if b.label == "Restore this state").click().run()
        spent += time.perf_counter() - start
        assert "That token is not right; nothing was restored." in texts(at.error)
        assert at.text_input(key=ingest_check.RESTORE_TOKEN).value == ""
    return spent


def test_ten_wrong_tokens_take_at_least_ten_times_as_long_as_one(
    monkeypatch: pytest.MonkeyPatch, data_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="igf_explorer")
    base, cap = 0.1, 1.6  # the shipped throttle's 0.5 s … 30 s, scaled down
    monkeypatch.setattr(ingest_check, "THROTTLE", Throttle(base=base, cap=cap))
    one = _wrong_restores(data_page(monkeypatch, data_copy, TOKEN), 1)
    monkeypatch.setattr(ingest_check, "THROTTLE", Throttle(base=base, cap=cap))
    at = data_page(monkeypatch, data_copy, TOKEN)
    ten = _wrong_restores(at, 10)
    waits = sum(min(cap, base * 2**n) for n in range(10))
    assert ten >= waits and ten >= 10 * one, (one, ten)
    assert "The next try answers after 1.6 s." in texts(at.error)
    refused = [json.loads(r.getMessage()) for r in caplog.records if '"token_refused"' in r.getMessage()]
    assert [e["count"] for e in refused] == [1, *range(1, 11)]
    assert {e["action"] for e in refused} == {"restore"} and all(e["address"] is None for e in refused)
    assert not any("wrong " in r.getMessage() or TOKEN in r.getMessage() for r in caplog.records)
    print(f"one wrong token: {one:.2f} s; ten: {ten:.2f} s ({ten / one:.1f}×)")
