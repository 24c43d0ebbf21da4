"""The geometry search relies on: unit vectors, longitude bands, and an exact distance equal to geopy's."""
from __future__ import annotations

import random

from geopy.distance import geodesic

from clinic_finder.geo.geodesy import geodesic_miles, lon_band, unit_vector


def test_unit_vectors_and_longitude_bands():
    assert unit_vector(0, 0) == (1.0, 0.0, 0.0)
    assert lon_band(-180) == 0 and lon_band(179.999) == 3599 and lon_band(180) == 3599
    assert lon_band(-74.0) == lon_band(-73.95) != lon_band(-74.05)


def test_the_exact_distance_is_geopys_geodesic_within_ten_nanometres():
    rng = random.Random(11)
    pairs = [((40.7484, -73.9967), (40.7484, -73.9967)), ((0, 0), (0, 179.5)), ((64.8, -147.7), (19.7, -155.1))]
    for _ in range(2000):
        lat, lon = rng.uniform(-80, 80), rng.uniform(-180, 180)
        pairs.append(((lat, lon), (max(-90, min(90, lat + rng.uniform(-30, 30))), rng.uniform(-180, 180))))
    for a, b in pairs:
        assert abs(geodesic_miles(*a, *b) - geodesic(a, b).miles) < 1e-8 / 1609.344, (a, b)
