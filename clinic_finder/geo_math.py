"""Small pure geometry helpers shared by geocoding and search (no Flask, no database)."""
from __future__ import annotations

import math

EARTH_RADIUS_MI = 3958.7613  # mean radius; exact cuts use geopy's WGS-84 geodesic


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere for a latitude/longitude in degrees."""
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
