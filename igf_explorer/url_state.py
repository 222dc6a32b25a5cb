"""The view state, the one table of its URL parameters, and the pure rules that turn a link into a view.

Every parameter is declared once, in :data:`PARAMS`: its name in the URL, the :class:`ViewState` field it fills,
the session-state key of the widget holding it, its kind, the widget's "nothing chosen" value and the pages that
read it. :func:`decode` and :func:`encode`, the session keys and defaults (``components.state``) and the page
registry's parameters (``igf_explorer.registry``) all follow from it.

A link is untrusted input. Every value is capped in length before anything looks at it; a value the app does not
know is dropped with a :class:`Notice`, never an exception; a notice keeps the link's values (:class:`Echo`) apart
from its wording, so :func:`notice_markdown` can show them exactly as written and never as markup. Defaults are
left out of the URL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from igf_explorer.countries import all_regions
from igf_explorer.statement import Statement

ParamValue = str | Sequence[str]
Kind = Literal["one", "many", "text", "int", "number", "flag"]

# Longer than any legitimate value (all 13 theme ids joined take 213 characters); cut before parsing, so a 100 KB
# value costs nothing downstream.
MAX_VALUE_CHARS = 500
# Streamlit already refuses more than 1000 fields; no parameter needs more than the 13 themes.
MAX_VALUES = 50
# The search box's text: longer is never a real query, and every word is matched against every recommendation.
MAX_QUERY_CHARS = 200
# An echoed value is shown up to this many characters, then "…".
ECHO_CHARS = 60
# A vocabulary this short is listed in the notice; a longer one (250 country codes) gets a hint instead.
LISTED_VOCABULARY = 12
# ASCII digits only: '²' and '①' pass str.isdigit but int() refuses them.
_YEAR = re.compile(r"[0-9]{4}")
# A position in a sequence (a slide): 1 to 999, no sign, no leading zero.
_NUMBER = re.compile(r"[1-9][0-9]{0,2}")
# How a link switches a flag on; "0", "false", "no" and "off" switch it off, anything else is a notice.
_FLAG_ON = frozenset({"1", "true", "yes", "on"})
_FLAG_OFF = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at: the sidebar filters shared by every page plus each page's own choices."""

    addressee: str | None = None
    themes: tuple[str, ...] = ()
    q: str = ""
    rec: str | None = None
    region: str | None = None
    indicator: str | None = None
    year: int | None = None
    country: str | None = None
    company: str | None = None
    slide: int | None = None
    notes: bool = False
    snapshot: bool = False  # a share slide's QR code opens the view's static snapshot, not the live app
    lite: bool = False
    high_contrast: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The values each parameter may take; ``themes`` keeps taxonomy order so encoded URLs are stable."""

    addressees: frozenset[str]
    themes: tuple[str, ...]
    recs: frozenset[str]
    regions: frozenset[str]
    indicators: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    companies: frozenset[str] = frozenset()


SessionValue = str | int | bool | list[str] | None


@dataclass(frozen=True)
class Param:
    """One URL parameter: where it lives in the view, in session state and in the URL, and who reads it.

    Attributes
    ----------
    name
        The query parameter, e.g. ``theme``.
    field
        The :class:`ViewState` attribute it fills.
    session_key
        The widget key holding it in ``st.session_state``.
    kind
        ``one`` value from a vocabulary, ``many`` of them, free ``text``, an ``int`` (a year), a ``number``
        (a position from 1, such as a slide) or a ``flag`` (on when the link says ``1``; off is left out).
    default
        The widget's value for "nothing chosen": ``""`` for select boxes that offer "All …" (with None Streamlit
        shows an empty "Choose an option"), ``()`` for a multiselect (held as a list), else None.
    pages
        The url_paths of the pages that read it (``""`` is the home page).
    noun
        How notices name it.
    vocabulary
        The :class:`Vocabulary` attribute listing its allowed values (``one`` and ``many`` only).
    hint
        What to do instead of an unknown value, for vocabularies too long to list.
    shared
        A sidebar filter: it survives moving to another page and every page's URL carries it.
    upper_case
        Compared in upper case (ISO 3166 codes: ``pak`` is ``PAK``).
    """

    name: str
    field: str
    session_key: str
    kind: Kind
    default: str | tuple[()] | None
    pages: tuple[str, ...]
    noun: str
    vocabulary: str | None = None
    hint: str = ""
    shared: bool = False
    upper_case: bool = False

    def session_default(self) -> SessionValue:
        """A fresh copy of the widget's "nothing chosen" value (a multiselect needs its own list)."""
        if self.kind == "flag":
            return False
        return [] if self.kind == "many" else self.default if isinstance(self.default, str) else None

    def to_session(self, value: object) -> SessionValue:
        """The widget value for a :class:`ViewState` field's value."""
        if self.kind == "many":
            return [str(v) for v in value] if isinstance(value, tuple | list) else []
        if self.kind in ("int", "number"):
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        if self.kind == "flag":
            return value is True
        return str(value) if value else self.session_default()

    def from_session(self, value: object) -> object:
        """The :class:`ViewState` field's value for what the widget holds (None, "" and [] mean nothing chosen)."""
        if self.kind == "many":
            return tuple(str(v) for v in value) if isinstance(value, tuple | list) else ()
        if self.kind in ("int", "number"):
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        if self.kind == "flag":
            return value is True
        if self.kind == "text":
            return str(value or "")
        return str(value) if value else None


_ALL_PAGES = (
    "",
    "recommendations",
    "map",
    "since-2012",
    "country",
    "companies",
    "signatories",
    "data",
    "about",
    "present",
)

PARAMS: tuple[Param, ...] = (
    Param(
        "theme",
        "themes",
        "filters.themes",
        "many",
        (),
        ("", "recommendations", "map", "since-2012", "country"),
        "theme",
        vocabulary="themes",
        hint="choose themes in the sidebar",
        shared=True,
    ),
    Param(
        "region",
        "region",
        "filters.region",
        "one",
        "",
        ("recommendations", "map", "since-2012", "country", "companies", "signatories"),
        "region",
        vocabulary="regions",
        hint="choose a region in the sidebar",
        shared=True,
    ),
    Param(
        "addressee",
        "addressee",
        "recs.addressee",
        "one",
        "",
        ("recommendations",),
        "addressee",
        vocabulary="addressees",
        hint="choose one in the 'Addressed to' box",
    ),
    Param("q", "q", "recs.q", "text", "", ("recommendations",), "search text"),
    Param(
        "rec",
        "rec",
        "recs.rec",
        "one",
        None,
        ("recommendations",),
        "recommendation",
        vocabulary="recs",
        hint="open one from the list",
    ),
    Param(
        "indicator",
        "indicator",
        "map.indicator",
        "one",
        None,
        ("recommendations", "map"),
        "indicator",
        vocabulary="indicators",
        hint="choose one in the 'Indicator' box",
    ),
    Param("year", "year", "map.year", "int", None, ("recommendations", "map"), "year"),
    Param(
        "country",
        "country",
        "country.iso3",
        "one",
        None,
        ("country",),
        "country code",
        vocabulary="countries",
        hint="choose a country from the list",
        upper_case=True,
    ),
    Param(
        "company",
        "company",
        "companies.company",
        "one",
        None,
        ("companies",),
        "company",
        vocabulary="companies",
        hint="choose a company from the list",
    ),
    Param("slide", "slide", "present.slide", "number", None, ("present",), "slide number"),
    Param("notes", "notes", "present.notes", "flag", None, ("present",), "speaker-notes switch"),
    Param("snapshot", "snapshot", "present.snapshot", "flag", None, ("present",), "snapshot switch"),
    # Display switches: every page reads them and every URL carries them, so a shared link keeps them.
    Param("lite", "lite", "display.lite", "flag", None, _ALL_PAGES, "low-bandwidth switch", shared=True),
    Param(
        "high_contrast",
        "high_contrast",
        "display.high_contrast",
        "flag",
        None,
        _ALL_PAGES,
        "high-contrast switch",
        shared=True,
    ),
)
_BY_NAME = {p.name: p for p in PARAMS}
SHARED: tuple[str, ...] = tuple(p.name for p in PARAMS if p.shared)


def param(name: str) -> Param:
    """The parameter called ``name`` in the URL."""
    return _BY_NAME[name]


def read_by(url_path: str) -> tuple[str, ...]:
    """The parameters the page at ``url_path`` reads, in table order."""
    return tuple(p.name for p in PARAMS if url_path in p.pages)


def carried_by(url_path: str) -> tuple[str, ...]:
    """The parameters the URL of the page at ``url_path`` holds: what it reads plus the shared sidebar filters."""
    return tuple(p.name for p in PARAMS if url_path in p.pages or p.shared)


def view_from_session(session: Mapping[str, object]) -> ViewState:
    """The view the widgets' values describe (missing keys are "nothing chosen")."""
    values = {p.field: p.from_session(session.get(p.session_key, p.default)) for p in PARAMS}
    return ViewState(**values)  # type: ignore[arg-type]  # each value has its field's type: Param.from_session


def session_from_view(view: ViewState) -> dict[str, SessionValue]:
    """The widgets' values for ``view``, keyed by session key."""
    return {p.session_key: p.to_session(getattr(view, p.field)) for p in PARAMS}


# --- notices ------------------------------------------------------------------------------------------------------


def _printable(text: str) -> str:
    """``text`` with control, format (bidi overrides, zero-widths) and line/paragraph separators made visible.

    A newline would end the notice's paragraph and let the rest be read as markdown; a bidi override would show
    the text in another order than it was written.
    """
    return "".join("\N{REPLACEMENT CHARACTER}" if _invisible(c) else c for c in text)


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "C" or category in ("Zl", "Zp")


@dataclass(frozen=True)
class Echo:
    """A value as the link wrote it: shown shortened and verbatim, never read as markup."""

    value: str

    def shown(self) -> str:
        """At most :data:`ECHO_CHARS` characters of the value, with "…" when it was longer; controls made visible."""
        text = self.value if len(self.value) <= ECHO_CHARS else self.value[: ECHO_CHARS - 1] + "…"
        return _printable(text)


@dataclass(frozen=True)
class Notice:
    """A sentence about the link: fixed wording (``str`` parts) with the link's values (:class:`Echo`) kept apart.

    ``str(notice)`` is the plain text, each echoed value in single quotes.
    """

    parts: tuple[str | Echo, ...]

    @classmethod
    def of(cls, *parts: str | Echo) -> Notice:
        """A notice from its parts, e.g. ``Notice.of("Unknown region ", Echo(value), " was ignored.")``."""
        return cls(tuple(parts))

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else f"'{p.shown()}'" for p in self.parts)


# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, which turns it into plain text.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_BACKTICK_RUNS = re.compile(r"`+")


def _escaped(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", _printable(text))


def _code_span(text: str) -> str:
    """``text`` as a markdown code span, whose content no markdown, directive or LaTeX rule touches.

    A code span cannot escape a backtick, so its fence is one backtick longer than the longest run inside; a space
    pads content that starts or ends with a backtick or a space (CommonMark strips one from each side).
    """
    if not text:
        return _escaped("''")
    # Streamlit rewrites ":material/" to ":material_" in the raw source before parsing, even inside code spans:
    # a word joiner between ':' and 'material' keeps the value looking as written and out of that rewrite.
    text = text.replace(":material/", ":\N{WORD JOINER}material/")
    fence = "`" * (max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def notice_markdown(notice: Notice | str) -> str:
    r"""Markdown that Streamlit shows as exactly the notice's text: nothing in it is a link, image, colour or LaTeX.

    The wording's punctuation is backslash-escaped; each echoed value becomes a code span. A plain ``str`` is
    wording throughout.

    Examples
    --------
    >>> notice_markdown(Notice.of("Unknown region ", Echo("![x](http://198.51.100.7/b.png)"), "."))
    'Unknown region `![x](http://198.51.100.7/b.png)`\\.'
    """
    if isinstance(notice, str):
        return _escaped(notice)
    return "".join(_escaped(p) if isinstance(p, str) else _code_span(p.shown()) for p in notice.parts)


def _listed(values: Iterable[str]) -> list[str | Echo]:
    parts: list[str | Echo] = []
    for index, value in enumerate(values):
        parts += [", "] if index else []
        parts.append(Echo(value))
    return parts


def _unknown(p: Param, unknown: Sequence[str], allowed: Collection[str]) -> Notice:
    several = len(unknown) > 1
    what = f"Unknown {p.noun}{'s' if several else ''} "
    ignored = f" in the link {'were' if several else 'was'} ignored"
    if len(allowed) <= LISTED_VOCABULARY:
        known = list(allowed) if isinstance(allowed, tuple) else sorted(allowed)  # a tuple is in taxonomy order
        return Notice.of(what, *_listed(unknown), f"{ignored}. Known values: ", *_listed(known), ".")
    return Notice.of(what, *_listed(unknown), f"{ignored}; {p.hint}.")


# --- decoding and encoding ------------------------------------------------------------------------------------------


def _raw_values(raw: ParamValue | None) -> tuple[list[str], bool]:
    """The parameter's values, cut to size, and whether anything was cut.

    Each value keeps at most :data:`MAX_VALUE_CHARS` characters and at most :data:`MAX_VALUES` values are kept.
    This runs before anything else reads a value.
    """
    if raw is None:
        return [], False
    items = [raw] if isinstance(raw, str) else list(raw)
    capped = [item[:MAX_VALUE_CHARS] for item in items[:MAX_VALUES]]
    return capped, len(items) > MAX_VALUES or any(len(item) > MAX_VALUE_CHARS for item in items)


def _split(items: Iterable[str]) -> list[str]:
    """All values, splitting comma-separated lists and dropping blanks."""
    return [part.strip() for item in items for part in item.split(",") if part.strip()][:MAX_VALUES]


def _decode_param(p: Param, raw: ParamValue, vocabulary: Vocabulary, notices: list[Notice]) -> object:
    items, cut = _raw_values(raw)
    if p.kind == "text":
        # Free text may contain commas, so it is taken whole rather than split like the list parameters.
        text = items[0].strip() if items else ""
        if cut or len(text) > MAX_QUERY_CHARS:
            notices.append(Notice.of(f"The {p.noun} in the link was cut to its first {MAX_QUERY_CHARS} characters."))
        return text[:MAX_QUERY_CHARS].strip()
    values = _split(items)
    if not values:
        return None
    if p.kind == "flag":
        word = values[0].lower()
        if word not in _FLAG_ON | _FLAG_OFF:
            notices.append(Notice.of(Echo(values[0]), f" in the link is not a {p.noun} (use 1 or 0) and was ignored."))
            return None
        return True if word in _FLAG_ON else None
    if p.kind == "number":
        if not _NUMBER.fullmatch(values[0]):
            notices.append(Notice.of(Echo(values[0]), f" in the link is not a {p.noun} and was ignored."))
            return None
        return int(values[0])
    if p.kind == "int":
        if not _YEAR.fullmatch(values[0]):
            notices.append(Notice.of(Echo(values[0]), f" in the link is not a {p.noun} and was ignored."))
            return None
        return int(values[0])
    allowed: Collection[str] = getattr(vocabulary, str(p.vocabulary))

    def known(value: str) -> str | None:
        value = value.upper() if p.upper_case else value
        return value if value in allowed else None

    if p.kind == "many":
        # Notices echo a value as the link wrote it, not as it was compared.
        unknown = list(dict.fromkeys(v for v in values if known(v) is None))
        if unknown:
            notices.append(_unknown(p, unknown, allowed))
        chosen = {known(v) for v in values}
        return tuple(v for v in allowed if v in chosen)  # in vocabulary order, so encoded URLs are stable
    if len(values) > 1:
        notices.append(Notice.of(f"Only one {p.noun} can be chosen; all but the link's first were ignored."))
    if known(values[0]) is None:
        notices.append(_unknown(p, values[:1], allowed))
    return known(values[0])


def decode(
    params: Mapping[str, ParamValue], vocabulary: Vocabulary, only: Iterable[str] | None = None
) -> tuple[ViewState, list[Notice]]:
    """Turn query parameters into a :class:`ViewState`, plus notices about values that were cut or ignored.

    Parameters
    ----------
    params
        The query parameters, each a string or a list of strings (``theme=a&theme=b``); anything, of any length.
    vocabulary
        The values each parameter may take.
    only
        Decode just these parameters (a page's :func:`carried_by`); the others keep their defaults, unannounced.

    Returns
    -------
    tuple[ViewState, list[Notice]]
        The view (unknown values dropped) and one notice per problem, in :data:`PARAMS` order.

    Examples
    --------
    >>> vocab = Vocabulary(frozenset({"governments"}), ("access", "blocking"), frozenset(), frozenset())
    >>> decode({"theme": "blocking,access"}, vocab)[0].themes
    ('access', 'blocking')
    >>> str(decode({"year": "²"}, vocab)[1][0])
    "'²' in the link is not a year and was ignored."
    """
    keep = set(only) if only is not None else None
    notices: list[Notice] = []
    values: dict[str, object] = {}
    for p in PARAMS:
        raw = params.get(p.name)
        if raw is None or (keep is not None and p.name not in keep):
            continue
        value = _decode_param(p, raw, vocabulary, notices)
        if value is not None:
            values[p.field] = value
    return ViewState(**values), notices  # type: ignore[arg-type]  # each value has its field's type: _decode_param


def _encoded(p: Param, value: object) -> str | None:
    if p.kind == "many":
        return ",".join(str(v) for v in value) or None if isinstance(value, tuple | list) else None
    if p.kind == "int":
        # Four digits, as decoding demands; a widget never holds a year outside 0–9999.
        return f"{value:04d}" if isinstance(value, int) and 0 <= value <= 9999 else None
    if p.kind == "number":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1000 else None
    if p.kind == "flag":
        return "1" if value is True else None
    return str(value).strip() or None if value else None


def encode(state: ViewState, only: Iterable[str] | None = None) -> dict[str, str]:
    """Query parameters for ``state``, in :data:`PARAMS` order, defaults omitted; ``only`` limits them to a page's.

    Examples
    --------
    >>> encode(ViewState(themes=("access",), year=2019), only=("theme",))
    {'theme': 'access'}
    """
    keep = set(only) if only is not None else None
    params: dict[str, str] = {}
    for p in PARAMS:
        if keep is not None and p.name not in keep:
            continue
        value = _encoded(p, getattr(state, p.field))
        if value is not None:
            params[p.name] = value
    return params


def flatten(params: Mapping[str, ParamValue]) -> dict[str, str]:
    """Query parameters as one capped string each, repeated values joined by commas.

    Two URLs are then compared by what they say rather than how they spell it (``theme=a&theme=b`` is
    ``theme=a,b``).
    """
    flat: dict[str, str] = {}
    for name, raw in params.items():
        items, _ = _raw_values(raw)
        flat[name[:MAX_VALUE_CHARS]] = ",".join(items)
    return flat


# --- values the chosen themes make impossible ---------------------------------------------------------------------


@dataclass(frozen=True)
class ViewOptions:
    """What a page can show for the view's themes; built by the caller from its data, for :func:`resolve`.

    Attributes
    ----------
    indicators
        The indicators linked to the chosen themes, in the order the page offers them (the first is the default).
    periods
        For each indicator, the periods with data.
    default_period
        For each indicator, the period shown when none is asked for (the best-covered one).
    names
        Short names for the notices; an indicator without one is named by its id.
    """

    indicators: Sequence[str]
    periods: Mapping[str, Sequence[int]]
    default_period: Mapping[str, int]
    names: Mapping[str, str] = field(default_factory=dict)


def resolve(
    view: ViewState, options: ViewOptions, *, from_link: Collection[str] = ()
) -> tuple[ViewState, list[Notice]]:
    """Replace the view's impossible indicator and year the same way on every page, saying so.

    An indicator that does not measure the chosen themes gives way to the first that does, with a notice. A year
    without data for the indicator gives way to the indicator's default period, with a notice only when the year
    came from a link (``"year" in from_link``): a user changing the indicator expects the period to follow.
    Without any linked indicator both become None.

    Parameters
    ----------
    view
        The decoded (or widget-held) view.
    options
        What the page can show for ``view.themes``.
    from_link
        Names of the parameters whose values the link just brought.

    Returns
    -------
    tuple[ViewState, list[Notice]]
        The view with ``indicator`` and ``year`` set to values the page can show, and the notices.

    Examples
    --------
    >>> options = ViewOptions(["fotn_limits"], {"fotn_limits": [2018, 2019]}, {"fotn_limits": 2018})
    >>> view, notices = resolve(ViewState(indicator="shutdowns", year=1999), options, from_link={"year"})
    >>> (view.indicator, view.year, len(notices))
    ('fotn_limits', 2018, 2)
    """
    if not options.indicators:
        return replace(view, indicator=None, year=None), []
    notices: list[Notice] = []

    def name(indicator: str) -> str:
        return options.names.get(indicator, indicator)

    indicator, asked = options.indicators[0], view.indicator
    if asked is not None and asked in options.indicators:
        indicator = asked
    elif asked is not None:
        notices.append(Notice.of(f"{name(asked)} does not measure the chosen themes; showing {name(indicator)}."))
    year = view.year
    if year not in options.periods.get(indicator, ()):
        best = options.default_period.get(indicator)
        if year is not None and "year" in from_link:
            shown = f"showing {best}" if best is not None else "it has no figures at all"
            notices.append(Notice.of(f"{name(indicator)} has no figures for {year}; {shown}."))
        year = best
    return replace(view, indicator=indicator, year=year), notices


def build_vocabulary(statement: Statement, indicators: Iterable[str] = (), companies: Iterable[str] = ()) -> Vocabulary:
    """The allowed parameter values: the statement's ids, UN M49 regions, indicator ids, country codes, companies."""
    from igf_explorer.indicators import economy_codes

    return Vocabulary(
        addressees=frozenset(a.id for a in statement.addressees),
        themes=tuple(statement.theme_ids()),
        recs=frozenset(r.id for r in statement.recommendations),
        regions=frozenset(r.slug for r in all_regions()),
        indicators=frozenset(indicators),
        countries=economy_codes(),
        companies=frozenset(companies),
    )
