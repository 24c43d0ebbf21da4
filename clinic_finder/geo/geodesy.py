"""Small pure geometry helpers shared by geocoding and search (no Flask, no database)."""
from __future__ import annotations

import math

from pyproj import Geod

EARTH_RADIUS_MI = 3958.7613  # mean radius, for the spherical prefilter; exact cuts use geodesic_miles


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


METERS_PER_MILE = 1609.344


# Karney's algorithm for the WGS-84 geodesic, as geopy runs it through geographiclib, but PROJ's C implementation
# of it: about 1 µs a distance instead of 50 (cheaper than an approximation in Python), and the same result within
# 10 nanometres (tests/search/test_geodesy.py).
_GEOD = Geod(ellps="WGS84")


def geodesic_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The exact WGS-84 geodesic distance in miles."""
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / METERS_PER_MILE
