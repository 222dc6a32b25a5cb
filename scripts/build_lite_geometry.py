"""Build ``static/topojson/world_lite.geojson``, the light world map of low-bandwidth mode, from the 1:110m TopoJSON.

Usage: python scripts/build_lite_geometry.py [--tolerance 0.25]

Low-bandwidth mode draws the map on the server as an SVG (no plotly.js), so every vertex ends up in the page: the
1:110m shapes are simplified (shapely, topology not preserved across borders: at this scale a sliver between two
neighbours is invisible), islands below a minimum area are dropped (countries with no part left keep their largest),
and coordinates are rounded to 0.01°. Run it after updating the 1:110m file, then update the sidecar's sha256
(printed) in ``static/topojson/world_lite.meta.yml``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "topojson" / "world_110m.json"
TARGET = ROOT / "static" / "topojson" / "world_lite.geojson"
MIN_AREA = 0.5  # square degrees: smaller islands vanish at the lite map's size


def _rounded(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    return [[[round(x, 2), round(y, 2)] for x, y in ring] for ring in rings]


def _within_the_world(shape: Any) -> list[Any]:
    """The polygons of a shape cut at the antimeridian.

    A ring that crosses it (Russia's Chukotka, Fiji) jumps from 180° to -180°; drawn as it is, it strokes a line
    across the whole map. Its longitudes are unwrapped, then the parts on each side are cut out and moved back.
    """
    import numpy as np
    from shapely.affinity import translate
    from shapely.geometry import MultiPolygon, Polygon, box

    parts = list(shape.geoms) if isinstance(shape, MultiPolygon) else [shape]
    kept = []
    for part in parts:
        ring = np.asarray(part.exterior.coords)
        if np.abs(np.diff(ring[:, 0])).max(initial=0) <= 180:
            kept.append(part)
            continue
        unwrapped = ring.copy()
        unwrapped[:, 0] = np.degrees(np.unwrap(np.radians(ring[:, 0])))
        whole = Polygon(unwrapped).buffer(0)
        for shift in (-360.0, 0.0, 360.0):
            piece = translate(whole, xoff=shift).intersection(box(-180, -90, 180, 90))
            kept += [p for p in getattr(piece, "geoms", [piece]) if isinstance(p, Polygon) and not p.is_empty]
    return kept


def build(tolerance: float) -> dict[str, object]:
    """The simplified countries as a GeoJSON FeatureCollection (properties: ``id``, the ISO3 code)."""
    import geopandas as gpd
    from shapely.geometry import MultiPolygon, Polygon, mapping

    countries = gpd.read_file(SOURCE, layer="countries")
    features = []
    for code, shape in zip(countries["id"], countries.geometry, strict=True):
        if not code or shape is None:
            continue
        parts = _within_the_world(shape)
        kept = [p for p in parts if p.area >= MIN_AREA] or [max(parts, key=lambda p: p.area)]
        simple = [p.simplify(tolerance, preserve_topology=True) for p in kept]
        simple = [p for p in simple if isinstance(p, Polygon) and not p.is_empty]
        if not simple:
            continue
        geometry = mapping(MultiPolygon(simple))
        coordinates = [_rounded([list(map(list, ring)) for ring in polygon]) for polygon in geometry["coordinates"]]
        features.append(
            {
                "type": "Feature",
                "properties": {"id": str(code)},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    """Write the file and print its size and checksum for the sidecar."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tolerance", type=float, default=0.25, help="simplification tolerance in degrees")
    args = parser.parse_args()
    collection = build(args.tolerance)
    text = json.dumps(collection, separators=(",", ":")) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    count = len(collection["features"])  # type: ignore[arg-type]
    sys.stdout.write(f"{TARGET.relative_to(ROOT)}: {count} countries, {len(text):,} bytes, sha256 {digest}\n")


if __name__ == "__main__":
    main()
