"""Resolving producers' country names to ISO3 codes strictly: by code, exact name or known alias, never by similarity.

A name resolves, in this order, through an override given by the user, an ISO3 code as is, an exact name from
pycountry (ISO 3166 ``name``, ``official_name``, ``common_name``) or country_converter (``name_short``,
``name_official``, not its regular expressions), or an alias from ``data/names/country_aliases.yaml``. Names are
compared after normalisation only (Unicode NFKC, case, accents, apostrophes, quotes and dashes, spaces, and the spaces
a producer dropped as in "SriLanka"). Names listed there as used for two or more states ("Congo", "Korea") are
ambiguous even where a list has them, and so is a name that the lists give two countries. Anything else is unknown;
unknown and ambiguous names carry likely candidates and stop an ingest until an override resolves them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from igf_explorer.indicators import is_economy_code
from igf_explorer.paths import resolve_data_dir
from igf_explorer.problems import DataError, Problem
from igf_explorer.yamlio import read_yaml

How = Literal["code", "exact", "alias", "override", "ambiguous", "unknown"]

ALIASES_FILE = "names/country_aliases.yaml"
# Unknown names get at most this many candidate codes, from names at least this similar (difflib ratio).
MAX_CANDIDATES = 3
CANDIDATE_CUTOFF = 0.8

_ALIAS_FIELDS = frozenset({"name", "iso3", "producer", "note"})
_AMBIGUOUS_FIELDS = frozenset({"name", "iso3", "note"})
_SECTIONS = ("aliases", "ambiguous")

# Producers type the same name with typographic apostrophes, quotes and dashes; they are one character for matching.
# Mapped before NFKC too, because NFKC turns the acute accent U+00B4 into a space and a combining mark.
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bb\u02bc\u02bd\u0060\u00b4\u2032\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Resolution:
    """The outcome for one distinct name.

    Attributes
    ----------
    name
        The name as given, whitespace collapsed.
    iso3
        The code it resolved to; None unless resolved.
    candidates
        ISO3 codes: the code itself when resolved, the two or more states of an ambiguous name, or the likely
        ones (close spellings) for an unknown name, possibly none.
    how
        How it was resolved (``code``, ``exact``, ``alias``, ``override``) or why not (``ambiguous``, ``unknown``).
    matched
        The exact name or alias it matched, the ambiguous name it is or contains, or the override key.
    """

    name: str
    iso3: str | None
    candidates: tuple[str, ...]
    how: How
    matched: str = ""

    @property
    def status(self) -> str:
        """'resolved', 'unknown' or 'ambiguous'."""
        if self.iso3:
            return "resolved"
        return "ambiguous" if self.how == "ambiguous" else "unknown"

    @property
    def via_override(self) -> bool:
        """Whether an override given by the user resolved the name."""
        return self.how == "override"


@dataclass(frozen=True, eq=False)
class _Lookup:
    """Every table resolution needs, built once per alias file version; compared by identity."""

    exact: Mapping[str, Mapping[str, str]]  # normalised name → {iso3: the name as the list spells it}
    aliases: Mapping[str, tuple[str, str]]  # normalised alias → (iso3, the alias as the file spells it)
    ambiguous: Mapping[str, tuple[tuple[str, ...], str]]  # normalised name → (codes, the name as spelled)
    contained: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...]  # ambiguous names as whole-word patterns
    similar: Mapping[str, tuple[str, ...]]  # normalised name → codes, the pool for unknown names' candidates
    problems: tuple[Problem, ...] = ()


def _squeeze(name: str) -> str:
    """Re-insert the spaces some producers drop ("SriLanka", "DemocraticRepublicCongo")."""
    return _CAMEL.sub(" ", name)


def _fold(name: str) -> str:
    """NFKC, one apostrophe, quote and dash each, and no accents; case is kept for :func:`_squeeze`."""
    text = unicodedata.normalize("NFKC", name.translate(_PUNCTUATION)).translate(_PUNCTUATION)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize_name(name: str, squeeze: bool = False) -> str:
    """The form names are compared in (never shown).

    Parameters
    ----------
    name
        A country name as written.
    squeeze
        Also re-insert spaces dropped between words ("SriLanka" → "sri lanka").

    Returns
    -------
    str
        Casefolded, accent-free text with unified punctuation and single spaces.
    """
    text = _fold(name)
    if squeeze:
        text = _squeeze(text)
    return " ".join(text.casefold().split())


def _keys(name: str) -> tuple[str, ...]:
    """The name's normalised form, then its re-spaced form when that differs."""
    return tuple(dict.fromkeys((normalize_name(name), normalize_name(name, squeeze=True))))


@lru_cache(maxsize=1)
def _list_names() -> tuple[tuple[str, str, str], ...]:
    """(iso3, name, source) for every name the two packages list, pycountry first."""
    import pycountry

    names: list[tuple[str, str, str]] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if isinstance(value, str) and value.strip():
                names.append((str(country.alpha_3), value, f"pycountry {attribute}"))
    # country_converter imports pandas and reads its table: slow, so only here, once.
    import country_converter as coco

    data = coco.CountryConverter().data
    for row in data[["ISO3", "name_short", "name_official"]].itertuples(index=False):
        for attribute, value in (("name_short", row.name_short), ("name_official", row.name_official)):
            # A code outside the store's accepted codes could never be stored; the package's table has none today.
            if isinstance(value, str) and value.strip() and is_economy_code(str(row.ISO3)):
                names.append((str(row.ISO3), value, f"country_converter {attribute}"))
    return tuple(names)


@lru_cache(maxsize=1)
def _exact_table() -> dict[str, dict[str, str]]:
    """Normalised name → {iso3: name as listed}; two codes under one key make that name ambiguous."""
    table: dict[str, dict[str, str]] = {}
    for iso3, name, _source in _list_names():
        for key in _keys(name):
            table.setdefault(key, {}).setdefault(iso3, name)
    return table


def _text_field(
    item: Mapping[str, Any], key: str, row: int, section: str, problems: list[Problem], required: bool = True
) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(ALIASES_FILE, f"'{section}' entry {row}: '{key}' must be non-empty text", row, key))
        return ""
    return " ".join(value.split())


def _entries(doc: Any, problems: list[Problem]) -> dict[str, list[tuple[int, Mapping[str, Any]]]]:
    """The two sections' entries with their 1-based positions; a malformed shape is a located problem."""
    found: dict[str, list[tuple[int, Mapping[str, Any]]]] = {section: [] for section in _SECTIONS}
    if not isinstance(doc, Mapping):
        problems.append(Problem(ALIASES_FILE, "expected a mapping with the lists 'aliases' and 'ambiguous'"))
        return found
    for key in doc:
        if key not in _SECTIONS:
            problems.append(Problem(ALIASES_FILE, f"unknown section '{key}' (expected 'aliases' and 'ambiguous')"))
    for section in _SECTIONS:
        items = doc.get(section)
        if not isinstance(items, list):
            problems.append(Problem(ALIASES_FILE, f"expected a list under '{section}'", column=section))
            continue
        for row, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                problems.append(Problem(ALIASES_FILE, f"'{section}' entry {row} is not a mapping", row=row))
                continue
            allowed = _ALIAS_FIELDS if section == "aliases" else _AMBIGUOUS_FIELDS
            for extra in sorted(str(k) for k in item if k not in allowed):
                problems.append(
                    Problem(
                        ALIASES_FILE,
                        f"'{section}' entry {row}: unknown field '{extra}' (allowed: {', '.join(sorted(allowed))})",
                        row,
                        extra,
                    )
                )
            found[section].append((row, item))
    return found


def _code(value: Any, row: int, section: str, problems: list[Problem]) -> str:
    code = value.strip() if isinstance(value, str) else ""
    if not is_economy_code(code):
        problems.append(
            Problem(ALIASES_FILE, f"'{section}' entry {row}: '{value}' is not an ISO 3166-1 alpha-3 code", row, "iso3")
        )
        return ""
    return code


def _build(path: Path) -> _Lookup:
    """Read the alias file and join it with the packages' names, collecting every problem on the way."""
    problems: list[Problem] = []
    doc = read_yaml(path, problems, display_name=ALIASES_FILE)
    # A file that cannot be read or parsed has its one problem already; an empty one is reported by _entries.
    entries = {s: [] for s in _SECTIONS} if problems else _entries(doc, problems)
    exact = _exact_table()

    ambiguous: dict[str, tuple[tuple[str, ...], str]] = {}
    ambiguous_rows: dict[str, int] = {}
    for row, item in entries["ambiguous"]:
        name = _text_field(item, "name", row, "ambiguous", problems)
        _text_field(item, "note", row, "ambiguous", problems, required=False)
        raw_codes = item.get("iso3")
        if not isinstance(raw_codes, list):
            problems.append(
                Problem(
                    ALIASES_FILE, f"'ambiguous' entry {row}: 'iso3' must be a list of two or more codes", row, "iso3"
                )
            )
            raw_codes = []
        valid = [c for c in (_code(v, row, "ambiguous", problems) for v in raw_codes) if c]
        codes = tuple(dict.fromkeys(valid))
        # Only when every code is valid: an invalid one has its own problem already.
        if isinstance(item.get("iso3"), list) and len(valid) == len(raw_codes) and len(codes) < 2:
            problems.append(
                Problem(
                    ALIASES_FILE, f"'ambiguous' entry {row}: '{name}' needs two or more different codes", row, "iso3"
                )
            )
        if not name:
            continue
        for key in _keys(name):
            if key in ambiguous_rows:
                problems.append(
                    Problem(
                        ALIASES_FILE,
                        f"'ambiguous' entry {row}: '{name}' is listed twice (also entry {ambiguous_rows[key]})",
                        row,
                        "name",
                    )
                )
                break
        else:
            for key in _keys(name):
                ambiguous[key] = (codes, name)
                ambiguous_rows[key] = row

    aliases: dict[str, tuple[str, str]] = {}
    alias_rows: dict[str, int] = {}
    for row, item in entries["aliases"]:
        name = _text_field(item, "name", row, "aliases", problems)
        _text_field(item, "producer", row, "aliases", problems)
        _text_field(item, "note", row, "aliases", problems, required=False)
        code = _code(item.get("iso3"), row, "aliases", problems)
        if not name:
            continue
        keys = _keys(name)
        where = f"'aliases' entry {row}: '{name}'"
        duplicate = next((alias_rows[k] for k in keys if k in alias_rows), None)
        if duplicate is not None:
            problems.append(Problem(ALIASES_FILE, f"{where} is listed twice (also entry {duplicate})", row, "name"))
            continue
        if any(k in ambiguous for k in keys):
            problems.append(Problem(ALIASES_FILE, f"{where} is listed both as an alias and as ambiguous", row, "name"))
            continue
        # Exact names are tried first, so an alias naming another country's listed name would never apply: say so.
        listed = next((exact[k] for k in keys if k in exact), {})
        others = sorted(c for c in listed if c != code)
        if code and others:
            problems.append(
                Problem(
                    ALIASES_FILE,
                    f"{where} is already a listed name of {' and '.join(others)}; it cannot also stand for {code}",
                    row,
                    "iso3",
                )
            )
            continue
        for key in keys:
            alias_rows[key] = row
            if code:
                aliases[key] = (code, name)

    contained = tuple(
        (re.compile(rf"(?<!\w){re.escape(key)}(?!\w)"), codes, name) for key, (codes, name) in ambiguous.items()
    )
    similar: dict[str, tuple[str, ...]] = {key: tuple(sorted(codes)) for key, codes in exact.items()}
    similar.update({key: (code,) for key, (code, _name) in aliases.items()})
    similar.update({key: codes for key, (codes, _name) in ambiguous.items()})
    return _Lookup(exact, aliases, ambiguous, contained, similar, tuple(problems))


@lru_cache(maxsize=8)
def _lookup_for(path: Path, stamp: tuple[int, int]) -> _Lookup:
    # ``stamp`` (mtime, size) makes an edited alias file a new cache entry; the packages' names are cached apart.
    return _build(path)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def _lookup(data_dir: Path | None) -> _Lookup:
    """The lookup for a data directory's alias file; a broken file raises rather than resolving without it."""
    path = (data_dir if data_dir is not None else resolve_data_dir()) / ALIASES_FILE
    lookup = _lookup_for(path, _stamp(path))
    if lookup.problems:
        raise DataError(lookup.problems)
    return lookup


def _candidates(keys: tuple[str, ...], lookup: _Lookup) -> tuple[str, ...]:
    """Codes of the closest names in the table (close spellings, at most :data:`MAX_CANDIDATES`)."""
    scored: dict[str, float] = {}
    for key in keys:
        for match in difflib.get_close_matches(key, lookup.similar, n=10, cutoff=CANDIDATE_CUTOFF):
            ratio = difflib.SequenceMatcher(None, key, match).ratio()
            for code in lookup.similar[match]:
                scored[code] = max(scored.get(code, 0.0), ratio)
    return tuple(sorted(scored, key=lambda code: -scored[code])[:MAX_CANDIDATES])


@lru_cache(maxsize=8192)
def _resolve_cached(cleaned: str, lookup: _Lookup) -> Resolution:
    """Everything after overrides, which are per call and so cannot be part of the cache key."""
    if len(cleaned) == 3 and cleaned.isascii() and cleaned.isupper() and is_economy_code(cleaned):
        return Resolution(cleaned, cleaned, (cleaned,), "code", cleaned)
    keys = _keys(cleaned)
    # The ambiguity list wins over exact names: pycountry's short name for COG is "Congo".
    for key in keys:
        if key in lookup.ambiguous:
            codes, listed = lookup.ambiguous[key]
            return Resolution(cleaned, None, codes, "ambiguous", listed)
    for key in keys:
        listed_by_code = lookup.exact.get(key)
        if listed_by_code and len(listed_by_code) == 1:
            (code, listed), *_ = listed_by_code.items()
            return Resolution(cleaned, code, (code,), "exact", listed)
        if listed_by_code:
            first = next(iter(listed_by_code.values()))
            return Resolution(cleaned, None, tuple(sorted(listed_by_code)), "ambiguous", first)
    for key in keys:
        if key in lookup.aliases:
            code, alias = lookup.aliases[key]
            return Resolution(cleaned, code, (code,), "alias", alias)
    # Not a known name. One that names an ambiguous name word for word ("Virgin Islands British US") is ambiguous
    # between the same states; this only labels the failure, it never resolves anything.
    for pattern, codes, listed in lookup.contained:
        if any(pattern.search(key) for key in keys):
            return Resolution(cleaned, None, codes, "ambiguous", listed)
    return Resolution(cleaned, None, _candidates(keys, lookup), "unknown")


def _resolve(name: str, overrides: Mapping[str, str], lookup: _Lookup) -> Resolution:
    cleaned = " ".join(name.split())
    if cleaned in overrides:
        code = overrides[cleaned]
        return Resolution(cleaned, code, (code,), "override", cleaned)
    return _resolve_cached(cleaned, lookup)


def _clean_overrides(overrides: Mapping[str, str] | None) -> dict[str, str]:
    # Keys are compared after whitespace collapse, as names are; ``--override 'Yemen =YEM'`` still applies.
    return {" ".join(k.split()): v.strip() for k, v in (overrides or {}).items()}


def resolve_name(name: str, overrides: Mapping[str, str] | None = None, data_dir: Path | None = None) -> Resolution:
    """Resolve one name.

    Parameters
    ----------
    name
        The producer's name (stray and repeated whitespace is ignored).
    overrides
        ``name → ISO3`` given by the user; a key matches the name after whitespace collapse and wins over everything.
    data_dir
        Data directory whose ``names/country_aliases.yaml`` is used; by default the app's
        (:func:`igf_explorer.paths.resolve_data_dir`).

    Returns
    -------
    Resolution
        The code and how it was found, or why none was and the likely candidates.

    Raises
    ------
    DataError
        If the alias file is missing or malformed (its located problems).
    """
    return _resolve(name, _clean_overrides(overrides), _lookup(data_dir))


def resolve_names(
    names: Iterable[str], overrides: Mapping[str, str] | None = None, data_dir: Path | None = None
) -> dict[str, Resolution]:
    """Resolve each distinct name once.

    Parameters
    ----------
    names
        Names as they occur (repeats are fine); keys of the result are these names exactly as given.
    overrides
        As for :func:`resolve_name`.
    data_dir
        As for :func:`resolve_name`.

    Returns
    -------
    dict[str, Resolution]
        One resolution per distinct name, in first-seen order.

    Raises
    ------
    DataError
        If the alias file is missing or malformed.
    """
    cleaned_overrides = _clean_overrides(overrides)
    lookup = _lookup(data_dir)
    return {name: _resolve(name, cleaned_overrides, lookup) for name in dict.fromkeys(names)}


def candidates_text(resolution: Resolution) -> str:
    """The candidates as readable text for messages, e.g. "Nigeria (NGA) or Niger (NER)"; empty when there are none.

    Parameters
    ----------
    resolution
        Any resolution; usually an ambiguous or unknown one.

    Returns
    -------
    str
        Short country names with their codes, joined by commas and a final "or".
    """
    from igf_explorer.countries import country_name

    parts = [f"{country_name(code)} ({code})" if country_name(code) != code else code for code in resolution.candidates]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def check_aliases(data_dir: Path) -> list[Problem]:
    """Problems with a data directory's alias file, located by entry and field.

    Every alias code is a valid code, no name is listed twice, none is both an alias and ambiguous, every
    ambiguous name lists two or more codes, and no alias contradicts a name the packages give another country.

    Parameters
    ----------
    data_dir
        The data directory holding ``names/country_aliases.yaml``.

    Returns
    -------
    list[Problem]
        Empty when the file is sound.
    """
    path = data_dir / ALIASES_FILE
    return list(_lookup_for(path, _stamp(path)).problems)
