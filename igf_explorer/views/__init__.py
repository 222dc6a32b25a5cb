"""View builders: everything a page (or a slide, a kit page, the CLI) draws, built from the data without Streamlit.

Each builder takes the loaded data (:class:`ExplorerData`) and a view's state and returns a frozen view model:
figures, tables, counts, notes, caveats, with the fallbacks for impossible link values already applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from igf_explorer.geometry import Geometry, load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.links import Link, load_links
from igf_explorer.statement import Statement, load_statement


@dataclass(frozen=True)
class ExplorerData:
    """What every view is built from: the statement, the indicator store, the theme links and the geometry."""

    statement: Statement
    store: IndicatorStore
    links: tuple[Link, ...]
    geometry: Geometry


def load_data(data_dir: Path) -> ExplorerData:
    """Load and validate everything a view needs (the app caches each part; the CLI and tests call this)."""
    frame, registry = load_store(data_dir)
    return ExplorerData(
        load_statement(data_dir), IndicatorStore(frame, registry), load_links(data_dir), load_geometry(data_dir)
    )
