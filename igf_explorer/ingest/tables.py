"""Reading a producer's table: text tables after any preamble, workbook sheets as text, normalised header names."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

from igf_explorer.ingest.reading import InputFile

_PREAMBLE = re.compile(r'^\s*"?(data source|last updated date)"?\s*[,;\t]', re.IGNORECASE)


def norm(name: object) -> str:
    """A header name as formats compare it: quotes, BOMs and underscores as spaces, spaces folded, lower case."""
    return " ".join(str(name).replace('"', " ").replace("\ufeff", " ").replace("_", " ").split()).lower()


@dataclass(frozen=True)
class TextLayout:
    """Where a text table's header is and what its preamble states, parsed once from the first lines."""

    skip: int  # lines before the header
    header: str
    delimiter: str
    last_updated: str  # a WDI preamble's "Last Updated Date", as written there ('' when there is none)

    @property
    def columns(self) -> list[str]:
        """Normalised header names."""
        return [norm(c) for c in next(csv.reader([self.header], delimiter=self.delimiter), [])]


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (comma on a tie)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def text_layout(source: InputFile) -> TextLayout:
    """The header line, delimiter and preamble of a text input (the WDI "Data Source / Last Updated Date" block)."""
    cached = source.cache.get("layout")
    if isinstance(cached, TextLayout):
        return cached
    skip, updated = 0, ""
    for index, line in enumerate(source.lines[:10]):
        if _PREAMBLE.match(line):
            skip = index + 1
            if "last updated" in line.lower():
                fields = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
                updated = fields[1].strip() if len(fields) > 1 else ""
        elif not line.strip() and skip:
            skip = index + 1
        elif skip:
            break
    header = source.lines[skip] if skip < len(source.lines) else ""
    layout = TextLayout(skip, header, sniff_delimiter(header), updated)
    source.cache["layout"] = layout
    return layout


def after_lines(data: bytes, count: int) -> io.BytesIO:
    """The bytes from line ``count`` (0-based) on, as a stream for the CSV reader, without copying line by line."""
    offset = 0
    for _ in range(count):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return io.BytesIO(b"")
    return io.BytesIO(memoryview(data)[offset:])


def read_text_table(source: InputFile) -> tuple[pd.DataFrame, int]:
    """The table as strings and the line number of its header (1-based), after any preamble."""
    layout = text_layout(source)
    frame = pd.read_csv(
        after_lines(source.utf8, layout.skip),
        sep=layout.delimiter,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        encoding="utf-8",
    )
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:") or frame[c].ne("").any()]]
    return frame, layout.skip + 1


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def read_workbook(source: InputFile) -> dict[str, tuple[pd.DataFrame, int]]:
    """Every sheet of an .xlsx as strings with its header's row number (a title row above the header is skipped)."""
    cached = source.cache.get("sheets")
    if isinstance(cached, dict):
        return cached
    raw_sheets = pd.read_excel(io.BytesIO(source.raw), sheet_name=None, dtype=object, engine="openpyxl", header=None)
    sheets: dict[str, tuple[pd.DataFrame, int]] = {}
    for name, grid in raw_sheets.items():
        grid = grid.apply(lambda col: col.map(_cell_text))
        if grid.empty:
            continue
        header_at = _find_header(grid)
        header = [str(c).strip() or f"Unnamed: {i}" for i, c in enumerate(grid.iloc[header_at])]
        body = grid.iloc[header_at + 1 :].reset_index(drop=True)
        body.columns = header
        sheets[str(name)] = (body, header_at + 1)
    source.cache["sheets"] = sheets
    return sheets


def _find_header(grid: pd.DataFrame) -> int:
    """The first row that fills most columns: a title row above the header fills one or two."""
    width = len(grid.columns)
    for position in range(min(6, len(grid))):
        filled = int(grid.iloc[position].astype(str).str.strip().ne("").sum())
        if filled >= max(2, (width + 1) // 2):
            return position
    return 0


def workbook_headers(source: InputFile) -> dict[str, list[str]]:
    """Normalised header names of every sheet."""
    return {name: [norm(c) for c in frame.columns] for name, (frame, _) in read_workbook(source).items()}
