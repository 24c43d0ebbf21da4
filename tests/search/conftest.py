"""Fixtures for the search feature: a searched place and providers placed at exact geodesic distances."""
from __future__ import annotations

import pytest
from geopy.distance import geodesic

from clinic_finder.geo.geocoding import Place

NEW_YORK = Place(40.7484, -73.9967, "New York, NY 10001", "NY", "10001")


@pytest.fixture
def new_york() -> Place:
    return NEW_YORK


def point_at(place: Place, miles: float, bearing: float = 0.0) -> tuple[float, float]:
    """The point `miles` geodesic miles from a place along a compass bearing."""
    p = geodesic(miles=miles).destination((place.lat, place.lon), bearing)
    return p.latitude, p.longitude


@pytest.fixture
def clinic_at(make_provider, new_york):
    """make a published in-clinic provider a given geodesic distance and bearing from New York."""

    def _make(miles: float, bearing: float = 0.0, name: str | None = None, **fields):
        lat, lon = point_at(new_york, miles, bearing)
        return make_provider(name, lat=lat, lon=lon, **fields)

    return _make
