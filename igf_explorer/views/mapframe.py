"""What a map shows for one indicator and period: every country's value on the display scale, or why it has none.

How an indicator is drawn (colour scale and range, legend words, the wording for a missing figure, whether a
country never in the series is "not covered") comes from its sidecar's ``display`` block, never from its id.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from igf_explorer.countries import UNINHABITED, Region, country_name, in_region
from igf_explorer.geometry import Geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import IndicatorMeta
from igf_explorer.statement import Signatory
from igf_explorer.text import plain

DATA, NOT_COVERED, NOT_MEASURED = "data", "not covered", "not measured"


@dataclass(frozen=True)
class Scale:
    """How values are coloured and labelled: the fixed colour range and the legend's title.

    ``log`` colours a skewed count by log(1 + value) (one country with 84 shutdowns must not wash out the rest);
    the colour bar still reads in counts. ``palette`` and ``high_contrast_palette`` name the colours (the sidecar's).
    """

    title: str
    reverse: bool = False
    categories: dict[float, str] = field(default_factory=dict)
    cmin: float | None = None
    cmax: float | None = None
    log: bool = False
    palette: str = "viridis"
    high_contrast_palette: str = "inferno"


def display_scale(meta: IndicatorMeta, largest: float | None) -> Scale:
    """How one indicator is coloured, from its sidecar.

    The colour range is the indicator's own (its sidecar's ``scale_max``, or the largest stored value for an
    open-ended count), never the range of the countries in view, so a colour means the same on every map.
    """
    display = meta.display
    if display.colour == "categories" or meta.categories:
        return Scale(
            plain(meta.short_name),
            categories=dict(meta.categories),
            cmin=0,
            cmax=1,
            palette=display.palette,
            high_contrast_palette=display.high_contrast_palette,
        )
    top = display.scale_max if display.scale_max is not None else (largest if largest is not None else meta.range_max)
    title = f"{plain(meta.short_name)}<br>{plain(meta.unit)}<br>{plain(display.legend)}"
    log = display.colour == "log"
    return Scale(
        title,
        reverse=log,
        cmin=meta.range_min,
        cmax=top,
        log=log,
        palette=display.palette,
        high_contrast_palette=display.high_contrast_palette,
    )


def edition_size(store: IndicatorStore, meta: IndicatorMeta, year: int) -> int | None:
    """How many countries the producer assessed in an edition, when the sidecar says so."""
    edition = store.registry.dataset_of(meta.id).editions.get(year)
    return edition.size if edition is not None else None


def is_partial(store: IndicatorStore, meta: IndicatorMeta, year: int) -> bool:
    """Whether this project's data holds fewer countries for an edition than the producer assessed."""
    return store.registry.dataset_of(meta.id).partial(year, int(store.coverage(meta.id).get(year, 0)))


def status_band(meta: IndicatorMeta, value: float) -> str:
    """The status band a display-scale score falls in, from the sidecar's bands ('' when it has none)."""
    for band in meta.display.status_bands:
        if band.min <= round(value) <= band.max:
            return band.status
    return ""


def map_frame(
    store: IndicatorStore, indicator: str, year: int, region: Region | None, geometry: Geometry
) -> pd.DataFrame:
    """One row per country the map can show: value on the display scale, state, hover text, region membership."""
    registry = store.registry
    meta = registry.indicator(indicator)
    dataset = registry.dataset_of(indicator)
    rows = store.on_display_scale(store.period_slice(indicator, year))
    ever_covered = store.ever_covered(indicator)
    frame = pd.DataFrame({"iso3": sorted((geometry.drawable | ever_covered) - UNINHABITED)})
    frame = frame.merge(
        rows[["iso3", "value", "published", "status", "note", "source", "converted"]], on="iso3", how="left"
    )
    frame["country"] = frame["iso3"].map(country_name)
    partial = is_partial(store, meta, year)
    missing = frame["value"].isna()
    frame["status"] = frame["status"].fillna("")
    # A figure published as a range ("fewer than 10") has no value but is not missing: its state is the status words.
    frame["ranged"] = missing & frame["status"].isin(list(meta.ranges))
    frame["state"] = DATA
    frame.loc[missing, "state"] = meta.display.absent
    if meta.display.not_covered:
        frame.loc[missing & ~frame["iso3"].isin(ever_covered), "state"] = NOT_COVERED
    frame.loc[frame["ranged"], "state"] = frame.loc[frame["ranged"], "status"]
    bands = [
        status_band(meta, v) if pd.notna(v) and not s else ""
        for v, s in zip(frame["value"], frame["status"], strict=True)
    ]
    frame["band"] = bands
    frame["in_region"] = [in_region(code, region) for code in frame["iso3"]]
    edition = dataset.editions.get(year)
    label = dataset.periods.label
    period = f"{year} {label}" if label == "edition" else str(year)
    if edition and edition.coverage_period:
        period += f" (covers {edition.coverage_period})"
    absent_words = meta.display.absent_words
    if partial:
        absent_words = "not in this project's data for this edition (only partly transcribed)"
    default_source = str(dataset.field("producer", ""))
    records = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    frame["hover"] = [_hover(row, meta, period, default_source, absent_words) for row in records]
    return frame


def _hover(row: dict[str, Any], meta: IndicatorMeta, period: str, default_source: str, absent_words: str) -> str:
    # Plotly renders a subset of HTML in hover text: everything that comes from data files is made plain first.
    name = f"<b>{plain(row['country'])}</b>"
    state = row["state"]
    if state == NOT_COVERED:
        return f"{name}<br>not covered by {plain(meta.short_name)} in any edition"
    if row.get("ranged"):
        low, high = meta.ranges[str(row["status"])]
        source = str(row.get("source") or default_source)
        return "<br>".join(
            [
                name,
                f"{plain(str(row['status']))} ({plain(meta.unit)})",
                plain(period),
                f"not an exact count: a range that holds {low:g}–{high:g}",
                *_note_lines(row),
                "source: " + plain(source[:90] + "…" if len(source) > 90 else source),
            ]
        )
    if state != DATA:
        return f"{name}<br>{plain(absent_words)} ({plain(period)})"
    value = float(str(row["value"]))
    shown = meta.categories.get(value, f"{value:g}") if meta.categories else f"{value:.{meta.decimals}f} {meta.unit}"
    lines = [name, plain(shown), plain(period)]
    if row.get("converted"):
        lines.append(
            f"published as {float(row['published']):g} on the edition's scale (0 = most free); shown as max − value"
        )
    if row.get("status"):
        lines.append(f"status: {plain(row['status'])}")
    elif row.get("band"):
        lines.append(f"status band of this score: {plain(row['band'])} (no status published)")
    lines.extend(_note_lines(row))
    source = str(row.get("source") or default_source)
    lines.append("source: " + plain(source[:90] + "…" if len(source) > 90 else source))
    return "<br>".join(lines)


def _note_lines(row: dict[str, Any], width: int = 72, most: int = 3) -> list[str]:
    """The row's note (what a figure is made of, e.g. Google's half-years as published), wrapped for a hover box."""
    note = row.get("note")
    if not isinstance(note, str) or not note.strip():
        return []
    lines = textwrap.wrap("note: " + note, width, max_lines=most, placeholder=" …")
    return [plain(line) for line in lines]


def signatory_points(signatories: Iterable[Signatory], geometry: Geometry, region: Region | None) -> pd.DataFrame:
    """Marker rows for signatories' base and focus countries: iso3, kind, count, names, lon, lat."""
    rows = []
    for signatory in signatories:
        if signatory.base_iso3:
            rows.append({"iso3": signatory.base_iso3, "kind": "based here", "name": plain(signatory.name)})
        for focus in signatory.focus_iso3:
            if focus != signatory.base_iso3:
                rows.append({"iso3": focus, "kind": "works on this country", "name": plain(signatory.name)})
    frame = pd.DataFrame(rows, columns=["iso3", "kind", "name"])
    if frame.empty:
        return frame.assign(count=0, names="", lon=0.0, lat=0.0)
    grouped = (
        frame.groupby(["iso3", "kind"])
        .agg(count=("name", "size"), names=("name", lambda n: "<br>".join(n)))
        .reset_index()
    )
    grouped = grouped[[in_region(code, region) for code in grouped["iso3"]]]
    positions = geometry.points.reindex(grouped["iso3"])
    return grouped.assign(lon=positions["lon"].to_numpy(), lat=positions["lat"].to_numpy()).dropna(subset=["lon"])


def value_text(meta: IndicatorMeta, value: Any) -> str:
    """A value as the tables show it: the category's word, or the number to the indicator's decimals."""
    if pd.isna(value):
        return ""
    if meta.categories:
        return meta.categories.get(float(value), "")
    return f"{float(value):.{meta.decimals}f}"


def table_for(frame: pd.DataFrame, meta: IndicatorMeta, year: int) -> pd.DataFrame:
    """The accessible table of what the map shows: countries in the region with a figure, freest or largest first.

    A figure published as a range ("fewer than 10") is not a figure: :func:`absent_lists` names it by its status.
    """
    shown = frame[frame["in_region"] & (frame["state"] == DATA)]
    shown = shown.sort_values(["value", "country"], ascending=[meta.display.ranking == "ascending", True])
    status = [s or (f"{b} (band)" if b else "") for s, b in zip(shown["status"], shown["band"], strict=True)]
    return pd.DataFrame(
        {
            "Country": shown["country"],
            meta.short_name: [value_text(meta, v) for v in shown["value"]],
            "Status": status,
            "Period": year,
        }
    ).reset_index(drop=True)


def absent_lists(frame: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Countries in the region without a figure, named per reason (a range's status words, such as "fewer than 10")."""
    missing = frame[frame["in_region"] & (frame["state"] != DATA)]
    return tuple((str(state), tuple(sorted(rows["country"]))) for state, rows in missing.groupby("state", sort=True))


def blank_frame(geometry: Geometry, region: Region | None, reason: str) -> pd.DataFrame:
    """A frame for a map with no indicator (for themes no country indicator measures): every country says why."""
    frame = pd.DataFrame({"iso3": sorted(geometry.drawable - UNINHABITED)})
    frame["country"] = frame["iso3"].map(country_name)
    frame["value"] = float("nan")
    frame["status"] = ""
    frame["state"] = NOT_MEASURED
    frame["in_region"] = [in_region(code, region) for code in frame["iso3"]]
    frame["hover"] = "<b>" + frame["country"].map(plain) + "</b><br>" + plain(reason)
    return frame


def options_text(values: Sequence[int]) -> str:
    """Periods as a short text (2009, 2011–2025)."""
    years = sorted(values)
    if not years:
        return "none"
    runs: list[list[int]] = [[years[0]]]
    for year in years[1:]:
        if year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
