"""The cache boundary: data is loaded and validated once per data version, then shared read-only by all sessions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from igf_explorer.indicators import Registry, load_store
from igf_explorer.paths import data_fingerprint, resolve_data_dir
from igf_explorer.statement import Statement, load_statement
from igf_explorer.url_state import Vocabulary, build_vocabulary


def data_dir() -> Path:
    """The data directory the app serves (``IGF_EXPLORER_DATA_DIR`` or the repository's ``data/``)."""
    return resolve_data_dir()


# cache_resource, not cache_data: the statement is a tree of frozen dataclasses that nobody mutates, so sharing
# one object is safe and skips the unpickling copy cache_data would make on every rerun.
@st.cache_resource(show_spinner="Loading the statement…", max_entries=4)
def _statement(path: str, version: str) -> Statement:
    return load_statement(Path(path))


def statement() -> Statement:
    """The validated statement for the current data version."""
    directory = data_dir()
    return _statement(str(directory), data_fingerprint(directory))


@st.cache_resource(max_entries=4)
def _vocabulary(path: str, version: str) -> Vocabulary:
    return build_vocabulary(_statement(path, version))


def vocabulary() -> Vocabulary:
    """Allowed URL values for the current data version."""
    directory = data_dir()
    return _vocabulary(str(directory), data_fingerprint(directory))


@st.cache_data(max_entries=4)
def _provenance_rows(path: str, version: str) -> list[dict[str, str]]:
    from igf_explorer.metadata import provenance_rows

    return provenance_rows(Path(path))


def provenance_rows() -> list[dict[str, str]]:
    """One row per data file: its sidecar's provenance fields."""
    directory = data_dir()
    return _provenance_rows(str(directory), data_fingerprint(directory))


@st.cache_resource(show_spinner="Loading the indicators…", max_entries=4)
def _indicator_store(path: str, version: str) -> tuple[pd.DataFrame, Registry]:
    return load_store(Path(path))


def indicator_store() -> tuple[pd.DataFrame, Registry]:
    """The validated indicator store, shared read-only by every session (filter it; never modify it in place)."""
    directory = data_dir()
    return _indicator_store(str(directory), data_fingerprint(directory))
