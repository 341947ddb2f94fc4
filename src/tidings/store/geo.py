"""Distances on the globe: a cheap bounding box for SQL, the exact great circle in Python."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    lat: float, lon: float, radius_km: float
) -> tuple[tuple[float, float], list[tuple[float, float]] | None]:
    """((lat_min, lat_max), lon ranges) holding every point within ``radius_km``.

    Lon ranges are None when the circle reaches a pole (every longitude qualifies), and
    two ranges when it crosses the antimeridian.
    """
    dlat = radius_km / _KM_PER_DEGREE
    lat_min, lat_max = lat - dlat, lat + dlat
    if lat_min <= -90 or lat_max >= 90:
        return (max(lat_min, -90.0), min(lat_max, 90.0)), None
    # the widest point of the circle in longitude; asin form is exact for a sphere
    ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
    if ratio >= 1:
        return (lat_min, lat_max), None
    dlon = math.degrees(math.asin(ratio))
    lo, hi = lon - dlon, lon + dlon
    if lo < -180:
        return (lat_min, lat_max), [(lo + 360, 180.0), (-180.0, hi)]
    if hi > 180:
        return (lat_min, lat_max), [(lo, 180.0), (-180.0, hi - 360)]
    return (lat_min, lat_max), [(lo, hi)]
