"""Open an input file safely: size limits, zip-bomb check for .xlsx, encoding and delimiter detection."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from igf_explorer.problems import Problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_LINE_CHARS = 65_536
# An .xlsx is a zip: its parts may expand to at most this many times the input limit before we parse it.
XLSX_EXPANSION_FACTOR = 4
_XLSX_MAGIC = b"PK\x03\x04"
_LONG_LINE = re.compile(f"^[^\\n]{{{MAX_LINE_CHARS + 1},}}", re.MULTILINE)
HEAD_LINES = 12
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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

    @property
    def name(self) -> str:
        """File name for messages."""
        return self.path.name


def _decode(raw: bytes) -> tuple[str, str] | None:
    """Text and encoding name, or None for binary content."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding), encoding
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


def check_xlsx(raw: bytes, name: str, max_bytes: int) -> list[Problem]:
    """Refuse a workbook whose parts expand beyond the limit (zip bombs) or that is not a valid zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if "[Content_Types].xml" not in archive.namelist():
                return [Problem(name, "is a zip archive but not an .xlsx workbook")]
    except zipfile.BadZipFile as exc:
        return [Problem(name, f"is not a readable .xlsx workbook ({exc})")]
    limit = max_bytes * XLSX_EXPANSION_FACTOR
    if expanded > limit:
        return [
            Problem(name, f"expands to {expanded:,} bytes when unzipped; the limit is {limit:,} (a possible zip bomb)")
        ]
    return []


def _longest_line_bytes(raw: bytes) -> int:
    """The longest line in bytes, an upper bound of its length in characters (numpy: ten times the regex's speed)."""
    newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10)
    if not len(newlines):
        return len(raw)
    bounds = np.concatenate(([-1], newlines, [len(raw)]))
    return int(np.diff(bounds).max()) - 1


def open_input(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[InputFile | None, list[Problem]]:
    """Read ``path`` within the limits; return the input or the problems that stop it."""
    name = path.name
    size = path.stat().st_size
    if size > max_bytes:
        return None, [Problem(name, f"is {size:,} bytes; the limit is {max_bytes:,} (change it with --max-bytes)")]
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if not raw or raw.isspace():
        return None, [Problem(name, "is empty")]
    if raw.startswith(_XLSX_MAGIC):
        problems = check_xlsx(raw, name, max_bytes)
        return (None, problems) if problems else (InputFile(path, "xlsx", raw, sha256=digest), [])
    if raw.startswith(_OLE_MAGIC):
        return None, [Problem(name, "is a legacy .xls workbook; save it as .xlsx or CSV first")]
    decoded = _decode(raw)
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
    return InputFile(path, "text", b"", utf8=utf8, encoding=encoding, lines=head, sha256=digest), []
