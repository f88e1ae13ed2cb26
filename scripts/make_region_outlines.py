#!/usr/bin/env python3
"""Derive the country outlines the docs map draws, once, from Natural Earth.

Input: `countries-50m.json` of the npm package world-atlas 2.0.2 (Natural Earth 1:50m
admin 0 countries as TopoJSON; `npm pack world-atlas@2.0.2`). Output:
`forcewatch/site/region_outlines.json`, the countries that touch the region's window,
decoded to plain rings of [lon, lat] rounded to 0.01 degree. The site ships this file, so
the map needs no tile server and no network.

Natural Earth is in the public domain; world-atlas is under the ISC licence.
Run: python3 scripts/make_region_outlines.py path/to/countries-50m.json
"""

import json
import sys
from pathlib import Path

WINDOW = (24.0, 10.0, 64.0, 44.0)  # lon min, lat min, lon max, lat max
OUT = Path(__file__).resolve().parents[1] / "forcewatch" / "site" / "region_outlines.json"


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices):
    points = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def main(path):
    topology = json.loads(Path(path).read_text())
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indices in polygon:
                points = ring(arcs, indices)
                lons, lats = [p[0] for p in points], [p[1] for p in points]
                if max(lons) < WINDOW[0] or min(lons) > WINDOW[2] or max(lats) < WINDOW[1] or min(lats) > WINDOW[3]:
                    continue
                rounded = []
                for lon, lat in points:
                    q = [round(lon, 2), round(lat, 2)]
                    if not rounded or rounded[-1] != q:
                        rounded.append(q)
                if len(rounded) >= 4:
                    rings.append(rounded)
        if rings:
            countries.append({"iso_numeric": geometry.get("id"), "name": geometry["properties"]["name"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    OUT.write_text(json.dumps({
        "source": "Natural Earth 1:50m admin 0 countries (public domain), via world-atlas 2.0.2 (ISC)",
        "window": WINDOW, "countries": countries}, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(countries)} countries, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
