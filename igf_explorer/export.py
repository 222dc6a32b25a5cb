"""Tables of the statement's data for export, in the column layouts the CLI documents."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from igf_explorer.signatories import SIGNATORY_COLUMNS
from igf_explorer.statement import Statement

RECOMMENDATION_COLUMNS = ["id", "addressee", "order", "text", "themes"]
# The stored columns less the two free-text descriptions.
SIGNATORY_EXPORT_COLUMNS = [c for c in SIGNATORY_COLUMNS if c not in ("focus_description", "description")]
THEME_COLUMNS = ["id", "label", "description"]


def recommendations_frame(statement: Statement) -> pd.DataFrame:
    """One row per recommendation; themes joined with ``;``."""
    return pd.DataFrame(
        [[r.id, r.addressee, r.order, r.text, ";".join(r.themes)] for r in statement.recommendations],
        columns=RECOMMENDATION_COLUMNS,
    )


def signatories_frame(statement: Statement) -> pd.DataFrame:
    """One row per signatory; focus countries joined with ``;``, unknown origins left empty."""
    return pd.DataFrame(
        [
            [s.name, s.person, s.organization, s.type, s.base_iso3, ";".join(s.focus_iso3), s.country_basis, s.source]
            for s in statement.signatories
        ],
        columns=SIGNATORY_EXPORT_COLUMNS,
    )


def themes_frame(statement: Statement) -> pd.DataFrame:
    """One row per theme."""
    return pd.DataFrame([[t.id, t.label, t.description] for t in statement.themes], columns=THEME_COLUMNS)


TABLES = {"recommendations": recommendations_frame, "signatories": signatories_frame, "themes": themes_frame}
LIST_COLUMNS = {"recommendations": "themes", "signatories": "focus_iso3"}


def render_table(statement: Statement, table: str, fmt: str) -> str:
    """The table as CSV text, or as a JSON array in which list columns are real lists."""
    frame = TABLES[table](statement)
    if fmt == "csv":
        return str(frame.to_csv(index=False, lineterminator="\n"))
    records = frame.to_dict("records")
    list_column = LIST_COLUMNS.get(table)
    if list_column:
        for record in records:
            value = record[list_column]
            record[list_column] = [v for v in str(value).split(";") if v]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def render_indicators(data_dir: Path, indicator: str | None, fmt: str) -> str:
    """The tidy indicator table (optionally one indicator) as CSV or JSON, values as stored."""
    from igf_explorer.indicator_store import IndicatorStore
    from igf_explorer.indicators import load_store
    from igf_explorer.problems import DataError, Problem

    store = IndicatorStore(*load_store(data_dir))
    known = store.registry.indicators
    if indicator is not None and indicator not in known:
        raise DataError([Problem("indicators", f"unknown indicator '{indicator}'; known: {', '.join(known)}")])
    rows = store.tidy([indicator] if indicator else list(known))
    if fmt == "csv":
        return indicators_csv(rows)
    ordered = rows.sort_values(["indicator", "iso3", "year"], kind="stable")
    return json.dumps(ordered.to_dict("records"), ensure_ascii=False, indent=2) + "\n"


def indicators_csv(rows: pd.DataFrame) -> str:
    """Tidy CSV of stored rows (from :meth:`IndicatorStore.tidy`), values written exactly as stored."""
    from igf_explorer.indicators import TIDY_COLUMNS
    from igf_explorer.ingest.store import format_values

    ordered = rows.sort_values(["indicator", "iso3", "year"], kind="stable")
    out = ordered.loc[:, list(TIDY_COLUMNS)].assign(value=format_values(ordered["value"]))
    return str(out.to_csv(index=False, lineterminator="\n"))
