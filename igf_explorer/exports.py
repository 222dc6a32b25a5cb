"""CSV downloads of a view's table that a spreadsheet opens as data, never as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

# OWASP's triggers: a cell starting with one of these may run as a formula in Excel, LibreOffice or Google Sheets.
# The fullwidth forms are included because some spreadsheet locales normalise them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# Tab and carriage return at the very start also let a spreadsheet split or reinterpret the cell.
CONTROL_STARTS = ("\t", "\r")
# A cell that is nothing but a plain decimal number ("-3.5") is read as that number, which is what it means; it
# runs nothing, so it is left alone even in a text column.
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
# RFC 4180's CRLF: the csv writer quotes a field holding any character of the line ending, so with "\n" alone a
# lone carriage return inside a cell would go out unquoted and split the row in a spreadsheet.
LINE_END = "\r\n"


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will show as text: prefixed with ``'`` when it could start a formula.

    Parameters
    ----------
    cell
        The cell's text as it would be written.

    Returns
    -------
    str
        The cell unchanged, or with a leading single quote (OWASP's advice) when it starts with ``=``, ``+``,
        ``-`` or ``@`` (also after leading whitespace), or with a tab or carriage return.
    """
    if _PLAIN_NUMBER.fullmatch(cell):
        return cell
    if cell.startswith(CONTROL_STARTS) or cell.lstrip().startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _is_number_column(column: pd.Series) -> bool:
    """Numbers (and booleans) are written as numbers: a spreadsheet reads ``-3.5`` as minus three and a half."""
    return bool(is_numeric_dtype(column) or is_bool_dtype(column))


def safe_csv(frame: pd.DataFrame, source_line: str) -> str:
    """CSV of exactly ``frame`` (its columns, no index), headed by a ``# Source: …`` line, safe to open in a spreadsheet.

    Parameters
    ----------
    frame
        The table as the view shows it.
    source_line
        Who produced the figures (one or more sources); whitespace is folded so it stays one line.

    Returns
    -------
    str
        ``# Source: …`` on the first line (one cell: quoted if the source holds a comma), then the header and the
        rows, with CRLF line ends (RFC 4180). Text cells and headers that could start a formula are prefixed with
        ``'``; numeric columns are written as numbers, so ``-3.5`` stays ``-3.5``. Read it back with
        ``pandas.read_csv(..., skiprows=1)``.
    """
    source = " ".join(f"Source: {source_line}".split())
    buffer = io.StringIO()
    # The csv writer quotes the comment when it holds a comma or a quote, so the whole line stays one cell that
    # starts with '#', which no spreadsheet evaluates.
    csv.writer(buffer, lineterminator=LINE_END).writerow([f"# {source}"])
    safe = frame.copy()
    safe.columns = pd.Index([neutralise(str(name)) for name in frame.columns])
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if not _is_number_column(column):
            # Object columns may mix numbers and text: only the text cells are rewritten.
            safe.isetitem(position, [neutralise(v) if isinstance(v, str) else v for v in column])
    buffer.write(safe.to_csv(index=False, lineterminator=LINE_END))
    return buffer.getvalue()


# What a file name keeps: everything else (spaces, slashes, dots, accents) becomes a hyphen.
_UNSAFE_NAME = re.compile(r"[^a-z0-9_]+")
# Every download starts with it, so a folder of them sorts together and says where they came from.
FILE_PREFIX = "igf2012"


def file_stem(*parts: str | int | None) -> str:
    """A download's file name without extension: the prefix and the view's parts, lower case, hyphen-joined.

    Parameters
    ----------
    parts
        What the file shows, e.g. the page, the indicator and the period; None and empty parts are left out.

    Examples
    --------
    >>> file_stem("map", "fotn_total", 2019, None, "Eastern Africa")
    'igf2012-map-fotn_total-2019-eastern-africa'
    """
    words = [_UNSAFE_NAME.sub("-", str(p).lower()).strip("-") for p in (FILE_PREFIX, *parts) if p not in (None, "")]
    return "-".join(w for w in words if w)
