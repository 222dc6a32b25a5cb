"""The offline kit: self-contained HTML pages of the statement, its measures and its countries, for file://."""

# ``igf-explorer export-kit OUTDIR`` calls export_kit. Pages come from the section builders in SECTIONS (handout,
# recommendations, countries); a new kind of page, such as slides, is one more Section there.

from __future__ import annotations

from igf_explorer.kit.build import KitError, KitReport, data_version, export_kit
from igf_explorer.kit.pages import SECTIONS, KitContext, Page, Section

__all__ = ["SECTIONS", "KitContext", "KitError", "KitReport", "Page", "Section", "data_version", "export_kit"]
