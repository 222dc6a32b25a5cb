"""Country names and UN M49 regions, resolved with ``country_converter`` and ``pycountry``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

# country_converter calls the Americas "America"; the UN M49 name is used in the app.
_CONTINENT_NAMES = {"America": "Americas"}


@dataclass(frozen=True)
class Region:
    """A UN M49 continent or sub-region, addressed in URLs by its slug."""

    slug: str
    name: str
    kind: str  # "continent" or "subregion"
    continent: str


# ISO 3166 entries with no permanent population: drawn on the map, never counted or listed as countries.
UNINHABITED = frozenset({"ATA", "ATF", "BVT", "HMD", "SGS", "UMI"})


def slugify(name: str) -> str:
    """Lower-case, hyphen-separated form used in URLs."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def is_iso3(code: str) -> bool:
    """Whether ``code`` is a current ISO 3166-1 alpha-3 code (Kosovo's XKX is accepted, as producers use it)."""
    return code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str, str]]:
    import country_converter as coco

    data = coco.CountryConverter().data
    table: dict[str, tuple[str, str, str]] = {}
    for row in data[["ISO3", "name_short", "continent", "UNregion"]].itertuples(index=False):
        continent = _CONTINENT_NAMES.get(str(row.continent), str(row.continent))
        table[str(row.ISO3)] = (str(row.name_short), continent, str(row.UNregion))
    return table


def country_name(iso3: str) -> str:
    """Short English name of a country, or the code itself when unknown."""
    entry = _table().get(iso3)
    return entry[0] if entry else iso3


def continent_of(iso3: str) -> str | None:
    """UN M49 continent of a country."""
    entry = _table().get(iso3)
    return entry[1] if entry else None


def subregion_of(iso3: str) -> str | None:
    """UN M49 sub-region of a country."""
    entry = _table().get(iso3)
    return entry[2] if entry else None


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    """Every M49 continent, each followed by its sub-regions, alphabetically (Antarctica left out: no countries)."""
    from collections import Counter

    pairs = Counter((continent, subregion) for _, continent, subregion in _table().values())
    # A few territories carry a continent that differs from their sub-region's; the majority decides.
    home: dict[str, str] = {}
    for (continent, subregion), _count in pairs.most_common():
        home.setdefault(subregion, continent)
    by_continent: dict[str, set[str]] = {}
    for subregion, continent in home.items():
        if "Antarctica" not in (continent, subregion) and subregion != "nan":
            by_continent.setdefault(continent, set()).add(subregion)
    regions: list[Region] = []
    for continent in sorted(by_continent):
        regions.append(Region(slugify(continent), continent, "continent", continent))
        regions.extend(Region(slugify(sub), sub, "subregion", continent) for sub in sorted(by_continent[continent]))
    return tuple(regions)


def region_by_slug(slug: str) -> Region | None:
    """The region with this slug, or None."""
    return next((r for r in all_regions() if r.slug == slug), None)


def in_region(iso3: str, region: Region | None) -> bool:
    """Whether a country lies in ``region`` (every country does when ``region`` is None)."""
    if region is None:
        return True
    if region.kind == "continent":
        return continent_of(iso3) == region.name
    return subregion_of(iso3) == region.name
