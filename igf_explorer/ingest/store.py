"""Preparing writes to the indicator store: which rows an ingest replaces, the diff, and the stored bytes."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from igf_explorer.indicators import TIDY_COLUMNS


def format_values(values: pd.Series) -> pd.Series:
    """Shortest text that reads back as the same float; whole numbers without '.0'; empty for a range row's NaN."""
    return values.map(lambda v: "" if pd.isna(v) else repr(v)).str.removesuffix(".0")


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _plain_text(column: pd.Series) -> bool:
    """Whether no cell of a text column needs CSV quoting (checked once per distinct value)."""
    return not any(_NEEDS_QUOTES.search(str(value)) for value in column.unique())


def tidy_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The stored CSV of a tidy frame: fixed columns, sorted rows, shortest exact numbers.

    Large stores without commas or quotes in their text go through Arrow's CSV writer, several times faster
    than pandas' and producing the same text for such data.
    """
    ordered = frame.sort_values(["indicator", "iso3", "year"], kind="stable").loc[:, list(TIDY_COLUMNS)]
    ordered = ordered.astype({"year": "int64", "value": "float64"})
    header = ",".join(TIDY_COLUMNS) + "\n"
    text_columns = ["iso3", "indicator", "status", "note", "source"]
    if all(_plain_text(ordered[c]) for c in text_columns):
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        table = pa.Table.from_pandas(ordered, preserve_index=False)
        # Categorical columns arrive as dictionary arrays; Arrow decodes them to plain strings in C++.
        table = table.cast(
            pa.schema(
                [
                    pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) or f.name in text_columns else f
                    for f in table.schema
                ]
            )
        )
        sink = io.BytesIO()
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
        return header.encode("utf-8") + sink.getvalue()
    out = ordered.assign(value=format_values(ordered["value"]))
    return str(out.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sidecar_text(fields: Mapping[str, Any]) -> str:
    """YAML for a sidecar, keys in the order given."""
    return str(yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=120))
