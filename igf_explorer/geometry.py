"""Server-side geometry with geopandas: marker positions, countries too small for the 1:110m map, region extents.

The browser only ever receives the vendored 1:110m TopoJSON (``static/topojson``); the 1:50m file stays here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from igf_explorer.paths import REPO_ROOT

GEO_FILE = "geo/world_50m.json"
MAP_TOPOJSON = REPO_ROOT / "static" / "topojson" / "world_110m.json"
STATIC_TOPOJSON_ROUTE = "app/static/topojson/"
# Half-width, in degrees, that one country may add to a region's frame around its marker position: keeps Russia or
# the United States (which cross the antimeridian) from stretching a regional zoom to the whole world.
MAX_HALF_WIDTH = 18.0
PADDING = 3.0


@dataclass(frozen=True)
class Geometry:
    """Marker positions and half-extents per country, and the countries the browser's map can draw."""

    points: pd.DataFrame  # index iso3; columns lon, lat, half_lon, half_lat
    drawable: frozenset[str]


def drawable_ids(topojson_path: Path = MAP_TOPOJSON) -> frozenset[str]:
    """Country ids the 1:110m map draws."""
    topology = json.loads(topojson_path.read_text(encoding="utf-8"))
    return frozenset(str(g["id"]) for g in topology["objects"]["countries"]["geometries"] if g.get("id"))


@lru_cache(maxsize=4)
def load_geometry(data_dir: Path, topojson_path: Path = MAP_TOPOJSON) -> Geometry:
    """Read the 1:50m countries with geopandas and derive a marker position and extent for each."""
    import geopandas as gpd

    countries = gpd.read_file(data_dir / GEO_FILE, layer="countries")
    parts = countries[["id", "geometry"]].explode(index_parts=False)
    parts = parts.assign(area=parts.geometry.area).sort_values("area", ascending=False)
    largest = parts.drop_duplicates("id").set_index("id")
    marker = largest.geometry.representative_point()
    bounds = largest.geometry.bounds
    points = pd.DataFrame(
        {
            "lon": marker.x,
            "lat": marker.y,
            "half_lon": ((bounds["maxx"] - bounds["minx"]) / 2).clip(upper=MAX_HALF_WIDTH),
            "half_lat": ((bounds["maxy"] - bounds["miny"]) / 2).clip(upper=MAX_HALF_WIDTH),
        }
    )
    points.index.name = "iso3"
    return Geometry(points=points, drawable=drawable_ids(topojson_path))


def too_small_for_map(geometry: Geometry, iso3s: Iterable[str]) -> list[str]:
    """Countries with a marker position but no shape on the 1:110m map: they are drawn as dots."""
    return [code for code in iso3s if code not in geometry.drawable and code in geometry.points.index]


def extent(geometry: Geometry, iso3s: Iterable[str]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """((lon_min, lon_max), (lat_min, lat_max)) framing the countries, or None if none has a position."""
    rows = geometry.points.loc[[c for c in iso3s if c in geometry.points.index]]
    if rows.empty:
        return None
    lon = (
        float((rows["lon"] - rows["half_lon"]).min()) - PADDING,
        float((rows["lon"] + rows["half_lon"]).max()) + PADDING,
    )
    lat = (
        float((rows["lat"] - rows["half_lat"]).min()) - PADDING,
        float((rows["lat"] + rows["half_lat"]).max()) + PADDING,
    )
    return (max(lon[0], -180.0), min(lon[1], 180.0)), (max(lat[0], -90.0), min(lat[1], 90.0))


def topojson_url(base_url_path: str) -> str:
    """Where the browser finds the vendored TopoJSON, under any ``server.baseUrlPath``."""
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return f"{prefix}/{STATIC_TOPOJSON_ROUTE}"
