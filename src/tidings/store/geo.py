"""Distances on the globe: the one distance filter of every event query (SQL), and the
great-circle distance in Python.

The SQL filter is a bounding box the lat/lon index can use (split in two where it crosses
the antimeridian, every longitude where it reaches a pole) and then the exact haversine
test. The haversine needs only ``sin`` and ``cos``: PostgreSQL has them, and so does
SQLite when built with its math functions; ``add_sqlite_math`` supplies them otherwise.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import and_, func, or_

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


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
    dlat = radius_km / KM_PER_DEGREE
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


def within_km(lat_col: Any, lon_col: Any, lat: float, lon: float, radius_km: float) -> Any:
    """SQL: the point (lat_col, lon_col) lies within ``radius_km`` of (lat, lon) on the
    great circle. Points without coordinates never match."""
    (lat_min, lat_max), lon_ranges = bounding_box(lat, lon, radius_km)
    cond = [lat_col.between(lat_min, lat_max), lon_col.is_not(None)]
    if lon_ranges:
        cond.append(or_(*(lon_col.between(lo, hi) for lo, hi in lon_ranges)))
    half_angle = radius_km / (2 * EARTH_RADIUS_KM)
    if half_angle < math.pi / 2:  # else the circle covers the globe
        # haversine: sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) <= sin²(r / 2R); sin² of half
        # the longitude difference is the same either way round the antimeridian
        rad = math.pi / 180
        phi, lam = math.radians(lat), math.radians(lon)
        dphi = func.sin((lat_col * rad - phi) / 2)
        dlam = func.sin((lon_col * rad - lam) / 2)
        hav = dphi * dphi + math.cos(phi) * func.cos(lat_col * rad) * dlam * dlam
        cond.append(hav <= math.sin(half_angle) ** 2)
    return and_(*cond)


def add_sqlite_math(dbapi_conn: Any) -> None:
    """Give a sqlite3 connection ``sin`` and ``cos`` if its SQLite lacks math functions."""
    import sqlite3

    try:
        dbapi_conn.execute("SELECT sin(0), cos(0)").fetchall()
    except sqlite3.OperationalError:
        for name, fn in (("sin", math.sin), ("cos", math.cos)):
            dbapi_conn.create_function(name, 1, lambda x, fn=fn: None if x is None else fn(x),
                                       deterministic=True)
