"""Resolving producers' country names to ISO3 with country_converter's regular expressions.

A name resolves when exactly one country's expression matches it. No match is "unknown", more than one is
"ambiguous"; both are reported with their rows and fixed only by an explicit override, never by a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from igf_explorer.countries import is_iso3


@dataclass(frozen=True)
class Resolution:
    """The outcome for one distinct name."""

    name: str
    iso3: str | None
    candidates: tuple[str, ...]
    via_override: bool = False

    @property
    def status(self) -> str:
        """'resolved', 'unknown' or 'ambiguous'."""
        if self.iso3:
            return "resolved"
        return "ambiguous" if len(self.candidates) > 1 else "unknown"


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    import country_converter as coco

    data = coco.CountryConverter().data
    return tuple(
        (str(row.ISO3), re.compile(str(row.regex), re.IGNORECASE))
        for row in data[["ISO3", "regex"]].itertuples(index=False)
        if isinstance(row.regex, str) and row.regex
    )


def _squeeze(name: str) -> str:
    """Re-insert the spaces some producers drop ("SriLanka", "DemocraticRepublicCongo")."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def resolve_name(name: str, overrides: Mapping[str, str] | None = None) -> Resolution:
    """Resolve one name: an override first, then an ISO3 code as is, then country_converter's expressions."""
    cleaned = " ".join(name.split())
    if overrides and cleaned in overrides:
        return Resolution(cleaned, overrides[cleaned], (overrides[cleaned],), via_override=True)
    if len(cleaned) == 3 and cleaned.isupper() and is_iso3(cleaned):
        return Resolution(cleaned, cleaned, (cleaned,))
    for candidate_text in dict.fromkeys([cleaned, _squeeze(cleaned)]):
        matches = tuple(dict.fromkeys(iso3 for iso3, pattern in _patterns() if pattern.search(candidate_text)))
        if len(matches) == 1:
            return Resolution(cleaned, matches[0], matches)
        if len(matches) > 1:
            return Resolution(cleaned, None, matches)
    return Resolution(cleaned, None, ())


def resolve_names(names: Iterable[str], overrides: Mapping[str, str] | None = None) -> dict[str, Resolution]:
    """Resolve each distinct name once."""
    return {name: resolve_name(name, overrides) for name in dict.fromkeys(names)}
