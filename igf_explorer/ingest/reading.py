"""Open an input file safely: size, unzipped-size, row and cell limits, encoding and delimiter detection.

Every limit is checked before any table is built: a text file's lines are counted in its bytes, a workbook's rows
and cells in its sheets' XML, streamed from the zip (a few megabytes in memory, whatever the workbook holds).

A zip that is not a workbook is a producer's download holding CSV files (Google's ``google-government-removals.zip``):
its one table is opened as a text input, within the same byte and unzipped-byte limits as a workbook.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from igf_explorer.problems import Problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_LINE_CHARS = 65_536
# An .xlsx is a zip: its parts may expand to at most this many times the input limit before we parse it.
XLSX_EXPANSION_FACTOR = 4
DEFAULT_MAX_UNZIPPED_BYTES = DEFAULT_MAX_BYTES * XLSX_EXPANSION_FACTOR
# A 50 MB tidy CSV holds about 1.6 million lines of 7 fields and is read in about 4 s: these leave it room.
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_CELLS = 20_000_000
# A workbook cell costs about 30 µs to parse (openpyxl), a hundred times a CSV field: a million is half a minute.
# Producers' workbooks hold at most tens of thousands (FOTN: a few hundred rows; #KeepItOn: a few thousand).
DEFAULT_MAX_WORKBOOK_CELLS = 1_000_000
_XML_CHUNK = 1024 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_LONG_LINE = re.compile(f"^[^\\n]{{{MAX_LINE_CHARS + 1},}}", re.MULTILINE)
HEAD_LINES = 12
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Limits:
    """What an input may hold before it is parsed: bytes, unzipped bytes (a workbook), rows and cells.

    Cells are rows × columns as the table would be built: a text file's lines times its header's fields; a
    workbook's used rows times used columns of each sheet (empty cells inside that range included, as the reader
    fills them in).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_cells: int = DEFAULT_MAX_CELLS
    max_workbook_cells: int = DEFAULT_MAX_WORKBOOK_CELLS

    @classmethod
    def for_bytes(cls, max_bytes: int) -> Limits:
        """The default limits for inputs of up to ``max_bytes`` (a workbook may unzip to four times that)."""
        return cls(max_bytes=max_bytes, max_unzipped_bytes=max_bytes * XLSX_EXPANSION_FACTOR)

    def with_bytes(self, max_bytes: int) -> Limits:
        """These limits with another byte limit (and the unzipped limit scaled with it)."""
        return replace(self, max_bytes=max_bytes, max_unzipped_bytes=max_bytes * XLSX_EXPANSION_FACTOR)


@dataclass(frozen=True)
class LimitProblem(Problem):
    """A problem that is an input limit refused: ``limit`` names it (``bytes``, ``unzipped_bytes``, ``rows``, ...)."""

    limit: str = field(default="", compare=False)


@dataclass
class InputFile:
    """A readable input: either decoded text (with its encoding) or an .xlsx workbook's bytes."""

    path: Path
    kind: Literal["text", "xlsx"]
    raw: bytes
    utf8: bytes = b""  # the text, re-encoded as UTF-8 if it came in another encoding
    encoding: str = ""
    lines: list[str] = field(default_factory=list)  # the first few lines only, for recognising layouts
    # Parsed once per input (a workbook's sheets): detection and extraction both need them.
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    sha256: str = ""
    member: str = ""  # the file inside a zip download that was read ('' for a plain file)

    @property
    def name(self) -> str:
        """File name for messages (a zip's member in brackets: ``removals.zip [requests.csv]``)."""
        return f"{self.path.name} [{self.member}]" if self.member else self.path.name


class BomMismatchError(ValueError):
    """A file starts with a byte-order mark its bytes do not follow."""


def _decode(raw: bytes) -> tuple[str, str] | None:
    """Text and encoding name, or None for binary content.

    Raises
    ------
    BomMismatchError
        When the file starts with a UTF-8 or UTF-16 byte-order mark and is not in that encoding after all.
    """
    for bom, encoding, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise BomMismatchError(
                    f"starts with a {label} byte-order mark but is not {label} text ({error.reason} at byte "
                    f"{error.start}); save it again as UTF-8"
                ) from None
    sample = raw[:4096]
    if sample and sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM puts a NUL beside every ASCII character.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        guess = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = raw.decode(guess)
        except UnicodeDecodeError:
            return None
        return (text, guess) if "\x00" not in text else None
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (comma on a tie)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


# What a zip download's tables may be called, and the members that are never its data (macOS resource forks).
_TABLE_MEMBER = re.compile(r"\.(csv|tsv|txt)$", re.IGNORECASE)
_NOT_DATA = re.compile(r"(^|/)(__MACOSX/|\.)")
# Members a format reads from a producer's bundle of several CSV files (registered by the format's module).
_PREFERRED_MEMBERS: list[re.Pattern[str]] = []


def prefer_zip_member(pattern: str) -> None:
    """Name the member to read from a zip holding several CSV files (a regular expression over its path)."""
    compiled = re.compile(pattern, re.IGNORECASE)
    if compiled.pattern not in {p.pattern for p in _PREFERRED_MEMBERS}:
        _PREFERRED_MEMBERS.append(compiled)


def _choose_member(members: list[str], name: str) -> tuple[str | None, list[Problem]]:
    """The one table of a zip download, or why there is none to choose."""
    tables = [m for m in members if _TABLE_MEMBER.search(m) and not _NOT_DATA.search(m)]
    if not tables:
        held = ", ".join(members[:10]) or "nothing"
        return None, [Problem(name, f"is a zip archive holding no CSV file (it holds: {held}); ingest a CSV or .xlsx")]
    if len(tables) == 1:
        return tables[0], []
    preferred = [m for m in tables if any(p.search(m) for p in _PREFERRED_MEMBERS)]
    if len(preferred) == 1:
        return preferred[0], []
    return None, [
        Problem(
            name,
            f"is a zip archive holding several CSV files ({', '.join((preferred or tables)[:10])}) and none is known "
            "as the table to read; unzip it and ingest the one you mean",
        )
    ]


def _open_zip_table(path: Path, raw: bytes, digest: str, limits: Limits) -> tuple[InputFile | None, list[Problem]]:
    """The CSV inside a zip download, read within the unzipped-byte limit (a zip bomb is refused before inflating)."""
    name = path.name
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            member, problems = _choose_member([info.filename for info in infos], name)
            if member is None:
                return None, problems
            info = archive.getinfo(member)
            limit = limits.max_unzipped_bytes
            if info.file_size > limit:
                message = f"{member} expands to {info.file_size:,} bytes when unzipped; the limit is {limit:,} (a possible zip bomb)"
                return None, [LimitProblem(name, message, limit="unzipped_bytes")]
            with archive.open(info) as stream:
                data = stream.read(limit + 1)  # a member's stated size can lie: never inflate past the limit
            if len(data) > limit:
                message = f"{member} expands to more than {limit:,} bytes when unzipped (a possible zip bomb)"
                return None, [LimitProblem(name, message, limit="unzipped_bytes")]
    except RuntimeError as exc:  # an encrypted member
        return None, [Problem(name, f"is a zip archive that cannot be read without a password ({exc})")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        return None, [Problem(name, f"is not a readable zip archive ({exc})")]
    return _open_text(path, data, digest, limits, member)


def _is_workbook(raw: bytes) -> bool:
    """Whether a zip is an .xlsx workbook (it has the package's content types) rather than a bundle of files."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error):
        return True  # check_xlsx reports the damage


def check_xlsx(raw: bytes, name: str, max_bytes: int, limits: Limits | None = None) -> list[Problem]:
    """Refuse a workbook that is no valid zip, unzips beyond the limit (zip bombs) or holds too many rows or cells.

    Rows and cells are counted in the sheets' XML, streamed, before anything is parsed.
    """
    limits = limits or Limits.for_bytes(max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if "[Content_Types].xml" not in archive.namelist():
                return [Problem(name, "is a zip archive but not an .xlsx workbook")]
            limit = limits.max_unzipped_bytes
            if expanded > limit:
                return [
                    LimitProblem(
                        name,
                        f"expands to {expanded:,} bytes when unzipped; the limit is {limit:,} (a possible zip bomb)",
                        limit="unzipped_bytes",
                    )
                ]
            return _check_sheets(archive, name, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        return [Problem(name, f"is not a readable .xlsx workbook ({exc})")]


_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# A row or cell element (any namespace prefix) and the reference it carries: <row r="12">, <c r="AB12">.
_ELEMENT = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,30}:)?(row|c)(?=[\s/>])([^>]{0,400}?\sr="([A-Z]{0,3})(\d{0,8})")?')
_TAG_TAIL = 512  # longer than any element start the pattern matches


@dataclass
class _SheetCount:
    rows: int = 0  # row elements, or the highest row number referenced, whichever is more
    cells: int = 0
    last_row: int = 0
    last_column: int = 0

    @property
    def grid(self) -> int:
        """Cells of the table the reader builds: used rows × used columns, gaps filled in."""
        return max(self.rows, self.last_row) * max(self.last_column, 1 if self.cells else 0)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _xml_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """A part's bytes in pieces that never cut an element start in two."""
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_XML_CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut < 0 or len(buffer) - cut > _TAG_TAIL:
                carry = b""
                yield buffer
            else:
                carry = buffer[cut:]
                yield buffer[:cut]
    if carry:
        yield carry


def _count(count: _SheetCount, chunk: bytes) -> None:
    for kind, _, letters, digits in _ELEMENT.findall(chunk):
        if kind == b"row":
            count.rows += 1
            if digits:
                count.last_row = max(count.last_row, int(digits))
        else:
            count.cells += 1
            if letters:
                count.last_column = max(count.last_column, _column_number(letters))
            if digits:
                count.last_row = max(count.last_row, int(digits))
    if count.cells and not count.last_column:
        count.last_column = 1


def _check_sheets(archive: zipfile.ZipFile, name: str, limits: Limits) -> list[Problem]:
    """Count every sheet's rows and cells in its XML; stop at the first limit passed."""
    rows = cells = 0
    for part in sorted(n for n in archive.namelist() if _SHEET_PART.match(n)):
        count = _SheetCount()
        for chunk in _xml_chunks(archive, part):
            _count(count, chunk)
            sheet_rows = max(count.rows, count.last_row)
            if rows + sheet_rows > limits.max_rows:
                return [_too_many(name, "rows", f"at least {rows + sheet_rows:,}", limits.max_rows, part, "rows")]
            if cells + count.grid > limits.max_workbook_cells:
                found = f"at least {cells + count.grid:,} (used rows × used columns)"
                return [_too_many(name, "cells", found, limits.max_workbook_cells, part, "workbook_cells")]
        rows += max(count.rows, count.last_row)
        cells += count.grid
    return []


def _too_many(name: str, what: str, found: str, limit: int, part: str, kind: str) -> Problem:
    where = f" (counted up to {Path(part).stem})" if part else ""
    return LimitProblem(name, f"holds {found} {what}{where}; the limit is {limit:,} {what}", limit=kind)


def _longest_line_bytes(raw: bytes) -> int:
    """The longest line in bytes, an upper bound of its length in characters (numpy: ten times the regex's speed)."""
    newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10)
    if not len(newlines):
        return len(raw)
    bounds = np.concatenate(([-1], newlines, [len(raw)]))
    return int(np.diff(bounds).max()) - 1


def _check_text_size(utf8: bytes, head: list[str], name: str, limits: Limits) -> list[Problem]:
    """Lines and lines × header fields of a text table, against the row and cell limits (counted, not parsed)."""
    lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1)
    if lines > limits.max_rows:
        return [LimitProblem(name, f"has {lines:,} lines; the limit is {limits.max_rows:,} rows", limit="rows")]
    widest = max((len(next(csv.reader([line], delimiter=sniff_delimiter(line)), [])) for line in head), default=1)
    cells = lines * max(widest, 1)
    if cells > limits.max_cells:
        return [
            LimitProblem(
                name,
                f"holds about {cells:,} cells ({lines:,} lines × {widest:,} columns); the limit is "
                f"{limits.max_cells:,} cells",
                limit="cells",
            )
        ]
    return []


def open_input(
    path: Path, max_bytes: int | None = None, limits: Limits | None = None
) -> tuple[InputFile | None, list[Problem]]:
    """Read ``path`` within the limits; return the input or the problems that stop it.

    ``limits`` defaults to :class:`Limits`; ``max_bytes``, when given, replaces its byte limit (and scales the
    unzipped limit with it, as ``--max-bytes`` does).
    """
    limits = limits or Limits()
    if max_bytes is not None and max_bytes != limits.max_bytes:
        limits = limits.with_bytes(max_bytes)
    max_bytes = limits.max_bytes
    name = path.name
    size = path.stat().st_size
    if size > max_bytes:
        message = f"is {size:,} bytes; the limit is {max_bytes:,} (change it with --max-bytes)"
        return None, [LimitProblem(name, message, limit="bytes")]
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if not raw or raw.isspace():
        return None, [Problem(name, "is empty")]
    if raw.startswith(_XLSX_MAGIC):
        if not _is_workbook(raw):
            return _open_zip_table(path, raw, digest, limits)
        problems = check_xlsx(raw, name, max_bytes, limits)
        return (None, problems) if problems else (InputFile(path, "xlsx", raw, sha256=digest), [])
    if raw.startswith(_OLE_MAGIC):
        return None, [Problem(name, "is a legacy .xls workbook; save it as .xlsx or CSV first")]
    return _open_text(path, raw, digest, limits)


def _open_text(
    path: Path, raw: bytes, digest: str, limits: Limits, member: str = ""
) -> tuple[InputFile | None, list[Problem]]:
    """A text table's bytes (a file's, or a zip member's), decoded and checked against the line, row and cell limits."""
    name = f"{path.name} [{member}]" if member else path.name
    if not raw or raw.isspace():
        return None, [Problem(name, "is empty")]
    try:
        decoded = _decode(raw)
    except BomMismatchError as error:
        return None, [Problem(name, str(error))]
    if decoded is None:
        return None, [Problem(name, "looks like a binary file, not CSV text or an .xlsx workbook")]
    text, encoding = decoded
    # The CSV reader gets UTF-8 bytes, not the decoded text: an io.StringIO holds four bytes a character.
    if encoding == "utf-8":
        utf8 = raw
    elif encoding == "utf-8-sig":
        utf8 = raw[len(codecs.BOM_UTF8) :]
    else:
        utf8 = text.encode("utf-8")
    # In UTF-8 a newline byte is only ever a newline, so byte lengths bound character lengths from above.
    too_long = _LONG_LINE.search(text) if _longest_line_bytes(utf8) > MAX_LINE_CHARS else None
    if too_long:
        number = text.count("\n", 0, too_long.start()) + 1
        end = text.find("\n", too_long.start())
        length = (len(text) if end < 0 else end) - too_long.start()
        return None, [Problem(name, f"line is {length:,} characters long; the limit is {MAX_LINE_CHARS:,}", row=number)]
    head = text[: 64 * 1024].splitlines()[:HEAD_LINES]
    problems = _check_text_size(utf8, head, name, limits)
    if problems:
        return None, problems
    return InputFile(path, "text", b"", utf8=utf8, encoding=encoding, lines=head, sha256=digest, member=member), []
