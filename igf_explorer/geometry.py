"""Server-side geometry with geopandas: marker positions, countries too small for the 1:110m map, region extents.

The browser only ever receives the vendored 1:110m TopoJSON (``static/topojson``); the 1:50m file stays here. In
low-bandwidth mode the browser receives no geometry file at all: the map is an SVG drawn here from the simplified
``world_lite.geojson``, projected with the same Natural Earth projection plotly.js uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from igf_explorer.paths import REPO_ROOT

GEO_FILE = "geo/world_50m.json"
MAP_TOPOJSON = REPO_ROOT / "static" / "topojson" / "world_110m.json"
LITE_GEOJSON = REPO_ROOT / "static" / "topojson" / "world_lite.geojson"
# Pixels per unit of the projection: the world is then about 870 × 450, the SVG's own coordinate space.
SVG_SCALE = 160.0
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


def natural_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Natural Earth projection (Šavrič et al. 2011, the polynomial plotly.js and d3 use) of degrees, y up."""
    lam, phi = np.radians(lon), np.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.870700 - phi2 * (0.131979 + phi2 * (0.013791 - phi4 * phi2 * (0.003971 - 0.001529 * phi2))))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def svg_point(lon: float, lat: float) -> tuple[float, float]:
    """Where a point falls in the lite map's SVG coordinates (y down)."""
    x, y = natural_earth(np.array([lon]), np.array([lat]))
    return float(x[0] * SVG_SCALE), float(-y[0] * SVG_SCALE)


@dataclass(frozen=True)
class LiteShapes:
    """The lite map's countries as SVG path data, already projected, and the world's frame in the same space."""

    paths: dict[str, str]  # iso3 → the ``d`` of its <path>
    frame: tuple[float, float, float, float]  # min x, min y, width, height


def _ring_path(ring: list[list[float]]) -> str:
    points = np.asarray(ring, dtype=float)
    x, y = natural_earth(points[:, 0], points[:, 1])
    pairs = np.round(np.column_stack([x * SVG_SCALE, -y * SVG_SCALE]), 1)
    # Relative moves after the first point: most steps are a few pixels, so "l2.1 -0.4" beats absolute pairs.
    steps = np.round(np.diff(pairs, axis=0), 1)
    steps = steps[(steps != 0).any(axis=1)]
    body = " ".join(f"{dx:g} {dy:g}" for dx, dy in steps)
    return f"M{pairs[0, 0]:g} {pairs[0, 1]:g}l{body}z"


@lru_cache(maxsize=2)
def load_lite_shapes(path: Path = LITE_GEOJSON) -> LiteShapes:
    """Read the simplified countries (plain JSON: no geopandas on this path) and project them once per process."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    paths: dict[str, str] = {}
    for feature in collection["features"]:
        polygons = feature["geometry"]["coordinates"]
        paths[str(feature["properties"]["id"])] = "".join(_ring_path(ring) for polygon in polygons for ring in polygon)
    left, top = svg_point(-180.0, 90.0)
    right, _ = svg_point(180.0, 0.0)
    _, bottom = svg_point(0.0, -90.0)
    return LiteShapes(paths=paths, frame=(-right, top, 2 * right, bottom - top))
