"""The cache boundary: data is loaded and validated once per data version, then shared read-only by all sessions.

A session may *preview* an uploaded file (see :mod:`components.preview`): its indicator store is then the stored one
with the previewed dataset's rows replaced by the dry run's. Only that session sees it; figures drawn from a preview
are cached under the preview's id, in caches of their own, so they never mix with (or evict) the shared figures.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from igf_explorer.companies import CompanyStore, load_company_data
from igf_explorer.geometry import Geometry, load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.links import Link
from igf_explorer.paths import data_fingerprint, resolve_data_dir
from igf_explorer.problems import DataError
from igf_explorer.slides import load_slides, slide_vocabulary
from igf_explorer.statement import Statement
from igf_explorer.url_state import Vocabulary, build_vocabulary
from igf_explorer.versioned import WholeData, load_whole
from igf_explorer.views import ExplorerData
from igf_explorer.views.country import CountryView, build_country_view
from igf_explorer.views.map import MapView, build_map_view
from igf_explorer.views.recommendation import RecommendationMeasures, build_recommendation_measures
from igf_explorer.views.since2012 import Since2012View, build_since2012
from igf_explorer.views.slides import SlideView, build_deck

F = TypeVar("F", bound=Callable[..., Any])


def _held(size: int) -> Callable[[F], F]:
    """A plain dict in front of a ``st.cache_resource`` function, keyed by its arguments but the store.

    The store is left out as Streamlit leaves out ``_store``: the preview id beside it tells stores apart.
    Streamlit hashes every argument on every call, about half a millisecond each; a /map visitor's run makes a
    dozen such calls, for objects that are the same for every visitor. The dict answers those in a lookup; a miss
    goes through Streamlit's cache (its spinner, its one-computation-at-a-time lock) and is kept. Bounded like the
    cache behind it; keys hold the data version, so a new version never meets an old value.
    """

    def wrap(func: F) -> F:
        memo: dict[tuple[object, ...], object] = {}
        lock = threading.Lock()

        @functools.wraps(func)
        def call(*args: object) -> object:
            key = tuple(a for a in args if not isinstance(a, IndicatorStore))
            try:
                return memo[key]
            except KeyError:
                pass
            value = func(*args)
            with lock:
                if len(memo) >= size:
                    memo.pop(next(iter(memo)), None)
                memo[key] = value
            return value

        return cast(F, call)

    return wrap


def data_dir() -> Path:
    """The data directory the app serves (``IGF_EXPLORER_DATA_DIR`` or the repository's ``data/``)."""
    return resolve_data_dir()


_VERSION_TTL_S = 1.0
_versions: dict[str, tuple[float, str]] = {}
# The version this session's current run draws, set once at the top of every full run (app.py): a version read
# anew by each call could change halfway down a page, and the page would mix two states of the data. A fragment's
# run (the Map's panel) keeps its page's version, so it never draws newer data than the rest of the page.
_PINNED = "_igf.data_version"


def _fresh_version(directory: Path) -> str:
    """The data version on disk, re-read at most once a second: one rerun asks for it a dozen times."""
    key = str(directory)
    now = time.monotonic()
    seen = _versions.get(key)
    if seen is None or now - seen[0] > _VERSION_TTL_S:
        seen = (now, data_fingerprint(directory))
        _versions[key] = seen
    return seen[1]


def _version(directory: Path) -> str:
    """The version this run draws: the one pinned at its start, or (outside a pinned run) the one on disk."""
    pinned = st.session_state.get(_PINNED)
    if isinstance(pinned, tuple) and pinned[0] == str(directory):
        return str(pinned[1])
    return _fresh_version(directory)


def pin_version() -> str:
    """Fix the data version for the rest of this run (called once, at the top of every full run)."""
    directory = data_dir()
    version = _fresh_version(directory)
    _whole(str(directory), version)  # read now: the run's first call pays for it, not a call halfway down
    st.session_state[_PINNED] = (str(directory), version)
    return version


def data_version() -> str:
    """The current data version (a stamp of names, sizes and times of every data file): a cache key."""
    return _version(data_dir())


def forget_version() -> None:
    """Re-read the data version at once (after this process changed the data), for this run too."""
    _versions.pop(str(data_dir()), None)
    st.session_state.pop(_PINNED, None)


# --- a session's preview of an uploaded file --------------------------------------------------------------------

PREVIEW = "data.preview"


@dataclass(frozen=True, eq=False)  # holds a DataFrame: compared and hashed by identity
class Preview:
    """An uploaded file's data standing in for the stored data, in one browser session."""

    id: str  # unique per uploaded bytes, choices and data version
    label: str  # the file name(s), for the banner
    version: str  # the shared data version the dry run merged with
    store: IndicatorStore  # the whole indicator store as this session sees it (never modified)
    indicator: str  # what to show first on the map
    year: int


def session_preview() -> Preview | None:
    """The session's preview, whether or not it still fits the shared data."""
    held = st.session_state.get(PREVIEW)
    return held if isinstance(held, Preview) else None


def active_preview() -> Preview | None:
    """The session's preview, if it has one made against the current shared data."""
    held = session_preview()
    return held if held is not None and held.version == data_version() else None


def start_preview(preview: Preview) -> None:
    """Make every page of this session show ``preview``'s data."""
    st.session_state[PREVIEW] = preview


def stop_preview() -> None:
    """Back to the shared data in this session."""
    st.session_state.pop(PREVIEW, None)


# cache_resource, not cache_data: the statement is a tree of frozen dataclasses and the store holds frames that
# nobody mutates, so sharing one object is safe and skips the unpickling copy cache_data would make on every rerun.
# The key is the version asked for; the value's own ``version`` is the state it was read from (the same, unless an
# ingest landed in between: then every part is from the newer state, never some from each).
@_held(4)
@st.cache_resource(show_spinner="Loading the data…", max_entries=4)
def _whole(path: str, version: str) -> WholeData:
    return load_whole(Path(path))


def _statement(path: str, version: str) -> Statement:
    return _whole(path, version).statement


def statement() -> Statement:
    """The validated statement for the current data version."""
    directory = data_dir()
    return _statement(str(directory), _version(directory))


@_held(4)
@st.cache_resource(max_entries=4)
def _vocabulary(path: str, version: str) -> Vocabulary:
    from igf_explorer.companies import company_ids

    return build_vocabulary(
        _statement(path, version), _indicator_store(path, version).registry.indicators, company_ids(Path(path))
    )


def vocabulary() -> Vocabulary:
    """Allowed URL values for the current data version."""
    directory = data_dir()
    return _vocabulary(str(directory), _version(directory))


@st.cache_data(max_entries=4)
def _provenance_rows(path: str, version: str) -> list[dict[str, str]]:
    from igf_explorer.metadata import provenance_rows

    return provenance_rows(Path(path))


def provenance_rows() -> list[dict[str, str]]:
    """One row per data file: its sidecar's provenance fields."""
    directory = data_dir()
    return _provenance_rows(str(directory), _version(directory))


def _indicator_store(path: str, version: str) -> IndicatorStore:
    return _whole(path, version).store


def shared_indicator_store() -> IndicatorStore:
    """The stored indicator store, whatever this session previews."""
    directory = data_dir()
    return _indicator_store(str(directory), _version(directory))


def indicator_store() -> IndicatorStore:
    """The indicator store this session shows: the shared one, or the session's preview of an uploaded file."""
    preview = active_preview()
    return preview.store if preview is not None else shared_indicator_store()


@st.cache_resource(show_spinner=False, max_entries=2)
def _geometry(path: str) -> Geometry:
    return load_geometry(Path(path))


def geometry() -> Geometry:
    """Marker positions, drawable countries and extents (geopandas, once per process)."""
    return _geometry(str(data_dir()))


def _links(path: str, version: str) -> tuple[Link, ...]:
    return _whole(path, version).links


def links() -> tuple[Link, ...]:
    """Theme → indicator links."""
    directory = data_dir()
    return _links(str(directory), _version(directory))


def _data(path: str, version: str, store: IndicatorStore) -> ExplorerData:
    return ExplorerData(_statement(path, version), store, _links(path, version), _geometry(path))


# One view model per distinct view, shared by every session as one read-only object (its figures included).
# cache_resource, not cache_data: st.plotly_chart validates a dict into a Figure on every rerun (about 0.17 s
# here), a Figure it takes as it is (about 3 ms), and cache_data would hand each rerun an unpickled copy. A preview
# is keyed by its id (its store, ``_store``, is not hashed) in the same caches, which are large enough that a few
# previewing sessions cannot crowd out the shared views.
@_held(512)
@st.cache_resource(show_spinner=False, max_entries=512)
def _map_view(
    path: str,
    version: str,
    preview_id: str,
    themes: tuple[str, ...],
    region: str | None,
    indicator: str | None,
    year: int | None,
    explain: bool,
    _store: IndicatorStore,
) -> MapView:
    return build_map_view(_data(path, version, _store), themes, region, indicator, year, explain)


def _keys() -> tuple[str, str, str, IndicatorStore]:
    directory = data_dir()
    version = _version(directory)
    preview = active_preview()
    store = preview.store if preview is not None else _indicator_store(str(directory), version)
    return str(directory), version, preview.id if preview is not None else "", store


def map_view(
    themes: tuple[str, ...], region: str | None, indicator: str | None, year: int | None, explain: bool
) -> MapView:
    """The Map page's view for a view state."""
    path, version, preview_id, store = _keys()
    return _map_view(path, version, preview_id, themes, region, indicator, year, explain, store)


@_held(512)
@st.cache_resource(show_spinner=False, max_entries=512)
def _country_view(
    path: str, version: str, preview_id: str, iso3: str | None, themes: tuple[str, ...], _store: IndicatorStore
) -> CountryView:
    return build_country_view(_data(path, version, _store), iso3, themes)


def country_view(iso3: str | None, themes: tuple[str, ...]) -> CountryView:
    """The country profile for a country and the chosen themes."""
    path, version, preview_id, store = _keys()
    return _country_view(path, version, preview_id, iso3, themes, store)


@_held(512)
@st.cache_resource(show_spinner=False, max_entries=512)
def _recommendation_measures(
    path: str,
    version: str,
    preview_id: str,
    rec_id: str,
    region: str | None,
    indicator: str | None,
    end: int | None,
    start: int | None,
    explain: bool,
    _store: IndicatorStore,
) -> RecommendationMeasures:
    data = _data(path, version, _store)
    recommendation = data.statement.recommendation(rec_id)
    assert recommendation is not None
    return build_recommendation_measures(data, recommendation, region, indicator, end, start, explain)


def recommendation_measures(
    rec_id: str, region: str | None, indicator: str | None, end: int | None, start: int | None, explain: bool
) -> RecommendationMeasures:
    """What measures a recommendation, for the chosen indicator, periods and region."""
    path, version, preview_id, store = _keys()
    return _recommendation_measures(path, version, preview_id, rec_id, region, indicator, end, start, explain, store)


@_held(4)
@st.cache_resource(show_spinner=False, max_entries=4)
def _company_store(path: str, version: str) -> CompanyStore | None:
    """The company figures of a data version; None without company datasets or when they do not load.

    ``igf-explorer check`` reports why they do not load; the scorecard says its company series could not be loaded.
    """
    held = getattr(_whole(path, version), "companies", None)
    if isinstance(held, CompanyStore):
        return held
    registry = _indicator_store(path, version).registry
    if not registry.company_datasets:
        return None
    try:
        return load_company_data(Path(path), registry)
    except DataError:
        return None


@_held(128)
@st.cache_resource(show_spinner=False, max_entries=128)
def _since2012_view(
    path: str, version: str, preview_id: str, themes: tuple[str, ...], region: str | None, _store: IndicatorStore
) -> Since2012View:
    companies = _company_store(path, version)
    return build_since2012(_data(path, version, _store), themes, region, companies)


def since2012_view(themes: tuple[str, ...], region: str | None) -> Since2012View:
    """The Since 2012 scorecard for the chosen themes and region."""
    path, version, preview_id, store = _keys()
    return _since2012_view(path, version, preview_id, themes, region, store)


# --- integrity and history, once per data version ---------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _integrity_problems(path: str, version: str) -> list[dict[str, Any]]:
    from igf_explorer.metadata import check_sidecars, load_sidecars

    directory = Path(path)
    data_files = {
        str(s.path.relative_to(directory)): str(s.data_path.relative_to(directory))
        for s in load_sidecars(directory, [])
        if s.data_path.is_relative_to(directory)
    }
    return [{**p.as_dict(), "data_file": data_files.get(p.file, "")} for p in check_sidecars(directory)]


def integrity_problems() -> list[dict[str, Any]]:
    """What ``check_sidecars`` finds in the served data (checksums that do not match, missing sidecars).

    Computed once per data version; each problem as ``Problem.as_dict()`` plus ``data_file``, the data file the
    sidecar describes.
    """
    directory = data_dir()
    return _integrity_problems(str(directory), _version(directory))


@st.cache_data(show_spinner=False, max_entries=4)
def _history(path: str, version: str) -> list[dict[str, Any]]:
    from igf_explorer.ingest.history import read_log

    return read_log(Path(path))


def history() -> list[dict[str, Any]]:
    """The indicator store's history entries, oldest first."""
    directory = data_dir()
    return _history(str(directory), _version(directory))


# --- the presenter's deck ----------------------------------------------------------------------------------------


@_held(8)
@st.cache_resource(show_spinner="Building the slides…", max_entries=8)
def _slide_deck(path: str, version: str, preview_id: str, _store: IndicatorStore) -> tuple[SlideView, ...]:
    data = _data(path, version, _store)
    vocabulary = slide_vocabulary(data.statement, _store, data.links)
    return build_deck(data, load_slides(Path(path), vocabulary))


def slide_deck() -> tuple[SlideView, ...]:
    """Every slide of ``data/slides/slides.yaml``, built once per data version (and preview) for every visitor.

    Raises
    ------
    DataError
        With every problem of the slides file, as ``igf-explorer check`` reports them.
    """
    path, version, preview_id, store = _keys()
    return _slide_deck(path, version, preview_id, store)
