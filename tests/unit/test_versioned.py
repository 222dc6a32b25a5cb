"""load_whole: a page's data comes from one state of the data directory, even when an ingest lands mid-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from igf_explorer.paths import data_fingerprint
from igf_explorer.versioned import DataBusyError, load_whole


def _parts(marker: str) -> tuple[object, object, object]:
    return (f"statement@{marker}", f"store@{marker}", (f"links@{marker}",))


def test_a_change_between_two_parts_is_read_again_and_every_part_is_from_the_new_state(tmp_path: Path) -> None:
    state = tmp_path / "state.txt"
    state.write_text("old")
    reads: list[str] = []

    def read(directory: Path):  # type: ignore[no-untyped-def]
        first = state.read_text()
        if not reads:
            state.write_text("new, and longer")  # an ingest commits between the statement and the store
        second = state.read_text()
        reads.append(f"{first}|{second}")
        return (f"statement@{first}", f"store@{second}", (f"links@{second}",))

    whole = load_whole(tmp_path, read=read)  # type: ignore[arg-type]
    assert reads == ["old|new, and longer", "new, and longer|new, and longer"]
    assert (whole.statement, whole.store, whole.links) == _parts("new, and longer")
    assert whole.version == data_fingerprint(tmp_path)


def test_an_unchanged_directory_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x")
    calls = []

    def read(directory: Path):  # type: ignore[no-untyped-def]
        calls.append(directory)
        return _parts("only")

    whole = load_whole(tmp_path, read=read)  # type: ignore[arg-type]
    assert calls == [tmp_path]
    assert whole.version == data_fingerprint(tmp_path)


def test_a_directory_that_never_holds_still_is_refused_after_the_attempts(tmp_path: Path) -> None:
    stamps = iter(range(100))

    def read(directory: Path):  # type: ignore[no-untyped-def]
        return _parts("moving")

    with pytest.raises(DataBusyError, match="3 times"):
        load_whole(tmp_path, read=read, fingerprint=lambda _: str(next(stamps)), attempts=3)  # type: ignore[arg-type]


def test_the_shipped_loaders_read_a_real_data_directory_whole(data_copy: Path) -> None:
    whole = load_whole(data_copy)
    assert whole.version == data_fingerprint(data_copy)
    assert whole.statement.recommendations
    assert whole.store.registry.indicators
