"""Theme → indicator links (``data/links/theme_indicators.yaml``), each with the rationale and caveat the app shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from igf_explorer.problems import DataError, Problem
from igf_explorer.yamlio import read_yaml

LINKS_FILE = "links/theme_indicators.yaml"
_FIELDS = ("theme", "indicator", "rationale", "caveat")


@dataclass(frozen=True)
class Link:
    """One theme measured by one indicator, why (``rationale``), and what the measure cannot show (``caveat``)."""

    theme: str
    indicator: str
    rationale: str
    caveat: str


def load_links(data_dir: Path) -> tuple[Link, ...]:
    """Every link; raises :class:`DataError` with each malformed entry."""
    problems: list[Problem] = []
    doc: Any = read_yaml(data_dir / LINKS_FILE, problems, display_name=LINKS_FILE)
    items = doc.get("links") if isinstance(doc, Mapping) else None
    if not problems and not isinstance(items, list):
        problems.append(Problem(LINKS_FILE, "expected a list under 'links'"))
    links = []
    for row, item in enumerate(items if isinstance(items, list) else [], start=1):
        fields = item if isinstance(item, Mapping) else {}
        missing = [k for k in _FIELDS if not (isinstance(fields.get(k), str) and fields[k])]
        if missing:
            problems.append(
                Problem(
                    LINKS_FILE,
                    f"each link needs theme, indicator, rationale and caveat (text); missing: {', '.join(missing)}",
                    row=row,
                    column=missing[0],
                )
            )
            continue
        links.append(Link(fields["theme"], fields["indicator"], fields["rationale"], fields["caveat"]))
    if problems:
        raise DataError(problems)
    return tuple(links)


def indicators_for(links: Iterable[Link], themes: Iterable[str]) -> list[str]:
    """Indicator ids linked to any of ``themes``, in link-file order, without repeats."""
    wanted = set(themes)
    return list(dict.fromkeys(link.indicator for link in links if link.theme in wanted))


def themes_for(links: Iterable[Link], indicator: str) -> list[str]:
    """Theme ids an indicator measures."""
    return [link.theme for link in links if link.indicator == indicator]


def check_links(
    links: Iterable[Link], theme_ids: set[str], indicator_themes: Mapping[str, Iterable[str]]
) -> list[Problem]:
    """Ids resolve; every indicator is linked; links and sidecar themes agree."""
    links = list(links)
    problems = []
    for row, link in enumerate(links, start=1):
        if link.theme not in theme_ids:
            problems.append(Problem(LINKS_FILE, f"unknown theme '{link.theme}'", row=row, column="theme"))
        if link.indicator not in indicator_themes:
            problems.append(Problem(LINKS_FILE, f"unknown indicator '{link.indicator}'", row=row, column="indicator"))
    for indicator, declared in indicator_themes.items():
        linked = set(themes_for(links, indicator))
        if not linked:
            problems.append(
                Problem(LINKS_FILE, f"indicator '{indicator}' measures no theme (add a link)", column="indicator")
            )
        elif linked != set(declared):
            problems.append(
                Problem(
                    LINKS_FILE,
                    f"links give '{indicator}' the themes {sorted(linked)}, its sidecar says {sorted(set(declared))}",
                    column="theme",
                )
            )
    return problems
