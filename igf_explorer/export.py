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
    """The tidy indicator table (optionally one indicator) as CSV or JSON, values as stored.

    A country indicator's rows have the columns ``iso3, year, indicator, value, status, note, source``; a company
    indicator's have ``company`` in place of ``iso3``. The whole table (no ``indicator``) holds both kinds, with both
    columns (``iso3`` empty on company rows, ``company`` on country rows).
    """
    from igf_explorer.companies import load_company_data
    from igf_explorer.indicator_store import IndicatorStore
    from igf_explorer.indicators import COMPANY_TIDY_COLUMNS, TIDY_COLUMNS, load_store
    from igf_explorer.problems import DataError, Problem

    store = IndicatorStore(*load_store(data_dir))
    companies = load_company_data(data_dir, store.registry)
    countries_known, companies_known = store.registry.indicators, store.registry.company_indicators
    known = [*countries_known, *companies_known]
    if indicator is not None and indicator not in known:
        raise DataError([Problem("indicators", f"unknown indicator '{indicator}'; known: {', '.join(known)}")])
    if indicator is not None and indicator in companies_known:
        rows = companies.tidy([indicator]).sort_values(["indicator", "company", "year"], kind="stable")
        columns: list[str] = list(COMPANY_TIDY_COLUMNS)
    elif indicator is not None:
        rows = store.tidy([indicator]).sort_values(["indicator", "iso3", "year"], kind="stable")
        columns = list(TIDY_COLUMNS)
    else:
        country_rows = store.tidy(list(countries_known)).sort_values(["indicator", "iso3", "year"], kind="stable")
        company_rows = companies.tidy(list(companies_known)).sort_values(
            ["indicator", "company", "year"], kind="stable"
        )
        columns = ["iso3", "company", *TIDY_COLUMNS[1:]]
        rows = pd.concat([country_rows.assign(company=""), company_rows.assign(iso3="")], ignore_index=True)
    if fmt == "csv":
        return indicators_csv(rows, columns)
    return json.dumps(rows.loc[:, columns].to_dict("records"), ensure_ascii=False, indent=2) + "\n"


def indicators_csv(rows: pd.DataFrame, columns: list[str] | None = None) -> str:
    """Tidy CSV of stored rows (from :meth:`IndicatorStore.tidy`), values written exactly as stored.

    ``columns`` default to the country columns, rows then sorted by indicator, country and period; given, the rows
    are written in the order they come.
    """
    from igf_explorer.indicators import TIDY_COLUMNS
    from igf_explorer.ingest.store import format_values

    ordered = rows.sort_values(["indicator", "iso3", "year"], kind="stable") if columns is None else rows
    out = ordered.loc[:, columns or list(TIDY_COLUMNS)].assign(value=format_values(ordered["value"]))
    return str(out.to_csv(index=False, lineterminator="\n"))
