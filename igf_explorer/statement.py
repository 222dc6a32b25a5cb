"""The statement as data: themes, addressees, recommendations, cited documents and signatories (``data/statement``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from igf_explorer.problems import DataError, Problem
from igf_explorer.yamlio import read_yaml

STATEMENT_DIR = "statement"
METADATA_FILE = "statement.yaml"
RECOMMENDATIONS_FILE = "recommendations.yaml"
THEMES_FILE = "themes.yaml"
SIGNATORIES_FILE = "signatories.csv"
ORIGINAL_FILE = "original.md"


@dataclass(frozen=True)
class Theme:
    """A subject the recommendations speak to."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Addressee:
    """Who a group of recommendations is addressed to; ``heading`` is the statement's own heading."""

    id: str
    label: str
    heading: str


@dataclass(frozen=True)
class Recommendation:
    """One recommendation, verbatim, with its place in its addressee group."""

    id: str
    addressee: str
    order: int
    text: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class CitedDocument:
    """A document the statement refers to; ``mentioned_as`` is the statement's wording."""

    id: str
    mentioned_as: str
    title: str
    issuer: str
    identifier: str
    date: str | None
    note: str


@dataclass(frozen=True)
class Signatory:
    """One of the 17 signatories; an empty ``base_iso3`` means the origin is unknown."""

    name: str
    person: str
    organization: str
    type: str
    base_iso3: str
    focus_iso3: tuple[str, ...]
    focus_description: str
    country_basis: str
    description: str
    source: str

    @property
    def origin_known(self) -> bool:
        """Whether a source establishes where the signatory is based."""
        return bool(self.base_iso3)


@dataclass(frozen=True)
class Statement:
    """The whole statement: metadata, recommendations, themes and signatories."""

    title: str
    subtitle: str
    event: str
    place: str
    date_start: str
    date_end: str
    preamble: tuple[str, ...]
    cited_documents: tuple[CitedDocument, ...]
    addressees: tuple[Addressee, ...]
    recommendations: tuple[Recommendation, ...]
    themes: tuple[Theme, ...]
    signatories: tuple[Signatory, ...]
    original_text: str

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id."""
        return next(t for t in self.themes if t.id == theme_id)

    def addressee(self, addressee_id: str) -> Addressee:
        """The addressee with this id."""
        return next(a for a in self.addressees if a.id == addressee_id)

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """The recommendation with this id, or None."""
        return next((r for r in self.recommendations if r.id == rec_id), None)

    def theme_ids(self) -> list[str]:
        """Theme ids in taxonomy order."""
        return [t.id for t in self.themes]


def _require_str(item: Mapping[str, Any], key: str, file: str, row: int | None, problems: list[Problem]) -> str:
    value = item.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, f"'{key}' is missing or empty", row=row, column=key))
        return ""
    return value.strip()


def _list_of_mappings(doc: Any, key: str, file: str, problems: list[Problem]) -> list[Mapping[str, Any]]:
    items = doc.get(key) if isinstance(doc, Mapping) else None
    if not isinstance(items, list) or not items:
        problems.append(Problem(file, f"expected a non-empty list under '{key}'"))
        return []
    good = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, Mapping):
            good.append(item)
        else:
            problems.append(Problem(file, f"entry {index} of '{key}' is not a mapping", row=index))
    return good


def parse_themes(doc: Any, file: str, problems: list[Problem]) -> tuple[Theme, ...]:
    """Build themes from the parsed ``themes.yaml``, adding to ``problems`` rather than raising."""
    themes = []
    for row, item in enumerate(_list_of_mappings(doc, "themes", file, problems), start=1):
        themes.append(
            Theme(
                id=_require_str(item, "id", file, row, problems),
                label=_require_str(item, "label", file, row, problems),
                description=_require_str(item, "description", file, row, problems),
            )
        )
    return tuple(themes)


def parse_addressees(doc: Any, file: str, problems: list[Problem]) -> tuple[Addressee, ...]:
    """Build addressees from the parsed ``recommendations.yaml``."""
    return tuple(
        Addressee(
            id=_require_str(item, "id", file, row, problems),
            label=_require_str(item, "label", file, row, problems),
            heading=_require_str(item, "heading", file, row, problems),
        )
        for row, item in enumerate(_list_of_mappings(doc, "addressees", file, problems), start=1)
    )


def parse_recommendations(doc: Any, file: str, problems: list[Problem]) -> tuple[Recommendation, ...]:
    """Build recommendations from the parsed ``recommendations.yaml``."""
    recs = []
    for row, item in enumerate(_list_of_mappings(doc, "recommendations", file, problems), start=1):
        order = item.get("order")
        if not isinstance(order, int) or isinstance(order, bool) or order < 1:
            problems.append(Problem(file, "'order' must be a whole number from 1", row=row, column="order"))
            order = 0
        themes = item.get("themes")
        if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
            problems.append(Problem(file, "'themes' must be a non-empty list of theme ids", row=row, column="themes"))
            themes = []
        recs.append(
            Recommendation(
                id=_require_str(item, "id", file, row, problems),
                addressee=_require_str(item, "addressee", file, row, problems),
                order=order,
                text=_require_str(item, "text", file, row, problems),
                themes=tuple(themes),
            )
        )
    return tuple(recs)


def parse_cited_documents(doc: Any, file: str, problems: list[Problem]) -> tuple[CitedDocument, ...]:
    """Build the cited documents from the parsed ``statement.yaml``."""
    docs = []
    for row, item in enumerate(_list_of_mappings(doc, "cited_documents", file, problems), start=1):
        date = item.get("date")
        docs.append(
            CitedDocument(
                id=_require_str(item, "id", file, row, problems),
                mentioned_as=_require_str(item, "mentioned_as", file, row, problems),
                title=_require_str(item, "title", file, row, problems),
                issuer=_require_str(item, "issuer", file, row, problems),
                identifier=_require_str(item, "identifier", file, row, problems),
                date=str(date) if date is not None else None,
                note=str(item.get("note") or ""),
            )
        )
    return tuple(docs)


def load_statement(data_dir: Path) -> Statement:
    """Read ``data/statement`` into a :class:`Statement`.

    Raises
    ------
    DataError
        With every problem found (unreadable files, missing fields, invalid signatory rows).
    """
    from igf_explorer.signatories import read_signatories

    folder = data_dir / STATEMENT_DIR
    problems: list[Problem] = []

    def read(name: str) -> Any:
        return read_yaml(folder / name, problems, display_name=f"{STATEMENT_DIR}/{name}")

    meta_doc = read(METADATA_FILE)
    recs_doc = read(RECOMMENDATIONS_FILE)
    themes_doc = read(THEMES_FILE)
    original_path = folder / ORIGINAL_FILE
    try:
        original = original_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(f"{STATEMENT_DIR}/{ORIGINAL_FILE}", f"cannot be read: {exc}"))
        original = ""
    signatories = read_signatories(
        folder / SIGNATORIES_FILE, problems, display_name=f"{STATEMENT_DIR}/{SIGNATORIES_FILE}"
    )

    meta_file = f"{STATEMENT_DIR}/{METADATA_FILE}"
    recs_file = f"{STATEMENT_DIR}/{RECOMMENDATIONS_FILE}"
    meta: Mapping[str, Any] = meta_doc if isinstance(meta_doc, Mapping) else {}
    if meta_doc is not None and not isinstance(meta_doc, Mapping):
        problems.append(Problem(meta_file, "expected a mapping at the top level"))
    preamble = meta.get("preamble") or []
    if not isinstance(preamble, Sequence) or isinstance(preamble, str) or not all(isinstance(p, str) for p in preamble):
        problems.append(Problem(meta_file, "'preamble' must be a list of paragraphs", column="preamble"))
        preamble = []

    statement = Statement(
        title=_require_str(meta, "title", meta_file, None, problems) if meta else "",
        subtitle=str(meta.get("subtitle", "")),
        event=str(meta.get("event", "")),
        place=str(meta.get("place", "")),
        date_start=str(meta.get("date_start", "")),
        date_end=str(meta.get("date_end", "")),
        preamble=tuple(preamble),
        cited_documents=parse_cited_documents(meta_doc, meta_file, problems) if meta else (),
        addressees=parse_addressees(recs_doc, recs_file, problems) if recs_doc is not None else (),
        recommendations=parse_recommendations(recs_doc, recs_file, problems) if recs_doc is not None else (),
        themes=parse_themes(themes_doc, f"{STATEMENT_DIR}/{THEMES_FILE}", problems) if themes_doc is not None else (),
        signatories=signatories,
        original_text=original,
    )
    if problems:
        raise DataError(problems)
    return statement
