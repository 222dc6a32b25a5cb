"""The project's own tidy CSV: ``iso3`` or ``country``, ``year``, ``indicator``, ``value``, optional text columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from igf_explorer.indicators import TIDY_COLUMNS, Registry
from igf_explorer.ingest.formats.base import Extracted, Format, located, nothing, reads_tables
from igf_explorer.ingest.options import Options
from igf_explorer.ingest.reading import InputFile
from igf_explorer.ingest.tables import read_csv_located, read_text_table, record_lines, text_layout
from igf_explorer.problems import Problem


def detect(source: InputFile) -> bool:
    """A text table with year, indicator and value, and a country or iso3 column."""
    if source.kind != "text":
        return False
    columns = set(text_layout(source).columns)
    return {"year", "indicator", "value"} <= columns and bool({"iso3", "country"} & columns)


def _read_typed(source: InputFile) -> tuple[pd.DataFrame, int] | None:
    """Fast path for well-formed files: repeated text as categories, numbers parsed exactly by the C reader.

    Returns None when the file needs the all-text path (a value that is not a number, or an empty one), so that
    messages can quote the cell as written.
    """
    layout = text_layout(source)
    names = [c.strip() for c in layout.header.split(layout.delimiter)]
    dtypes: dict[str, str] = {c: "category" for c in names if c != "value"}
    try:
        frame = read_csv_located(
            source,
            layout.skip,
            sep=layout.delimiter,
            dtype={**dtypes, "value": "float64"},
            keep_default_na=False,
            na_values={"value": [""]},
            float_precision="round_trip",
        )
    except ValueError:  # also a TableError: the all-text path reports it, located
        return None
    if "value" not in frame.columns or frame["value"].isna().any():
        return None
    frame.index = pd.Index(record_lines(source.utf8, layout.skip, len(frame), layout.delimiter))
    return frame, layout.skip + 1


def extract(source: InputFile, registry: Registry, options: Options) -> Extracted:
    """Records of a tidy file; an empty value is a problem (leave the row out) unless a range status stands for it."""
    typed = _read_typed(source)
    frame, _ = typed if typed is not None else read_text_table(source)
    columns = [str(c) for c in frame.columns]
    problems = [
        Problem(source.name, f"unexpected column '{c}' (tidy columns: {', '.join(TIDY_COLUMNS)}, country)", column=c)
        for c in columns
        if c not in (*TIDY_COLUMNS, "country")
    ]
    problems += [
        Problem(source.name, f"required column '{required}' is missing", column=required)
        for required in ("year", "indicator", "value")
        if required not in columns
    ]
    if "iso3" not in columns and "country" not in columns:
        problems.append(Problem(source.name, "needs an 'iso3' or a 'country' column", column="iso3"))
    if problems:
        return nothing(problems)
    size = len(frame)

    def constant(value: str) -> pd.Categorical[str]:
        return pd.Categorical.from_codes(np.zeros(size, dtype=np.int8), categories=pd.Index([value]))

    def text(column: str) -> pd.Series | pd.Categorical[str]:
        return frame[column] if column in columns else constant("")

    country_column = "country" if "country" in columns else "iso3"
    records = pd.DataFrame(
        {
            "file": constant(source.name),
            "row": frame.index.to_numpy(),
            "column": constant("value"),
            "year_column": constant("year"),
            "country_column": constant(country_column),
            "country": text("country"),
            "iso3": text("iso3"),
            "year": frame["year"],
            "indicator": frame["indicator"],
            "value": frame["value"],
            "status": text("status"),
            "note": text("note"),
            "source": text("source"),
        }
    )
    if typed is None:
        # An empty value with a status may stand for a range ("fewer than 10"): validation checks the sidecar's ranges.
        empty = records["value"].astype(str).str.strip().eq("") & records["status"].astype(str).str.strip().eq("")
        problems = located(records, empty, "value is empty; leave the row out instead")
        records = records[~empty]
    return Extracted(records.reset_index(drop=True), problems)


FORMAT = Format(
    name="tidy",
    summary="this project's own CSV: columns iso3 (or country), year, indicator, value, and optional status, note, source",
    detect=detect,
    extract=reads_tables(extract),
)
