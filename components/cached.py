"""The cache boundary: data is loaded and validated once per data version, then shared read-only by all sessions.

A session may *preview* an uploaded file (see :mod:`components.preview`): its indicator store is then the stored one
with the previewed dataset's rows replaced by the dry run's. Only that session sees it; figures drawn from a preview
are cached under the preview's id, in caches of their own, so they never mix with (or evict) the shared figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from igf_explorer.geometry import Geometry, load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.links import Link, load_links
from igf_explorer.paths import data_fingerprint, resolve_data_dir
from igf_explorer.slides import load_slides, slide_vocabulary
from igf_explorer.statement import Statement, load_statement
from igf_explorer.url_state import Vocabulary, build_vocabulary
from igf_explorer.views import ExplorerData
from igf_explorer.views.country import CountryView, build_country_view
from igf_explorer.views.map import MapView, build_map_view
from igf_explorer.views.recommendation import RecommendationMeasures, build_recommendation_measures
from igf_explorer.views.slides import SlideView, build_deck


def data_dir() -> Path:
    """The data directory the app serves (``IGF_EXPLORER_DATA_DIR`` or the repository's ``data/``)."""
    return resolve_data_dir()


_VERSION_TTL_S = 1.0
_versions: dict[str, tuple[float, str]] = {}


def _version(directory: Path) -> str:
    """The data version, re-read at most once a second: one rerun asks for it a dozen times."""
    key = str(directory)
    now = time.monotonic()
    seen = _versions.get(key)
    if seen is None or now - seen[0] > _VERSION_TTL_S:
        seen = (now, data_fingerprint(directory))
        _versions[key] = seen
    return seen[1]


def data_version() -> str:
    """The current data version (a stamp of names, sizes and times of every data file): a cache key."""
    return _version(data_dir())


def forget_version() -> None:
    """Re-read the data version on the next call (after this process changed the data)."""
    _versions.pop(str(data_dir()), None)


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


# cache_resource, not cache_data: the statement is a tree of frozen dataclasses that nobody mutates, so sharing
# one object is safe and skips the unpickling copy cache_data would make on every rerun.
@st.cache_resource(show_spinner="Loading the statement…", max_entries=4)
def _statement(path: str, version: str) -> Statement:
    return load_statement(Path(path))


def statement() -> Statement:
    """The validated statement for the current data version."""
    directory = data_dir()
    return _statement(str(directory), _version(directory))


@st.cache_resource(max_entries=4)
def _vocabulary(path: str, version: str) -> Vocabulary:
    return build_vocabulary(_statement(path, version), _indicator_store(path, version).registry.indicators)


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


@st.cache_resource(show_spinner="Loading the indicators…", max_entries=4)
def _indicator_store(path: str, version: str) -> IndicatorStore:
    frame, registry = load_store(Path(path))
    return IndicatorStore(frame, registry)


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


@st.cache_resource(max_entries=4)
def _links(path: str, version: str) -> tuple[Link, ...]:
    return load_links(Path(path))


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


@st.cache_resource(show_spinner=False, max_entries=512)
def _country_view(
    path: str, version: str, preview_id: str, iso3: str | None, themes: tuple[str, ...], _store: IndicatorStore
) -> CountryView:
    return build_country_view(_data(path, version, _store), iso3, themes)


def country_view(iso3: str | None, themes: tuple[str, ...]) -> CountryView:
    """The country profile for a country and the chosen themes."""
    path, version, preview_id, store = _keys()
    return _country_view(path, version, preview_id, iso3, themes, store)


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
