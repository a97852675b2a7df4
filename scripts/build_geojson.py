"""Build data/geo/chengdu_districts.geojson: Chengdu's 20 districts/counties, simplified.

Run once at build time, in a throwaway virtualenv (cnmaps pulls ~930 MB of geo packages, so it
is not a runtime requirement; the generated GeoJSON is committed):

    python3 -m venv /tmp/cnmaps-venv && /tmp/cnmaps-venv/bin/pip install cnmaps shapely
    /tmp/cnmaps-venv/bin/python scripts/build_geojson.py

Source: cnmaps (高德, GCJ-02 coordinates). `shapely.coverage_simplify` keeps shared borders
shared; exterior rings are clockwise (the d3-geo convention plotly uses); coordinates are rounded to 4 decimals (~10 m). Each feature has `name` (official name,
e.g. 郫都区), `lon`/`lat` (a label point inside the shape) and `kind` (区/县/市).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "chengdu_districts.geojson"


def _round(coords, nd: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], nd), round(coords[1], nd)]
    return [_round(c, nd) for c in coords]


def build(tolerance: float = 0.005, digits: int = 4) -> dict:
    """A GeoJSON FeatureCollection of Chengdu's districts (requires cnmaps and shapely >= 2.1)."""
    import shapely
    from cnmaps import get_adm_maps
    from shapely.geometry import mapping

    records = get_adm_maps(city="成都市", level="区县", record="all", only_polygon=False)
    names = [r["district"] for r in records]
    import numpy as np

    geoms = np.empty(len(records), dtype=object)  # an object array: a list of multipolygons confuses numpy
    geoms[:] = [shapely.make_valid(shapely.from_wkb(r["geometry"].wkb)) for r in records]  # cnmaps MapPolygon -> shapely
    simplified = shapely.coverage_simplify(geoms, tolerance)
    features = []
    for name, geom in zip(names, simplified, strict=True):
        # d3-geo (plotly's geo traces) wants clockwise exterior rings, unlike RFC 7946:
        # counter-clockwise rings would fill the whole globe except the district.
        geom = shapely.orient_polygons(shapely.make_valid(geom), exterior_cw=True)
        point = geom.representative_point()
        features.append({
            "type": "Feature",
            "properties": {"name": name, "kind": name[-1], "lon": round(point.x, digits),
                           "lat": round(point.y, digits)},
            "geometry": {**mapping(geom), "coordinates": _round(mapping(geom)["coordinates"], digits)},
        })
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "name": "chengdu_districts",
            "source": "cnmaps get_adm_maps(city='成都市', level='区县'), 高德 (GCJ-02), simplified",
            "features": features}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    ap.add_argument("--tolerance", type=float, default=0.005)
    args = ap.parse_args()
    fc = build(args.tolerance)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(fc['features'])} districts -> {args.output} ({args.output.stat().st_size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
