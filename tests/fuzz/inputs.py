"""Hypothesis strategies that build ingest inputs: producer-shaped files mutated, and bytes that are barely files.

Structure-aware inputs start from the producer-shaped fixtures in ``tests/fixtures/ingest`` parsed into a grid of
cells, mutate the grid (columns dropped, duplicated, reordered or renamed; cells replaced by hostile values; rows
truncated, dropped, duplicated; blank and title rows added; ragged rows), then write it as CSV (any delimiter, quoting,
line ending and encoding, possibly cut short) or as an .xlsx workbook. Byte-level inputs are random bytes, fixtures
with bytes flipped, cut or NULs inserted, and workbooks whose zip is broken in the ways real ones break.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from typing import Any

import openpyxl
from hypothesis import strategies as st

from tests.conftest import INGEST_FIXTURES

Grid = list[list[Any]]

# Seeds: every producer format's small fixture, by the format it is.
TEXT_SEEDS = {
    "tidy_utf8.csv": "tidy",
    "tidy_country_names.csv": "tidy",
    "signatures.csv": "signatures",
    "fotn_2024_five_countries.csv": "fotn",
    "fotn_short_headers_no_edition.csv": "fotn",
    "API_TEST_WDI.csv": "worldbank",
    "wdi_with_preamble.csv": "worldbank",
    "bad_da2i.csv": "da2i",
}
WORKBOOK_SEEDS = {"fotn_2018.xlsx": "fotn", "keepiton_small.xlsx": "keepiton"}

# Cells producers and attackers actually write: numbers beyond float, non-finite, suppressed, formulas, look-alike
# digits, invisible characters, names that are ambiguous, aggregates' codes, dates in two styles.
HOSTILE = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e308",
    "9" * 400,
    "0." + "0" * 300 + "1",
    "<10",
    ">5",
    "=SUM(A1:A2)",
    "+1",
    "-x",
    "@cmd",
    '=HYPERLINK("http://x")',
    "1,5",
    "1.5.5",
    "0x10",
    "1_000",
    "١٢",
    "²",
    "N/A",
    "..",
    "-",
    "None",
    "null",
    "TRUE",
    "\ufeff",
    "\u200b",
    "𝟙𝟚",
    "e\u0301",
    "'",
    '"',
    '""',
    "\t",
    "a\nb",
    "a\r\nb",
    "Côte d'Ivoire",
    "Congo",
    "Korea",
    "Niger",
    "XKX",
    "EUU",
    "WLD",
    "nga",
    " NGA ",
    "2021.0",
    "2021.5",
    "99999",
    "-1",
    "0",
    "1900",
    "2100",
    "20210",
    "1e3",
    "Free",
    "PARTLY FREE",
    "yes",
    "no",
    "2012-11-06",
    "06/11/2012",
    "2016+2017",
    "Freedom on the Net 2099",
    "\x00",
    "\x1b[31m",
    "\ud7ff",
    "🇳🇬",
]
cells = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=20),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
header_names = st.one_of(
    st.sampled_from(
        [
            "iso3",
            "ISO3",
            "country",
            "Country ",
            "year",
            "YEAR",
            "indicator",
            "value",
            "Value",
            "status",
            "note",
            "source",
            "edition",
            "scale",
            "Total",
            "A",
            "B",
            "C",
            "D",
            "PR",
            "start_date",
            "Start Date",
            "signed",
            "signed_2012",
            "Country Code",
            "Indicator Code",
            "2021",
            "Unnamed: 3",
            "",
            "coverage",
        ]
    ),
    st.text(max_size=12),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]
DELIMITERS = [",", ";", "\t", "|"]
SUPPORTED_DELIMITERS = (",", ";", "\t")  # what ingest sniffs; a "|" file is told it is not recognised
NEWLINES = ["\n", "\r\n", "\r"]


def _text_seed(name: str) -> Grid:
    text = (INGEST_FIXTURES / name).read_bytes().decode("utf-8-sig")
    return [list(row) for row in csv.reader(io.StringIO(text))]


@cache
def seed_grid(name: str) -> tuple[tuple[Any, ...], ...]:
    """A text fixture as rows of cells (kept immutable: every example copies it)."""
    return tuple(tuple(row) for row in _text_seed(name))


@cache
def seed_sheets(name: str) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    """A workbook fixture as (sheet name, rows of cell values)."""
    workbook = openpyxl.load_workbook(INGEST_FIXTURES / name)
    return tuple(
        (sheet.title, tuple(tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)))
        for sheet in workbook
    )


def _width(grid: Grid) -> int:
    return max((len(row) for row in grid), default=0)


@st.composite
def mutated_grid(draw: st.DrawFn, grid: Grid, max_ops: int = 6) -> Grid:
    """``grid`` with up to ``max_ops`` mutations, each drawn from the kinds a producer's file goes wrong in."""
    grid = [list(row) for row in grid]
    for _ in range(draw(st.integers(0, max_ops))):
        width, height = _width(grid), len(grid)
        kind = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "drop_col",
                    "dup_col",
                    "swap_cols",
                    "rename",
                    "truncate",
                    "drop_row",
                    "dup_row",
                    "blank_row",
                    "title_rows",
                    "ragged",
                    "shuffle",
                ]
            )
        )
        if not grid:
            grid = [[draw(header_names)]]
            continue
        if kind == "cell" and width:
            r, c = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
            row = grid[r]
            row.extend([""] * (c + 1 - len(row)))
            row[c] = draw(cells)
        elif kind in ("drop_col", "dup_col") and width:
            c = draw(st.integers(0, width - 1))
            for row in grid:
                if c < len(row):
                    if kind == "drop_col":
                        del row[c]
                    else:
                        row.insert(c, row[c])
        elif kind == "swap_cols" and width > 1:
            a, b = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
            for row in grid:
                row.extend([""] * (max(a, b) + 1 - len(row)))
                row[a], row[b] = row[b], row[a]
        elif kind == "rename" and width:
            c = draw(st.integers(0, width - 1))
            header = grid[0]
            header.extend([""] * (c + 1 - len(header)))
            old = str(header[c])
            how = draw(st.sampled_from(["upper", "lower", "title", "pad", "bom", "underscore", "new", "quote"]))
            header[c] = {
                "upper": old.upper(),
                "lower": old.lower(),
                "title": old.title(),
                "pad": f"  {old}\t",
                "bom": "\ufeff" + old,
                "underscore": old.replace(" ", "_") if " " in old else old.replace("_", " "),
                "quote": f'"{old}"',
            }.get(how) or draw(header_names)
        elif kind == "truncate":
            grid = grid[: draw(st.integers(0, height))]
        elif kind == "drop_row":
            del grid[draw(st.integers(0, height - 1))]
        elif kind == "dup_row":
            r = draw(st.integers(0, height - 1))
            grid.insert(r, list(grid[r]))
        elif kind == "blank_row":
            grid.insert(draw(st.integers(0, height)), [])
        elif kind == "title_rows":
            grid[:0] = [[draw(cells)] for _ in range(draw(st.integers(1, 3)))]
        elif kind == "ragged":
            r = draw(st.integers(0, height - 1))
            if grid[r] and draw(st.booleans()):
                grid[r].pop()
            else:
                grid[r].extend(draw(st.lists(cells, min_size=1, max_size=3)))
        elif kind == "shuffle" and height > 2:
            body = grid[1:]
            grid = [grid[0], *draw(st.permutations(body))]
    return grid


@dataclass(frozen=True)
class TextStyle:
    """How a grid is written as text."""

    delimiter: str = ","
    encoding: str = "utf-8"
    newline: str = "\n"
    quote_all: bool = False


text_styles = st.builds(
    TextStyle,
    delimiter=st.sampled_from(DELIMITERS),
    encoding=st.sampled_from(ENCODINGS),
    newline=st.sampled_from(NEWLINES),
    quote_all=st.booleans(),
)


def write_csv(grid: Grid, style: TextStyle) -> bytes:
    """The grid as CSV bytes; characters the encoding cannot hold become '?' (as a producer's export does)."""
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=style.delimiter,
        lineterminator=style.newline,
        quoting=csv.QUOTE_ALL if style.quote_all else csv.QUOTE_MINIMAL,
    )
    for row in grid:
        writer.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue().encode(style.encoding, errors="replace")


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("?", value)
        if _NUMBER.fullmatch(value.strip()) and len(value) < 16:
            number = float(value)
            return int(number) if number.is_integer() else number
    return value


def write_xlsx(sheets: list[tuple[str, Grid]]) -> bytes:
    """Sheets as an .xlsx workbook (numbers written as numbers, as producers' workbooks have them)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, (title, grid) in enumerate(sheets):
        name = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or f"Sheet{index}"
        if name.lower() in used:
            name = f"S{index} {name}"[:31]
        used.add(name.lower())
        sheet = workbook.create_sheet(name)
        for row in grid:
            sheet.append([_xlsx_value(v) for v in row])
    if not sheets:
        workbook.create_sheet("empty")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@st.composite
def structured_text(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(file name, the seed's format, bytes) of a mutated text fixture."""
    name = draw(st.sampled_from(sorted(TEXT_SEEDS)))
    grid = draw(mutated_grid([list(r) for r in seed_grid(name)]))
    data = write_csv(grid, draw(text_styles))
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return name, TEXT_SEEDS[name], data


@st.composite
def structured_workbook(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(file name, the seed's format, bytes) of a mutated workbook fixture, or of a text fixture saved as one."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(WORKBOOK_SEEDS)))
        fmt = WORKBOOK_SEEDS[name]
        sheets = [(title, [list(r) for r in rows]) for title, rows in seed_sheets(name)]
    else:
        text_name = draw(st.sampled_from(sorted(TEXT_SEEDS)))
        name, fmt = text_name.rsplit(".", 1)[0] + ".xlsx", TEXT_SEEDS[text_name]
        sheets = [("Sheet1", [list(r) for r in seed_grid(text_name)])]
    sheets = [(title, draw(mutated_grid(grid, max_ops=4))) for title, grid in sheets]
    if sheets and draw(st.integers(0, 4)) == 0:
        sheets = draw(st.permutations(sheets))[: draw(st.integers(0, len(sheets)))]
    if draw(st.integers(0, 4)) == 0:
        sheets = [*sheets, (draw(st.text(max_size=12)), [[draw(cells) for _ in range(3)] for _ in range(3)])]
    return name, fmt, write_xlsx(sheets)


# ---------------------------------------------------------------------------------------------- byte level


def _all_seed_bytes() -> list[tuple[str, bytes]]:
    return [(name, (INGEST_FIXTURES / name).read_bytes()) for name in (*sorted(TEXT_SEEDS), *sorted(WORKBOOK_SEEDS))]


@st.composite
def damaged_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): random bytes, or a fixture with bytes flipped, inserted (NULs among them), or cut short."""
    kind = draw(st.sampled_from(["random", "flip", "insert", "cut", "nul_csv", "bom_only", "magic"]))
    if kind == "random":
        return "random.csv", draw(st.binary(min_size=1, max_size=2048))
    if kind == "bom_only":
        return "bom.csv", draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\n\n"]))
    if kind == "magic":
        magic = draw(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PK\x05\x06", b"%PDF-1.4"]))
        return "magic.xlsx", magic + draw(st.binary(max_size=512))
    name, data = draw(st.sampled_from(_all_seed_bytes()))
    if kind == "cut":
        return name, data[: draw(st.integers(1, max(1, len(data) - 1)))]
    if kind == "nul_csv":
        position = draw(st.integers(0, len(data)))
        return name, data[:position] + b"\x00" * draw(st.integers(1, 8)) + data[position:]
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[position] = draw(st.integers(0, 255))
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
    return name, bytes(data)


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@st.composite
def broken_workbook(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes) of an .xlsx whose zip or parts are broken: garbage members, a missing sheet, a huge
    dimension claim, XML cut short, shared strings out of range, a zip truncated or with a bad central directory."""
    name = draw(st.sampled_from(sorted(WORKBOOK_SEEDS)))
    members = _members((INGEST_FIXTURES / name).read_bytes())
    sheets = sorted(m for m in members if m.startswith("xl/worksheets/") and m.endswith(".xml"))
    kind = draw(
        st.sampled_from(
            [
                "garbage_member",
                "missing_sheet",
                "huge_dimension",
                "cut_xml",
                "bad_shared_string",
                "extra_garbage",
                "missing_workbook",
                "missing_content_types",
                "truncated_zip",
                "bad_cell_ref",
                "empty_sheet_xml",
            ]
        )
    )
    target = draw(st.sampled_from(sheets)) if sheets else "xl/workbook.xml"
    if kind == "garbage_member":
        members[draw(st.sampled_from(sorted(members)))] = draw(st.binary(max_size=256))
    elif kind == "missing_sheet":
        members.pop(target, None)
    elif kind == "huge_dimension":
        ref = draw(st.sampled_from(["A1:XFD1048576", "A1:ZZ100000", "A1:A1048576", "A1:XFD1", "B2:A1", "Z"]))
        members[target] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), members[target])
    elif kind == "cut_xml":
        content = members[target]
        members[target] = content[: draw(st.integers(0, len(content)))]
    elif kind == "bad_shared_string":
        members[target] = re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>99999", members[target], count=1)
    elif kind == "extra_garbage":
        members[draw(st.text("abcxl/._", min_size=1, max_size=20))] = draw(st.binary(max_size=256))
    elif kind == "missing_workbook":
        members.pop("xl/workbook.xml", None)
    elif kind == "missing_content_types":
        members.pop("[Content_Types].xml", None)
    elif kind == "bad_cell_ref":
        ref = draw(st.sampled_from(["A0", "XFE1", "A99999999", "1A", "", "AAAA1"])).encode()
        members[target] = re.sub(rb'<c r="[A-Z]+\d+"', b'<c r="' + ref + b'"', members[target], count=1)
    elif kind == "empty_sheet_xml":
        members[target] = b""
    data = _rezip(members)
    if kind == "truncated_zip":
        data = data[: draw(st.integers(4, len(data) - 1))]
    return name, data
