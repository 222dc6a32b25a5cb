"""The cache boundary: data is loaded and validated once per data version, then shared read-only by all sessions."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from igf_explorer.countries import region_by_slug
from igf_explorer.figures import build_map_figure
from igf_explorer.geometry import Geometry, extent, load_geometry
from igf_explorer.indicators import Registry, load_store
from igf_explorer.links import Link, load_links
from igf_explorer.mapview import display_scale, map_frame, signatory_points, table_for
from igf_explorer.paths import data_fingerprint, resolve_data_dir
from igf_explorer.statement import Statement, load_statement
from igf_explorer.url_state import Vocabulary, build_vocabulary


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
    _, registry = _indicator_store(path, version)
    return build_vocabulary(_statement(path, version), registry.indicators)


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
def _indicator_store(path: str, version: str) -> tuple[pd.DataFrame, Registry]:
    return load_store(Path(path))


def indicator_store() -> tuple[pd.DataFrame, Registry]:
    """The validated indicator store, shared read-only by every session (filter it; never modify it in place)."""
    directory = data_dir()
    return _indicator_store(str(directory), _version(directory))


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


# One figure per distinct view, shared by every session as one read-only object. cache_resource, not cache_data:
# st.plotly_chart validates a dict into a Figure on every rerun (about 0.17 s here), a Figure it takes as it is
# (about 3 ms), and cache_data would hand each rerun an unpickled copy.
@st.cache_resource(show_spinner=False, max_entries=256)
def _map_figure(
    path: str, version: str, indicator: str, year: int, region: str | None, markers: bool, height: int
) -> go.Figure:
    store, registry = _indicator_store(path, version)
    geo = _geometry(path)
    chosen = region_by_slug(region) if region else None
    frame = map_frame(store, registry, indicator, year, chosen, geo)
    points = signatory_points(_statement(path, version).signatories, geo, chosen) if markers else None
    frame_extent = (
        extent(geo, [c for c in frame.loc[frame["in_region"], "iso3"] if c in geo.drawable]) if chosen else None
    )
    largest = float(store.loc[store["indicator"] == indicator, "value"].max())
    scale = display_scale(registry.indicator(indicator), largest=largest)
    return build_map_figure(frame, scale, geo, points, frame_extent, height=height)


def map_figure(
    indicator: str, year: int, region: str | None, markers: bool = True, height: int = 620
) -> dict[str, object]:
    """The map for one view (indicator, period, region), from the shared cache."""
    directory = data_dir()
    return _map_figure(str(directory), _version(directory), indicator, year, region, markers, height)


@st.cache_resource(show_spinner=False, max_entries=256)
def _map_table(path: str, version: str, indicator: str, year: int, region: str | None) -> pd.DataFrame:
    store, registry = _indicator_store(path, version)
    chosen = region_by_slug(region) if region else None
    frame = map_frame(store, registry, indicator, year, chosen, _geometry(path))
    return table_for(frame, registry.indicator(indicator), year)


def map_table(indicator: str, year: int, region: str | None) -> pd.DataFrame:
    """The table of what the map shows, for the same view."""
    directory = data_dir()
    return _map_table(str(directory), _version(directory), indicator, year, region)
