"""Provenance sidecars: every data file ``X.ext`` has ``X.meta.yml`` with its source, licence, coverage and checksum."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from igf_explorer.problems import Problem
from igf_explorer.yamlio import read_yaml

SIDECAR_SUFFIX = ".meta.yml"
# Fields every sidecar states, for text data as for indicators ("not applicable" is an allowed value).
REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "file",
    "producer",
    "source_title",
    "url",
    "licence",
    "coverage",
    "unit",
    "range",
    "direction",
    "citation",
    "sha256",
)
DATE_FIELDS: tuple[str, ...] = ("vintage", "date_accessed")
_NOT_DATASETS = {"README.md"}


@dataclass(frozen=True)
class Sidecar:
    """A parsed sidecar: the raw fields plus where it and its data file live."""

    path: Path
    data_path: Path
    fields: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        """A field's value."""
        return self.fields.get(key, default)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sidecar_path_for(data_path: Path) -> Path:
    """``foo.csv`` → ``foo.meta.yml``."""
    return data_path.with_name(data_path.name.split(".")[0] + SIDECAR_SUFFIX)


def is_dataset_file(path: Path, data_dir: Path) -> bool:
    """Whether a file in the data directory is a dataset that needs a sidecar.

    Sidecars, READMEs, licence notices and anything in a dot-folder (history, temporary files) are not.
    """
    relative = path.relative_to(data_dir)
    if any(part.startswith(".") for part in relative.parts):
        return False
    name = path.name
    return not (
        name.endswith(SIDECAR_SUFFIX) or name in _NOT_DATASETS or name.upper().startswith(("LICENSE", "NOTICE"))
    )


def dataset_files(data_dir: Path) -> list[Path]:
    """Every dataset file under ``data_dir``, sorted."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and is_dataset_file(p, data_dir))


def read_sidecar(
    path: Path, problems: list[Problem], data_dir: Path, required: tuple[str, ...] = REQUIRED_FIELDS
) -> Sidecar | None:
    """Parse one sidecar, adding problems for missing ``required`` fields."""
    display = str(path.relative_to(data_dir))
    doc = read_yaml(path, problems, display_name=display)
    if doc is None:
        return None
    if not isinstance(doc, Mapping):
        problems.append(Problem(display, "expected a mapping of fields"))
        return None
    for key in required:
        if doc.get(key) in (None, ""):
            problems.append(Problem(display, f"required field '{key}' is missing", column=key))
    if required == REQUIRED_FIELDS and not any(doc.get(key) for key in DATE_FIELDS):
        problems.append(Problem(display, "needs 'vintage' or 'date_accessed'", column="vintage"))
    data_path = path.parent / str(doc.get("file", ""))
    return Sidecar(path=path, data_path=data_path, fields=doc)


def load_sidecars(
    data_dir: Path, problems: list[Problem], under: str = "", required: tuple[str, ...] = REQUIRED_FIELDS
) -> list[Sidecar]:
    """Every sidecar under ``data_dir`` (or its subfolder ``under``); messages name paths relative to ``data_dir``."""
    sidecars = []
    folder = data_dir / under if under else data_dir
    if not folder.is_dir():
        return []
    for path in sorted(folder.rglob("*" + SIDECAR_SUFFIX)):
        if any(part.startswith(".") for part in path.relative_to(data_dir).parts):
            continue
        sidecar = read_sidecar(path, problems, data_dir, required)
        if sidecar is not None:
            sidecars.append(sidecar)
    return sidecars


def check_sidecars(data_dir: Path) -> list[Problem]:
    """Every dataset has a sidecar, every sidecar names an existing file, and checksums match."""
    problems: list[Problem] = []
    sidecars = load_sidecars(data_dir, problems)
    covered = set()
    for sidecar in sidecars:
        display = str(sidecar.path.relative_to(data_dir))
        if not sidecar.data_path.is_file():
            problems.append(
                Problem(display, f"names file '{sidecar.get('file')}', which does not exist", column="file")
            )
            continue
        covered.add(sidecar.data_path.resolve())
        actual = sha256_of(sidecar.data_path)
        if sidecar.get("sha256") and sidecar.get("sha256") != actual:
            problems.append(
                Problem(
                    display,
                    f"sha256 does not match {sidecar.get('file')} (file changed without updating its sidecar; "
                    "run 'igf-explorer rehash' after a deliberate edit)",
                    column="sha256",
                )
            )
    for path in dataset_files(data_dir):
        if path.resolve() not in covered:
            problems.append(Problem(str(path.relative_to(data_dir)), f"has no sidecar ({sidecar_path_for(path).name})"))
    return problems


_SHA_LINE = re.compile(r"^sha256:.*$", re.MULTILINE)


def rehash(data_dir: Path) -> list[Path]:
    """Rewrite the ``sha256`` line of every sidecar whose file changed; return the sidecars updated.

    Sidecars of the indicator store change through one recorded commit under the store's lock, like an ingest, so
    a rehash can neither interleave with an ingest nor leave the store between two states.
    """
    from igf_explorer.ingest.history import commit, store_lock
    from igf_explorer.ingest.store import write_atomic

    indicators = (data_dir / "indicators").resolve()
    updated: list[Path] = []
    with store_lock(data_dir):
        store_files: dict[str, bytes | None] = {}
        ignored: list[Problem] = []
        for sidecar in load_sidecars(data_dir, ignored):
            if not sidecar.data_path.is_file():
                continue
            actual = sha256_of(sidecar.data_path)
            if sidecar.get("sha256") == actual:
                continue
            text = sidecar.path.read_text(encoding="utf-8")
            if _SHA_LINE.search(text):
                text = _SHA_LINE.sub(f"sha256: {actual}", text, count=1)
            else:
                text = text.rstrip("\n") + f"\nsha256: {actual}\n"
            if sidecar.path.resolve().parent == indicators:
                store_files[sidecar.path.name] = text.encode("utf-8")
            else:
                write_atomic(sidecar.path, text.encode("utf-8"))
            updated.append(sidecar.path)
        if store_files:
            commit(data_dir, store_files, "rehash", {"files": sorted(store_files)})
    return updated


def check_readme(data_dir: Path) -> list[Problem]:
    """``data/README.md`` mentions every dataset file by its path relative to ``data/``."""
    readme = data_dir / "README.md"
    if not readme.is_file():
        return [Problem("README.md", "data/README.md is missing")]
    text = readme.read_text(encoding="utf-8")
    return [
        Problem("README.md", f"does not mention dataset '{path.relative_to(data_dir).as_posix()}'")
        for path in dataset_files(data_dir)
        if path.relative_to(data_dir).as_posix() not in text
    ]


PROVENANCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "File"),
    ("title", "Title"),
    ("producer", "Producer"),
    ("source_title", "Source"),
    ("url", "URL"),
    ("licence", "Licence"),
    ("vintage", "Vintage"),
    ("date_accessed", "Accessed"),
    ("coverage", "Coverage"),
    ("sha256", "sha256"),
)


def provenance_rows(data_dir: Path) -> list[dict[str, str]]:
    """A readable row per sidecar, for the About page and the Data page."""
    problems: list[Problem] = []
    rows = []
    for sidecar in load_sidecars(data_dir, problems):
        row = {label: str(sidecar.get(key) or "") for key, label in PROVENANCE_COLUMNS}
        row["File"] = sidecar.data_path.relative_to(data_dir).as_posix()
        rows.append(row)
    return rows
