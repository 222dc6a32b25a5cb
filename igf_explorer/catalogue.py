"""The indicator catalogue: what each indicator is, where it comes from, and what it covers, edition by edition."""

from __future__ import annotations

import pandas as pd

from igf_explorer.companies import CompanyStore
from igf_explorer.indicator_store import IndicatorStore

DIRECTION_TEXT = {
    "higher_is_freer": "higher is better",
    "lower_is_freer": "lower is better",
    "by_edition": "lower is freer up to 2018, higher is freer from 2019 (shown as higher = freer)",
    "not_applicable": "not a scale",
}


def catalogue_table(store: IndicatorStore, theme_labels: dict[str, str]) -> pd.DataFrame:
    """One row per indicator with provenance and coverage (countries × periods)."""
    rows = []
    for dataset in store.registry.datasets:
        for meta in dataset.indicators:
            data = store.rows(meta.id)
            periods = store.periods(meta.id)
            rows.append(
                {
                    "Indicator": meta.name,
                    "id": meta.id,
                    "Unit": meta.unit,
                    "Direction": DIRECTION_TEXT.get(meta.direction, meta.direction),
                    "Themes": ", ".join(theme_labels.get(t, t) for t in meta.themes),
                    "Countries": int(data["iso3"].nunique()),
                    "Periods": f"{periods[0]}–{periods[-1]} ({len(periods)})" if periods else "no data",
                    "Rows": len(data),
                    "Producer": str(dataset.field("producer", "")),
                    "Licence": str(dataset.field("licence", "")),
                    "Vintage": str(dataset.field("vintage", "")),
                    "URL": str(dataset.field("url", "")),
                }
            )
    return pd.DataFrame(rows)


def coverage_by_period(store: IndicatorStore, dataset_id: str) -> pd.DataFrame:
    """Countries per period for each indicator of a dataset; a missing cell means no figure at all that period."""
    dataset = next(d for d in store.registry.datasets if d.id == dataset_id)
    ids = [i.id for i in dataset.indicators]
    table = pd.DataFrame({i: store.coverage(i) for i in ids}).reindex(columns=ids)
    table.index.name = "year"
    table = table.rename(columns={i.id: i.short_name for i in dataset.indicators})
    if dataset.editions:
        table.insert(
            0,
            "Published scale",
            [dataset.editions[int(y)].scale if int(y) in dataset.editions else "" for y in table.index],
        )
        table.insert(
            1,
            "Covers",
            [dataset.editions[int(y)].coverage_period if int(y) in dataset.editions else "" for y in table.index],
        )
    table.index.name = "Edition" if dataset.editions else "Year"
    return table.reset_index().fillna(0).astype({i.short_name: int for i in dataset.indicators}, errors="ignore")


def company_catalogue_table(companies: CompanyStore, theme_labels: dict[str, str]) -> pd.DataFrame:
    """One row per company indicator with provenance and coverage (companies × periods)."""
    rows = []
    for dataset in companies.registry.company_datasets:
        for meta in dataset.indicators:
            data = companies.rows(meta.id)
            periods = companies.periods(meta.id)
            rows.append(
                {
                    "Indicator": meta.name,
                    "id": meta.id,
                    "Unit": meta.unit,
                    "Direction": DIRECTION_TEXT.get(meta.direction, meta.direction),
                    "Themes": ", ".join(theme_labels.get(t, t) for t in meta.themes),
                    "Companies": int(data["company"].nunique()),
                    "Periods": f"{periods[0]}–{periods[-1]} ({len(periods)})" if periods else "no data",
                    "Rows": len(data),
                    "Producer": str(dataset.field("producer", "")),
                    "Licence": str(dataset.field("licence", "")),
                    "Vintage": str(dataset.field("vintage", "")),
                    "URL": str(dataset.field("url", "")),
                }
            )
    return pd.DataFrame(rows)
