"""Format adapters: each turns one producer's layout into long records, one per country × period × indicator.

Records carry the input's own country name (or code), the row a spreadsheet would show and the column the value
came from, so that every later problem can point at its place in the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from igf_explorer.fotn import published_scale
from igf_explorer.indicators import TIDY_COLUMNS, Registry
from igf_explorer.ingest.reading import InputFile, sniff_delimiter
from igf_explorer.problems import Problem

RECORD_COLUMNS = ["file", "row", "column", "country", "iso3", "year", "indicator", "value", "status", "note", "source"]
FORMATS = ("tidy", "worldbank", "fotn", "keepiton", "signatures")


class UnsupportedFormat(Exception):
    """The file is recognised, but it is not something ingest loads; the message says why and what to do."""


@dataclass
class Options:
    """What the user told ingest on the command line."""

    indicator: str | None = None
    edition: int | None = None
    years: tuple[int, int] | None = None


@dataclass
class Extracted:
    """An adapter's output."""

    format: str
    records: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # "indicator": the input replaces whole indicators (a new WDI vintage revises every year);
    # "indicator-year": it replaces the indicator × period pairs it contains (a complete edition or year);
    # "key": it replaces only the country × period × indicator rows it contains (hand-made tidy files).
    scope: str = "indicator-year"
    count_rows: bool = False  # one record per event, to be counted per country and year
    sidecar_updates: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _norm(name: object) -> str:
    return " ".join(str(name).replace('"', " ").replace("\ufeff", " ").replace("_", " ").split()).lower()


def _records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    for column in ("country", "iso3", "status", "note", "source", "column", "file"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


# --- text tables ---------------------------------------------------------------------------------------------------

_PREAMBLE = re.compile(r'^\s*"?(data source|last updated date)"?\s*[,;\t]', re.IGNORECASE)


def _preamble_length(lines: list[str]) -> tuple[int, str]:
    """Lines before the header (the WDI "Data Source / Last Updated Date" block) and the date it states."""
    skip, updated = 0, ""
    for index, line in enumerate(lines[:10]):
        if _PREAMBLE.match(line):
            skip = index + 1
            if "last updated" in line.lower():
                updated = line.split(",", 1)[-1].strip().strip('"')
        elif not line.strip() and skip:
            skip = index + 1
        elif skip:
            break
    return skip, updated


def _after_lines(data: bytes, count: int) -> io.BytesIO:
    """The bytes from line ``count`` (0-based) on, as a stream for the CSV reader, without copying line by line."""
    offset = 0
    for _ in range(count):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return io.BytesIO(b"")
    view = memoryview(data)[offset:]
    return io.BytesIO(view)


def read_table(source: InputFile) -> tuple[pd.DataFrame, int, str]:
    """The CSV as strings, the line number of its header, and a WDI last-updated date if its preamble has one."""
    skip, updated = _preamble_length(source.lines)
    header = source.lines[skip] if skip < len(source.lines) else ""
    source.delimiter = sniff_delimiter(header)
    body = _after_lines(source.utf8, skip)
    frame = pd.read_csv(
        body, sep=source.delimiter, dtype=str, keep_default_na=False, skip_blank_lines=True, encoding="utf-8"
    )
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:") or frame[c].ne("").any()]]
    return frame, skip + 1, updated


def text_header(source: InputFile) -> list[str]:
    """Normalised column names of a text table (after any preamble)."""
    skip, _ = _preamble_length(source.lines)
    if skip >= len(source.lines):
        return []
    header = source.lines[skip]
    return [_norm(c) for c in header.split(sniff_delimiter(header))]


def detect_format(source: InputFile) -> str | None:
    """Recognise a format from the content alone."""
    if source.kind == "xlsx":
        sheets = workbook_headers(source)
        names = " | ".join(" ".join(h) for h in sheets.values())
        if "obstacles to access" in names:
            return "fotn"
        if any({"country", "start date"} <= set(h) for h in sheets.values()):
            return "keepiton"
        return None
    columns = set(text_header(source))
    if {"country name", "country code", "indicator name", "indicator code"} <= columns:
        return "worldbank"
    if columns == {"iso3", "year", "value", "name"}:
        return "da2i"
    if {"year", "indicator", "value"} <= columns and ({"iso3"} & columns or {"country"} & columns):
        return "tidy"
    if any("obstacles to access" in c for c in columns):
        return "fotn"
    if {"country", "start date"} <= columns:
        return "keepiton"
    if any(c.startswith("signed") for c in columns) and ("iso3" in columns or "country" in columns):
        return "signatures"
    return None


# --- tidy ------------------------------------------------------------------------------------------------------------


def _read_tidy_typed(source: InputFile) -> tuple[pd.DataFrame, int] | None:
    """Fast path for well-formed tidy files: repeated text as categories, numbers parsed exactly by the C reader.

    Returns None when the file needs the slow, all-text path (a value that is not a number, or an empty one),
    so that messages can quote the cell as written.
    """
    skip, _ = _preamble_length(source.lines)
    header = source.lines[skip] if skip < len(source.lines) else ""
    delimiter = sniff_delimiter(header)
    names = [c.strip() for c in header.split(delimiter)]
    dtypes: dict[str, str] = {c: "category" for c in names if c != "value"}
    try:
        frame = pd.read_csv(
            _after_lines(source.utf8, skip),
            encoding="utf-8",
            sep=delimiter,
            dtype={**dtypes, "value": "float64"},
            keep_default_na=False,
            na_values={"value": [""]},
            float_precision="round_trip",
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if "value" not in frame.columns or frame["value"].isna().any():
        return None
    source.delimiter = delimiter
    return frame, skip + 1


def read_tidy(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """The project's own tidy CSV (``iso3`` or ``country``, ``year``, ``indicator``, ``value`` + optional text)."""
    typed = _read_tidy_typed(source)
    if typed is not None:
        frame, header_line = typed
    else:
        frame, header_line, _ = read_table(source)
    columns = [str(c) for c in frame.columns]
    problems = [
        Problem(source.name, f"unexpected column '{c}'", column=c)
        for c in columns
        if c not in (*TIDY_COLUMNS, "country")
    ]
    for required in ("year", "indicator", "value"):
        if required not in columns:
            problems.append(Problem(source.name, f"required column '{required}' is missing", column=required))
    if "iso3" not in columns and "country" not in columns:
        problems.append(Problem(source.name, "needs an 'iso3' or a 'country' column", column="iso3"))
    if problems:
        return Extracted("tidy", _records([]), problems)
    size = len(frame)

    def constant(value: str) -> pd.Categorical[str]:
        return pd.Categorical.from_codes(np.zeros(size, dtype=np.int8), categories=pd.Index([value]))

    def text(column: str) -> pd.Series:
        if column in columns:
            return frame[column]
        return pd.Series(constant(""), index=frame.index)

    records = pd.DataFrame(
        {
            "file": constant(source.name),
            "row": np.arange(header_line + 1, header_line + 1 + size),
            "column": constant("value"),
            "country": frame["country"] if "country" in columns else frame["iso3"],
            "iso3": text("iso3"),
            "year": frame["year"],
            "indicator": frame["indicator"],
            "value": frame["value"],
            "status": text("status"),
            "note": text("note"),
            "source": text("source"),
        }
    )
    problems = []
    if typed is None:
        empty = records["value"].str.strip().eq("")
        problems = [
            Problem(source.name, "value is empty; leave the row out instead", row=int(r), column="value")
            for r in records.loc[empty, "row"].head(50)
        ]
    return Extracted("tidy", records.reset_index(drop=True), problems, scope="key")


# --- World Bank WDI --------------------------------------------------------------------------------------------------


def _wdi_metadata_regions(source: InputFile) -> dict[str, str] | None:
    """Country code → region from the WDI ``Metadata_Country_…`` file beside the data file, if there is one."""
    candidate = source.path.with_name("Metadata_Country_" + source.path.name)
    if not candidate.is_file():
        return None
    from igf_explorer.ingest.reading import open_input

    meta, problems = open_input(candidate)
    if meta is None or problems:
        return None
    frame, _, _ = read_table(meta)
    columns = {_norm(c): c for c in frame.columns}
    if "country code" not in columns or "region" not in columns:
        return None
    return dict(zip(frame[columns["country code"]], frame[columns["region"]], strict=True))


def read_worldbank(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """World Bank WDI wide CSV: one row per economy and indicator, one column per year; aggregates dropped."""
    frame, header_line, updated = read_table(source)
    columns = {_norm(c): c for c in frame.columns}
    code_col, name_col, indicator_col = columns["country code"], columns["country name"], columns["indicator code"]
    year_cols = [c for c in frame.columns if re.fullmatch(r"\d{4}", str(c).strip())]
    problems: list[Problem] = []
    notes: list[str] = []

    regions = _wdi_metadata_regions(source)
    from igf_explorer.indicators import is_economy_code

    if regions is not None:
        is_economy = frame[code_col].map(lambda code: bool(regions.get(code, "").strip()))
        notes.append("aggregates dropped using the WDI country metadata file (rows without a region)")
    else:
        is_economy = frame[code_col].map(is_economy_code)
        notes.append(
            "no WDI metadata file beside the input: aggregates dropped because their codes are not ISO 3166 codes"
        )
    dropped = frame.loc[~is_economy, name_col].tolist()
    notes.append(f"{len(dropped)} aggregates dropped, {int(is_economy.sum())} economies kept")
    frame = frame.assign(_row=range(header_line + 1, header_line + 1 + len(frame))).loc[is_economy]

    indicator_ids = {}
    for code in frame[indicator_col].unique():
        meta = registry.indicator(options.indicator) if options.indicator else registry.by_source_code(code)
        if meta is None:
            problems.append(
                Problem(
                    source.name, f"indicator code '{code}' is not registered; pass --indicator ID", column=indicator_col
                )
            )
        else:
            indicator_ids[code] = meta.id
    if problems:
        return Extracted("worldbank", _records([]), problems)

    long = frame.melt(
        id_vars=["_row", code_col, name_col, indicator_col], value_vars=year_cols, var_name="year", value_name="value"
    )
    long = long[long["value"].str.strip() != ""]
    records = pd.DataFrame(
        {
            "file": source.name,
            "row": long["_row"],
            "column": long["year"].astype(str),
            "country": long[name_col],
            "iso3": long[code_col],
            "year": long["year"].astype(str).str.strip(),
            "indicator": long[indicator_col].map(indicator_ids),
            "value": long["value"],
            "status": "",
            "note": "",
            "source": "",
        }
    ).sort_values(["row", "year"])
    updates: dict[str, Any] = {"vintage": updated} if updated else {}
    return Extracted(
        "worldbank", records.reset_index(drop=True), problems, scope="indicator", sidecar_updates=updates, notes=notes
    )


# --- Freedom House FOTN ----------------------------------------------------------------------------------------------

_PILLARS = {
    "fotn_obstacles": "obstacles",
    "fotn_limits": "limits",
    "fotn_violations": "violations",
    "fotn_total": "total",
}


def _find(columns: list[str], *needles: str) -> str | None:
    return next((c for c in columns if all(n in _norm(c) for n in needles)), None)


def _fotn_frame(source: InputFile) -> tuple[pd.DataFrame, int, str]:
    if source.kind == "xlsx":
        sheets = read_workbook(source)
        sheet, frame = next(
            ((s, f) for s, f in sheets.items() if any("obstacles to access" in _norm(c) for c in f.columns))
        )
        return frame, 1, f"{source.name} [{sheet}]"
    frame, header_line, _ = read_table(source)
    return frame, header_line, source.name


def read_fotn(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Freedom House FOTN scores: a one-edition spreadsheet, or the multi-edition research table (``edition`` column)."""
    frame, header_line, label = _fotn_frame(source)
    columns = [str(c) for c in frame.columns]
    problems: list[Problem] = []
    found = {
        "country": _find(columns, "country"),
        "iso3": _find(columns, "iso3"),
        "edition": _find(columns, "edition"),
        "status": _find(columns, "status"),
        "obstacles": _find(columns, "obstacles"),
        "limits": _find(columns, "limits"),
        "violations": _find(columns, "violations"),
        "total": _find(columns, "total"),
        "scale": _find(columns, "scale"),
        "source": next((c for c in columns if _norm(c) == "source"), None),
        "notes": next((c for c in columns if _norm(c) in ("notes", "note")), None),
        "coverage": _find(columns, "coverage"),
    }
    for needed in ("country", "total"):
        if found[needed] is None:
            problems.append(Problem(label, f"no '{needed}' column found", column=needed))
    edition_from_header = {int(y) for c in columns for y in re.findall(r"Freedom on the Net (\d{4})", c)}
    header_editions = edition_from_header | ({options.edition} if options.edition else set())
    if found["edition"] is None and len(header_editions) != 1:
        problems.append(
            Problem(
                label,
                "cannot tell the edition: pass --edition YEAR"
                if not header_editions
                else f"headers and --edition disagree: {sorted(header_editions)}",
            )
        )
    if problems:
        return Extracted("fotn", _records([]), problems)

    def cell(record: dict[Any, Any], key: str) -> str:
        column = found[key]
        return str(record[column]).strip() if column is not None else ""

    out: list[dict[str, Any]] = []
    coverage: dict[int, str] = {}
    for position, record in enumerate(frame.to_dict("records")):
        row_number = header_line + 1 + position
        edition_text = cell(record, "edition") if found["edition"] else str(next(iter(header_editions)))
        if not edition_text.isdigit():
            problems.append(
                Problem(label, f"edition '{edition_text}' is not a year", row=row_number, column=found["edition"])
            )
            continue
        edition = int(edition_text)
        expected_scale = published_scale(edition)
        if cell(record, "scale") not in ("", expected_scale):
            problems.append(
                Problem(
                    label,
                    f"scale '{cell(record, 'scale')}' is not the scale edition {edition} was published on ({expected_scale})",
                    row=row_number,
                    column=found["scale"],
                )
            )
        if cell(record, "coverage"):
            coverage.setdefault(edition, cell(record, "coverage"))
        for indicator, key in _PILLARS.items():
            value = cell(record, key)
            if not value:
                continue
            out.append(
                {
                    "file": label,
                    "row": row_number,
                    "column": found[key],
                    "country": cell(record, "country"),
                    "iso3": cell(record, "iso3"),
                    "year": str(edition),
                    "indicator": indicator,
                    "value": value,
                    "status": cell(record, "status") if indicator == "fotn_total" else "",
                    "note": cell(record, "notes"),
                    "source": cell(record, "source"),
                }
            )
    records = _records(out)
    problems.extend(_check_pillar_sums(records, label))
    editions: dict[int, dict[str, str]] = {}
    for year in sorted({int(y) for y in records["year"]}):
        editions[year] = {"scale": published_scale(year)}
        if year in coverage:
            editions[year]["coverage_period"] = coverage[year]
    updates = {"editions": editions}
    return Extracted("fotn", records, problems, sidecar_updates=updates)


def _check_pillar_sums(records: pd.DataFrame, label: str) -> list[Problem]:
    """A + B + C must equal the total wherever all four are given (a wrong column mapping shows here first)."""
    if records.empty:
        return []
    numeric = records.assign(number=pd.to_numeric(records["value"], errors="coerce"))
    wide = numeric.pivot_table(index=["row", "year"], columns="indicator", values="number", aggfunc="first")
    needed = list(_PILLARS)
    if not set(needed) <= set(wide.columns):
        return []
    complete = wide.dropna(subset=needed)
    parts = complete["fotn_obstacles"] + complete["fotn_limits"] + complete["fotn_violations"]
    wrong = complete[(parts - complete["fotn_total"]).abs() > 1e-9]
    return [
        Problem(
            label, f"pillars add up to {parts[key]:g}, not the total {wrong.loc[key, 'fotn_total']:g}", row=int(key[0])
        )
        for key in wrong.index
    ]


# --- Access Now #KeepItOn --------------------------------------------------------------------------------------------


def read_keepiton(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Access Now #KeepItOn sheets, one row per shutdown, counted later per country and year."""
    if source.kind == "xlsx":
        sheets = read_workbook(source)
        tables = [(f"{source.name} [{name}]", name, frame, 1) for name, frame in sheets.items()]
    else:
        frame, header_line, _ = read_table(source)
        tables = [(source.name, "", frame, header_line)]
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    notes: list[str] = []
    for label, sheet, frame, header_line in tables:
        columns = {_norm(c): c for c in frame.columns}
        if "country" not in columns or "start date" not in columns:
            notes.append(f"sheet '{sheet}' skipped: it has no 'country' and 'start_date' columns")
            continue
        year_column = columns.get("year")
        sheet_year = re.search(r"(19|20)\d{2}", sheet) if sheet and not re.search(r"\+", sheet) else None
        for position, record in enumerate(frame.to_dict("records")):
            row_number = header_line + 1 + position
            country = " ".join(str(record[columns["country"]]).split())
            if country in ("", "nan", "None"):
                if any(str(v).strip() not in ("", "nan", "None", "NaT") for v in record.values()):
                    problems.append(Problem(label, "country is empty", row=row_number, column=columns["country"]))
                continue
            if year_column:
                year = str(record[year_column]).strip().split(".")[0]
            elif sheet_year:
                year = sheet_year.group(0)
            elif options.edition:
                year = str(options.edition)
            else:
                problems.append(
                    Problem(
                        label,
                        "cannot tell the year: no 'year' column, no year in the sheet name; pass --edition",
                        row=row_number,
                    )
                )
                break
            out.append(
                {
                    "file": label,
                    "row": row_number,
                    "column": columns["country"],
                    "country": country,
                    "iso3": "",
                    "year": year,
                    "indicator": options.indicator or "shutdowns",
                    "value": "1",
                    "status": "",
                    "note": "",
                    "source": "",
                }
            )
    return Extracted("keepiton", _records(out), problems, count_rows=True, notes=notes)


# --- workbooks ---------------------------------------------------------------------------------------------------------


def read_workbook(source: InputFile) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xlsx as strings (cached on the input)."""
    cached = getattr(source, "_sheets", None)
    if cached is None:
        raw_sheets = pd.read_excel(io.BytesIO(source.raw), sheet_name=None, dtype=object, engine="openpyxl")
        cached = {}
        for name, frame in raw_sheets.items():
            converted = frame.apply(lambda col: col.map(_cell_text))
            converted.columns = [str(c).strip() for c in frame.columns]
            cached[str(name)] = converted
        source._sheets = cached  # type: ignore[attr-defined]
    return cached


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def workbook_headers(source: InputFile) -> dict[str, list[str]]:
    """Normalised header names of every sheet."""
    return {name: [_norm(c) for c in frame.columns] for name, frame in read_workbook(source).items()}


# --- yes/no signature lists ------------------------------------------------------------------------------------------

_YES = {"yes", "y", "signed", "1", "true"}
_NO = {"no", "n", "did not sign", "not signed", "0", "false"}


def read_signatures(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """A per-country yes/no list (e.g. WCIT-12 Final Acts signatures); states not listed stay unknown."""
    frame, header_line, _ = read_table(source)
    columns = {_norm(c): str(c) for c in frame.columns}
    signed = next(original for normal, original in columns.items() if normal.startswith("signed"))
    years = re.findall(r"(?:19|20)\d{2}", signed)
    year = str(options.edition or (years[0] if years else ""))
    if not year:
        return Extracted(
            "signatures",
            _records([]),
            [Problem(source.name, f"cannot tell the year from '{signed}'; pass --edition", column=signed)],
        )
    indicator = options.indicator or "wcit12_signed"
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for position, record in enumerate(frame.to_dict("records")):
        row_number = header_line + 1 + position
        answer = str(record[signed]).strip().lower()
        if answer in _YES:
            value, status = "1", "signed"
        elif answer in _NO:
            value, status = "0", "did not sign"
        else:
            problems.append(
                Problem(source.name, f"'{record[signed]}' is neither yes nor no", row=row_number, column=signed)
            )
            continue
        out.append(
            {
                "file": source.name,
                "row": row_number,
                "column": signed,
                "country": str(record.get(columns.get("country", ""), "")),
                "iso3": str(record.get(columns.get("iso3", ""), "")),
                "year": year,
                "indicator": indicator,
                "value": value,
                "status": status,
                "note": str(record.get(columns.get("notes", columns.get("note", "")), "")),
                "source": str(record.get(columns.get("source", ""), "")),
            }
        )
    return Extracted("signatures", _records(out), problems)


ADAPTERS: dict[str, Callable[[InputFile, Registry, Options], Extracted]] = {
    "tidy": read_tidy,
    "worldbank": read_worldbank,
    "fotn": read_fotn,
    "keepiton": read_keepiton,
    "signatures": read_signatures,
}
