"""Whether a case's geometry lies within an area (ZGW's ``zaakgeometrie.within`` search), for GeoJSON
points and polygons in WGS84 (EPSG:4326). Planar: at the size of a municipality the curvature of the
earth does not change the answer. Lines and collections are not judged (never within)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Position = Sequence[float]


def _in_ring(point: Position, ring: Sequence[Position]) -> bool:
    """Ray casting: a ray to the east crosses the ring's edges an odd number of times."""
    x, y = point[0], point[1]
    inside = False
    for (x1, y1, *_), (x2, y2, *_) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(point: Position, rings: Sequence[Sequence[Position]]) -> bool:
    return bool(rings) and _in_ring(point, rings[0]) and not any(_in_ring(point, hole) for hole in rings[1:])


def _points(geometry: dict[str, Any]) -> list[Position]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Point":
        return [coordinates]
    if kind == "MultiPoint":
        return list(coordinates)
    return []


def within(geometry: dict[str, Any] | None, area: dict[str, Any]) -> bool:
    points = _points(geometry or {})
    if not points:
        return False
    kind, coordinates = area.get("type"), area.get("coordinates") or []
    if kind == "Polygon":
        return all(_in_polygon(p, coordinates) for p in points)
    if kind == "MultiPolygon":
        return all(any(_in_polygon(p, polygon) for polygon in coordinates) for p in points)
    if kind == "Point":
        return all(list(p[:2]) == list(coordinates[:2]) for p in points)
    return False
