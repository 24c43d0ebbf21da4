"""Small pure geometry helpers shared by geocoding and search (no Flask, no database)."""
from __future__ import annotations

import math

from pyproj import Geod

EARTH_RADIUS_MI = 3958.7613  # mean radius; exact cuts use geopy's WGS-84 geodesic


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere for a latitude/longitude in degrees."""
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


# Locations are indexed by tenth-of-a-degree longitude band, then latitude: a radius search reads a few short runs of
# the index (one per band) instead of every location in its latitude band from coast to coast. Narrower bands waste
# less of each run beside the circle (half-degree bands read about 1.5 times as many index entries at 25 miles).
LON_BANDS_PER_DEGREE = 10


def lon_band(lon: float) -> int:
    return min(360 * LON_BANDS_PER_DEGREE - 1, int(math.floor((lon + 180.0) * LON_BANDS_PER_DEGREE)))


# WGS-84, as geopy's geodesic uses it.
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
METERS_PER_MILE = 1609.344
# Andoyer–Lambert is within about 1e-5 of the WGS-84 geodesic over US distances (tests/search/test_geo_math.py);
# search trusts it only when a distance is further than this fraction from the cut it is compared with.
APPROX_RELATIVE_ERROR = 1e-4
APPROX_ABSOLUTE_ERROR_MI = 1e-6


def approx_geodesic_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Andoyer–Lambert distance on WGS-84: a few microseconds, where an exact geodesic takes a hundred."""
    b1 = math.atan((1 - WGS84_F) * math.tan(math.radians(lat1)))
    b2 = math.atan((1 - WGS84_F) * math.tan(math.radians(lat2)))
    dlon = math.radians(lon2 - lon1)
    h = math.sin((b2 - b1) / 2) ** 2 + math.cos(b1) * math.cos(b2) * math.sin(dlon / 2) ** 2
    sigma = 2 * math.asin(min(1.0, math.sqrt(h)))
    if sigma < 1e-12:
        return 0.0
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    x = (sigma - math.sin(sigma)) * (math.sin(p) * math.cos(q)) ** 2 / math.cos(sigma / 2) ** 2
    y = (sigma + math.sin(sigma)) * (math.cos(p) * math.sin(q)) ** 2 / math.sin(sigma / 2) ** 2
    return WGS84_A * (sigma - WGS84_F / 2 * (x + y)) / METERS_PER_MILE


# Karney's algorithm for the WGS-84 geodesic, as geopy runs it through geographiclib, but PROJ's C implementation
# of it: about 1 µs a distance instead of 50, and the same result within 10 nanometres (tests/search/test_geo_math.py).
_GEOD = Geod(ellps="WGS84")


def geodesic_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The exact WGS-84 geodesic distance in miles."""
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / METERS_PER_MILE
