"""Reading a producer's table: text tables after any preamble, workbook sheets as text, normalised header names.

Every table comes back with its rows numbered as the file numbers them (the frame's index): a text table's physical
line, counting blank lines and the lines a quoted cell spans, and a sheet's row, counting a title above the header.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from igf_explorer.ingest.reading import InputFile
from igf_explorer.problems import Problem

# What the CSV reader ends a line on; ``str.splitlines`` also splits on form feeds, U+2028 and others, which it does not.
_NEWLINE = re.compile(rb"\r\n|\r|\n")
_HEAD_BYTES = 64 * 1024
_HEAD_LINES = 12
_PREAMBLE = re.compile(r'^\s*"?(data source|last updated date)"?\s*[,;\t]', re.IGNORECASE)


class TableError(ValueError):
    """A table that cannot be parsed, with the located problem to report instead (see ``formats.base``)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


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
    lines = head_lines(source)
    for index, line in enumerate(lines[:10]):
        if _PREAMBLE.match(line):
            skip = index + 1
            if "last updated" in line.lower():
                fields = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
                updated = fields[1].strip() if len(fields) > 1 else ""
        elif not line.strip() and skip:
            skip = index + 1
        elif skip:
            break
    header = lines[skip] if skip < len(lines) else ""
    layout = TextLayout(skip, header, sniff_delimiter(header), updated)
    source.cache["layout"] = layout
    return layout


def head_lines(source: InputFile) -> list[str]:
    """The first lines of a text input, split where the CSV reader splits them (CR, LF or CRLF, nothing else)."""
    head = source.utf8[:_HEAD_BYTES].decode("utf-8", errors="replace")
    return re.split(r"\r\n|\r|\n", head)[:_HEAD_LINES]


def _offset_after(data: bytes, count: int) -> int:
    """Where line ``count`` (0-based) starts, or -1 when the data has fewer lines."""
    offset = 0
    for _ in range(count):
        match = _NEWLINE.search(data, offset)
        if match is None:
            return -1
        offset = match.end()
    return offset


def after_lines(data: bytes, count: int) -> io.BytesIO:
    """The bytes from line ``count`` (0-based) on, as a stream for the CSV reader, without copying line by line."""
    offset = _offset_after(data, count)
    return io.BytesIO(b"" if offset < 0 else memoryview(data)[offset:])


def _line_count(data: bytes | memoryview) -> int:
    """How many lines ``data`` has (a last line without a newline counts)."""
    raw = bytes(data)
    if b"\r" in raw:
        count = len(_NEWLINE.findall(raw))
    else:
        count = raw.count(b"\n")
    return count + (1 if raw and not raw.endswith((b"\n", b"\r")) else 0)


def record_lines(data: bytes, skip: int, records: int, delimiter: str) -> np.ndarray:
    """The line (1-based) each of ``records`` data records starts on, the header being line ``skip + 1``.

    One record a line, the usual case, is told by counting newlines; blank lines (which the reader skips) and cells
    that span lines need the records walked, with the CSV module, which splits as the reader does.
    """
    first = skip + 2
    offset = _offset_after(data, skip + 1)
    body = memoryview(data)[offset:] if offset >= 0 else memoryview(b"")
    if _line_count(body) == records:
        return np.arange(first, first + records)
    text = bytes(body).decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    starts, line = [], 0
    try:
        for row in reader:
            if row:
                starts.append(first + line)
            line = reader.line_num
    except csv.Error:
        pass
    if len(starts) != records:
        return np.arange(first, first + records)  # the two readers disagree: count records, as before
    return np.asarray(starts)


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_csv_located(source: InputFile, skip: int, **options: object) -> pd.DataFrame:
    """``pandas.read_csv`` of the text after ``skip`` lines, its parse errors as located problems (``TableError``)."""
    try:
        return pd.read_csv(after_lines(source.utf8, skip), encoding="utf-8", **options)  # type: ignore[call-overload, no-any-return]
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError as exc:
        bad = _BAD_LINE.search(str(exc))
        if bad:
            expected, line, saw = (int(g) for g in bad.groups())
            raise TableError(
                Problem(
                    source.name,
                    f"has {saw} cells where the header has {expected}; quote a cell that holds the delimiter "
                    f"({options.get('sep', ',')!r}) or remove the extra cells",
                    row=skip + line,
                )
            ) from exc
        raise TableError(Problem(source.name, f"cannot be read as a table ({exc})")) from exc


def read_text_table(source: InputFile) -> tuple[pd.DataFrame, int]:
    """The table as strings, indexed by each record's line, and the line number of its header (1-based).

    Raises
    ------
    TableError
        When a line has more cells than the header, located at that line.
    """
    layout = text_layout(source)
    frame = read_csv_located(
        source, layout.skip, sep=layout.delimiter, dtype=str, keep_default_na=False, skip_blank_lines=True
    )
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:") or frame[c].ne("").any()]]
    frame.index = pd.Index(record_lines(source.utf8, layout.skip, len(frame), layout.delimiter))
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
    """Every sheet of an .xlsx as strings, indexed by sheet row, with its header's row number (any title skipped)."""
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
        body.index = pd.RangeIndex(header_at + 2, header_at + 2 + len(body))
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
