"""The TASCHA/IFLA DA2I database: recognised so that it can be refused with the reason."""

from __future__ import annotations

from igf_explorer.ingest.formats.base import Format
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import text_layout


def detect(source: InputFile) -> bool:
    """DA2I's long layout: exactly ISO3, Year, value, Name."""
    return source.kind == "text" and set(text_layout(source).columns) == {"iso3", "year", "value", "name"}


FORMAT = Format(
    name="da2i",
    summary="the TASCHA/IFLA DA2I database (ISO3, Year, value, Name): refused",
    detect=detect,
    refusal=(
        "is the TASCHA/IFLA DA2I database (columns ISO3, Year, value, Name), which ingest does not load: its 'FotN' "
        "series shows every edition on Freedom House's current, inverted scale (100 = most free) although its metadata "
        "says 0 = best, and it mixes dozens of unrelated indicators under one value column. Load FOTN from Freedom "
        "House's own spreadsheets (--format fotn) and internet use from the World Bank file (--format worldbank)."
    ),
)
