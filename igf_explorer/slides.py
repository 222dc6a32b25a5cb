"""The presenter's deck (``data/slides/slides.yaml``): a typed sequence of slides, each a view of the explorer.

A presenter edits the file, never the code, to reorder, add or reword a slide. Every slide names its ``kind`` and
the kind's parameters; :func:`read_slides` reports every problem of every slide at once, located by file, slide
number (the row) and field (the column): the shape from the pydantic model, the ids from the data's vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError

from igf_explorer.countries import all_regions
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import validation_problems
from igf_explorer.links import Link, indicators_for
from igf_explorer.problems import DataError, Problem
from igf_explorer.registry import PAGE_SPECS
from igf_explorer.statement import Statement
from igf_explorer.views.mapframe import options_text
from igf_explorer.yamlio import read_yaml

SLIDES_FILE = "slides/slides.yaml"
Kind = Literal["title", "signatories", "recommendations", "map", "since", "share"]
KINDS: tuple[str, ...] = get_args(Kind)
# The parameters each kind reads beyond title, body and notes; any other is a mistake worth naming.
PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "title": (),
    "signatories": (),
    "recommendations": ("addressee", "recommendations", "indicator", "year"),
    "map": ("theme", "indicator", "year", "region"),
    "since": ("indicator", "start", "end", "region"),
    "share": ("link",),
}
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "recommendations": ("addressee",),
    "since": ("indicator",),
    "share": ("link",),
}
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _as_tuple(value: Any) -> Any:
    # One id may be written without brackets (``theme: blocking``); the model stores a tuple either way.
    return (value,) if isinstance(value, str) else value


Ids = Annotated[tuple[Text, ...], BeforeValidator(_as_tuple)]
Paragraphs = Annotated[tuple[Text, ...], BeforeValidator(_as_tuple)]


class SlideSpec(BaseModel):
    """One slide as the file gives it: its kind, its words, its speaker notes and its kind's parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    kind: Kind
    title: Text | None = None  # a title slide without one shows the statement's title
    notes: Text
    body: Paragraphs = ()
    addressee: Text | None = None
    recommendations: Ids = ()
    theme: Ids = ()
    indicator: Text | None = None
    year: int | None = None
    start: int | None = None
    end: int | None = None
    region: Text | None = None
    link: Text | None = None  # a share slide's view of the explorer: a page's path and query, e.g. /map?theme=a


@dataclass(frozen=True)
class SlideVocabulary:
    """What a slide's ids may name, from the loaded data (the check and the app build it the same way)."""

    addressees: frozenset[str]
    recommendations: Mapping[str, str]  # recommendation id → its addressee
    recommendation_themes: Mapping[str, tuple[str, ...]]
    themes: frozenset[str]
    links: tuple[Link, ...]
    periods: Mapping[str, tuple[int, ...]]  # indicator id → the periods with data
    regions: frozenset[str]

    def measured_by(self, themes: Iterable[str]) -> list[str]:
        """The indicators with data that measure any of ``themes``, in link order."""
        return [i for i in indicators_for(self.links, themes) if i in self.periods]


def slide_vocabulary(statement: Statement, store: IndicatorStore, links: Iterable[Link]) -> SlideVocabulary:
    """The vocabulary of the loaded statement, indicator store and theme links."""
    return SlideVocabulary(
        addressees=frozenset(a.id for a in statement.addressees),
        recommendations={r.id: r.addressee for r in statement.recommendations},
        recommendation_themes={r.id: r.themes for r in statement.recommendations},
        themes=frozenset(statement.theme_ids()),
        links=tuple(links),
        periods={i: tuple(store.periods(i)) for i in store.registry.indicators},
        regions=frozenset(r.slug for r in all_regions()),
    )


def slide_themes(spec: SlideSpec, vocabulary: SlideVocabulary) -> tuple[str, ...]:
    """The themes a slide is about: its recommendations' (or its group's), or the ones it names."""
    if spec.kind != "recommendations":
        return spec.theme
    return tuple(
        dict.fromkeys(t for r in recommendations_of(spec, vocabulary) for t in vocabulary.recommendation_themes[r])
    )


def recommendations_of(spec: SlideSpec, vocabulary: SlideVocabulary) -> tuple[str, ...]:
    """The recommendation ids a slide shows: the ones it lists, or its addressee's whole group in order."""
    if spec.recommendations:
        return spec.recommendations
    return tuple(r for r, addressee in vocabulary.recommendations.items() if addressee == spec.addressee)


def _text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _ids(raw: Mapping[str, Any], key: str) -> list[str]:
    value = _as_tuple(raw.get(key))
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _year(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def link_problems(link: str) -> list[str]:
    """What is wrong with a share slide's link: it must be one of the app's pages, with parameters that page reads.

    The values are not checked here: a value the app does not know is dropped with a notice when the link lands,
    as for any link.
    """
    parsed = urlsplit(link)
    if parsed.scheme or parsed.netloc:
        return [f"'{link}' must be a path of the explorer such as /map?theme=blocking, without a host"]
    routes = {spec.route: spec for spec in PAGE_SPECS}
    spec = routes.get(parsed.path or "/")
    if spec is None:
        return [f"'{parsed.path}' is not a page of the explorer (pages: {', '.join(sorted(routes))})"]
    unknown = sorted({name for name, _ in parse_qsl(parsed.query, keep_blank_values=True)} - set(spec.url_params))
    return [f"{spec.route} does not read {', '.join(repr(n) for n in unknown)}"] if unknown else []


def _cross_problems(raw: Mapping[str, Any], vocabulary: SlideVocabulary, file: str, row: int) -> list[Problem]:
    """Ids that name nothing in the data, and parameters that do not fit together.

    Read from the raw slide, so that a slide with a shape problem still has its ids checked in the same pass.
    """
    problems: list[Problem] = []

    def add(column: str, message: str) -> None:
        problems.append(Problem(file, message, row=row, column=column))

    kind = raw.get("kind")
    if isinstance(kind, str) and kind in PARAMETERS:
        for key in ("addressee", "recommendations", "theme", "indicator", "year", "start", "end", "region"):
            if key in raw and key not in PARAMETERS[kind]:
                add(key, f"'{key}' does not apply to a {kind} slide (it reads {', '.join(PARAMETERS[kind]) or 'none'})")
        if kind != "title" and "title" not in raw:
            add("title", f"a {kind} slide needs a 'title'")
        for key in REQUIRED.get(kind, ()):
            if raw.get(key) in (None, "", []):
                add(key, f"a {kind} slide needs '{key}'")
    addressee = _text(raw, "addressee")
    if addressee is not None and addressee not in vocabulary.addressees:
        add("addressee", f"unknown addressee '{addressee}' (known: {', '.join(sorted(vocabulary.addressees))})")
    for rec in _ids(raw, "recommendations"):
        if rec not in vocabulary.recommendations:
            add("recommendations", f"unknown recommendation '{rec}'")
        elif addressee in vocabulary.addressees and vocabulary.recommendations[rec] != addressee:
            add("recommendations", f"'{rec}' is addressed to '{vocabulary.recommendations[rec]}', not '{addressee}'")
    for theme in _ids(raw, "theme"):
        if theme not in vocabulary.themes:
            add("theme", f"unknown theme '{theme}'")
    region = _text(raw, "region")
    if region is not None and region not in vocabulary.regions:
        add("region", f"unknown region '{region}' (a UN M49 slug such as 'africa' or 'eastern-africa')")
    link = _text(raw, "link")
    if link is not None:
        for message in link_problems(link):
            add("link", message)
    indicator = _text(raw, "indicator")
    if indicator is None:
        return problems
    if indicator not in vocabulary.periods:
        add("indicator", f"unknown indicator '{indicator}' (known: {', '.join(sorted(vocabulary.periods))})")
        return problems
    periods = vocabulary.periods[indicator]
    if kind == "recommendations" and addressee in vocabulary.addressees:
        wanted = _ids(raw, "recommendations") or [r for r, a in vocabulary.recommendations.items() if a == addressee]
        themes = [
            t for r in wanted if r in vocabulary.recommendation_themes for t in vocabulary.recommendation_themes[r]
        ]
        if themes and indicator not in vocabulary.measured_by(themes):
            add("indicator", f"'{indicator}' measures none of the themes of this slide's recommendations")
    if kind == "map" and _ids(raw, "theme") and indicator not in vocabulary.measured_by(_ids(raw, "theme")):
        add("indicator", f"'{indicator}' measures none of the slide's themes")
    for key in ("year", "start", "end"):
        year = _year(raw, key)
        if year is not None and year not in periods:
            add(key, f"'{indicator}' has no figures for {year} (it has {options_text(periods)})")
    if kind == "since":
        start, end = _year(raw, "start"), _year(raw, "end")
        if len(periods) < 2:
            add("indicator", f"'{indicator}' has only one period with data: nothing to compare")
        elif start is not None and end is not None and start >= end:
            add("start", f"start {start} must come before end {end}")
    return problems


def read_slides(
    path: Path, vocabulary: SlideVocabulary | None, display_name: str = SLIDES_FILE
) -> tuple[tuple[SlideSpec, ...], list[Problem]]:
    """Every slide of a slides file and every problem with it (row = the slide's number, column = its field).

    Without a vocabulary (the statement or the store did not load) only the shape is checked.
    """
    problems: list[Problem] = []
    doc = read_yaml(path, problems, display_name=display_name)
    if doc is None:
        return (), problems
    items = doc.get("slides") if isinstance(doc, Mapping) else None
    if not isinstance(items, list) or not items:
        return (), [*problems, Problem(display_name, "expected a non-empty list under 'slides'", column="slides")]
    extra = sorted(set(doc) - {"slides"})
    problems += [Problem(display_name, f"unknown top-level key '{key}' (misspelt?)", column=key) for key in extra]
    slides = []
    for row, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            problems.append(Problem(display_name, f"slide {row}: expected a mapping of fields", row=row))
            continue
        try:
            slides.append(SlideSpec.model_validate(dict(item)))
        except ValidationError as exc:
            for problem in validation_problems(exc, display_name):
                problems.append(
                    Problem(problem.file, f"slide {row}: {problem.message}", row=row, column=problem.column)
                )
        if vocabulary is not None:
            problems += [
                Problem(p.file, f"slide {row}: {p.message}", row=p.row, column=p.column)
                for p in _cross_problems(item, vocabulary, display_name, row)
            ]
    return tuple(slides), problems


def load_slides(data_dir: Path, vocabulary: SlideVocabulary | None) -> tuple[SlideSpec, ...]:
    """The shipped deck; raises :class:`DataError` with every problem when any slide is wrong."""
    slides, problems = read_slides(data_dir / SLIDES_FILE, vocabulary)
    if problems:
        raise DataError(problems)
    return slides


def has_slides(data_dir: Path) -> bool:
    """Whether a data directory ships a deck (older copies of the data do not)."""
    return (data_dir / SLIDES_FILE).is_file()


def check_slides(data_dir: Path, statement: Statement | None) -> list[Problem]:
    """Every problem of the deck.

    Its ids are checked when the statement, the store and the links load; when they do not, ``check`` reports why
    and the deck's shape is still checked.
    """
    if not has_slides(data_dir):
        return [Problem(SLIDES_FILE, "is missing: /present and the kit's slides need it")]
    vocabulary = None
    if statement is not None:
        from igf_explorer.indicators import load_store
        from igf_explorer.links import load_links

        try:
            frame, registry = load_store(data_dir)
            links = load_links(data_dir)
        except DataError:
            pass
        else:
            vocabulary = slide_vocabulary(statement, IndicatorStore(frame, registry), links)
    return read_slides(data_dir / SLIDES_FILE, vocabulary)[1]
