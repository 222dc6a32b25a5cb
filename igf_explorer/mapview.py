"""What the map shows for one view: every country's value on the display scale, or why it has none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from igf_explorer.countries import Region, country_name, in_region
from igf_explorer.fotn import FOTN_MAXIMA, published_scale, to_display_scale
from igf_explorer.geometry import Geometry
from igf_explorer.indicators import IndicatorMeta, Registry
from igf_explorer.statement import Signatory

DATA, NO_DATA, NOT_COVERED, NONE_RECORDED, UNKNOWN = "data", "no data", "not covered", "none recorded", "unknown"


@dataclass(frozen=True)
class Scale:
    """How values are coloured and labelled: the fixed colour range, which end is freer, and the words for it.

    ``log`` colours a skewed count by log(1 + value) (one country with 84 shutdowns must not wash out the rest);
    the colour bar still reads in counts.
    """

    title: str
    reverse: bool
    direction_note: str
    categories: dict[float, str]
    cmin: float | None = None
    cmax: float | None = None
    log: bool = False


def periods(store: pd.DataFrame, indicator: str) -> list[int]:
    """Years (editions) with at least one value."""
    return sorted(int(y) for y in store.loc[store["indicator"] == indicator, "year"].unique())


def default_period(store: pd.DataFrame, indicator: str) -> int:
    """The period covering the most countries (the latest among equals): a sparse newest edition is not the default."""
    counts = store.loc[store["indicator"] == indicator].groupby("year")["iso3"].nunique()
    best = counts[counts == counts.max()]
    return int(best.index.max())


def display_scale(meta: IndicatorMeta, largest: float | None = None) -> Scale:
    """Colour range, direction and legend wording; FOTN is always shown with higher = freer.

    The range is the indicator's own (0–max for FOTN, 0–100 for shares), never the range of the countries in
    view, so a colour means the same on every map. ``largest`` bounds open-ended counts such as shutdowns.
    """
    if meta.categories:
        return Scale(meta.short_name, False, "categories", dict(meta.categories), 0, 1)
    if meta.id in FOTN_MAXIMA:
        return Scale(
            f"{meta.short_name}<br>{meta.unit}<br>↑ higher = freer",
            False,
            "higher = freer",
            {},
            0,
            FOTN_MAXIMA[meta.id],
        )
    if meta.direction == "lower_is_freer":
        top = largest if largest is not None else meta.range_max
        return Scale(f"{meta.short_name}<br>{meta.unit}<br>darker = more", True, "darker = more", {}, 0, top, log=True)
    return Scale(
        f"{meta.short_name}<br>{meta.unit}<br>↑ higher = more",
        False,
        "higher = more",
        {},
        meta.range_min,
        meta.range_max,
    )


def absent_state(meta: IndicatorMeta, partial: bool = False) -> tuple[str, str]:
    """(state, wording) for a country with no value; never a zero."""
    if meta.id in FOTN_MAXIMA and partial:
        return NO_DATA, "not in this project's data for this edition (only partly transcribed)"
    if meta.id in FOTN_MAXIMA:
        return NO_DATA, "no figure for this edition"
    if meta.id == "shutdowns":
        return NONE_RECORDED, "no shutdown recorded by Access Now this year"
    if meta.categories:
        return UNKNOWN, "not known from the sources"
    return NO_DATA, "no data for this year"


def map_frame(
    store: pd.DataFrame,
    registry: Registry,
    indicator: str,
    year: int,
    region: Region | None,
    geometry: Geometry,
) -> pd.DataFrame:
    """One row per country the map can show: value on the display scale, state, hover text, region membership."""
    meta = registry.indicator(indicator)
    dataset = registry.dataset_of(indicator)
    rows = store[(store["indicator"] == indicator) & (store["year"] == year)]
    shown = to_display_scale(rows) if indicator in FOTN_MAXIMA else rows.assign(published_scale="", converted=False)
    ever_covered = set(store.loc[store["indicator"] == indicator, "iso3"])
    universe = sorted(geometry.drawable | ever_covered)
    frame = pd.DataFrame({"iso3": universe})
    frame = frame.merge(shown[["iso3", "value", "status", "source", "converted"]], on="iso3", how="left")
    frame["published"] = frame["iso3"].map(rows.set_index("iso3")["value"]) if len(rows) else float("nan")
    frame["country"] = frame["iso3"].map(country_name)
    partial = year in (dataset.field("partial_editions") or [])
    absent, absent_words = absent_state(meta, partial)
    frame["state"] = DATA
    missing = frame["value"].isna()
    frame.loc[missing, "state"] = absent
    if meta.id in FOTN_MAXIMA:
        frame.loc[missing & ~frame["iso3"].isin(ever_covered), "state"] = NOT_COVERED
    frame["in_region"] = [in_region(code, region) for code in frame["iso3"]]
    edition = dataset.editions.get(year)
    period = (
        f"{year} edition" + (f" (covers {edition.coverage_period})" if edition and edition.coverage_period else "")
        if dataset.editions
        else str(year)
    )
    default_source = str(dataset.field("producer", ""))
    records = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    frame["hover"] = [_hover(row, meta, period, default_source, absent_words) for row in records]
    return frame


def _hover(row: dict[str, Any], meta: IndicatorMeta, period: str, default_source: str, absent_words: str) -> str:
    name = f"<b>{row['country']}</b>"
    state = row["state"]
    if state == NOT_COVERED:
        return f"{name}<br>not covered by {meta.short_name.split(' ')[0]} in any edition"
    if state != DATA:
        return f"{name}<br>{absent_words} ({period})"
    value = float(str(row["value"]))
    if meta.categories:
        shown = meta.categories.get(value, f"{value:g}")
    else:
        shown = f"{value:.{meta.decimals}f} {meta.unit}"
    lines = [name, shown, period]
    if row.get("converted"):
        published = float(row["published"])
        lines.append(f"published as {published:g} on the edition's scale (0 = most free); shown as max − value")
    if row.get("status"):
        lines.append(f"status: {row['status']}")
    source = str(row.get("source") or default_source)
    lines.append("source: " + (source[:90] + "…" if len(source) > 90 else source))
    return "<br>".join(lines)


def scale_note(indicator: str, year: int) -> str | None:
    """Say what was converted when FOTN figures of an edition before 2019 are shown on the display scale."""
    if indicator in FOTN_MAXIMA and published_scale(year) != "higher_is_freer":
        return (
            f"The {year} edition was published with 0 = most free. It is shown here as maximum − published value "
            f"(higher = freer), the scale Freedom House has used since 2019; hover shows the published figure."
        )
    return None


def signatory_points(signatories: Iterable[Signatory], geometry: Geometry, region: Region | None) -> pd.DataFrame:
    """Marker rows for signatories' base and focus countries: iso3, kind, count, names, lon, lat."""
    rows = []
    for signatory in signatories:
        base = getattr(signatory, "base_iso3", "")
        if base:
            rows.append({"iso3": base, "kind": "based here", "name": signatory.name})
        for focus in getattr(signatory, "focus_iso3", ()):
            if focus != base:
                rows.append({"iso3": focus, "kind": "works on this country", "name": signatory.name})
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


def table_for(frame: pd.DataFrame, meta: IndicatorMeta, year: int) -> pd.DataFrame:
    """The accessible table beside the map: countries in the region, with value or the reason there is none."""
    shown = frame[frame["in_region"]].copy()
    if meta.categories:
        values: Sequence[object] = [meta.categories.get(v, "") if pd.notna(v) else "" for v in shown["value"]]
    else:
        values = [f"{float(v):.{meta.decimals}f}" if pd.notna(v) else "" for v in shown["value"]]
    table = pd.DataFrame(
        {
            "Country": shown["country"],
            meta.short_name: values,
            "Status": shown["status"].fillna(""),
            "Data": shown["state"],
            "Period": year,
        }
    )
    return table.sort_values(
        ["Data", "Country"], key=lambda s: s.map({DATA: "0"}).fillna(s) if s.name == "Data" else s
    ).reset_index(drop=True)


def blank_frame(geometry: Geometry, region: Region | None, reason: str) -> pd.DataFrame:
    """A frame for a map with no indicator (for themes no country indicator measures): every country says why."""
    frame = pd.DataFrame({"iso3": sorted(geometry.drawable)})
    frame["country"] = frame["iso3"].map(country_name)
    frame["value"] = float("nan")
    frame["status"] = ""
    frame["state"] = "not measured"
    frame["in_region"] = [in_region(code, region) for code in frame["iso3"]]
    frame["hover"] = "<b>" + frame["country"] + "</b><br>" + reason
    return frame
