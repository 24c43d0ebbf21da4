"""Geocoding: offline by default over the shipped US data, online geocoders rate limited and cached."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from geopy import exc as geopy_exc
from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation

from clinic_finder.extensions import db
from clinic_finder.geo import geocoding
from clinic_finder.geo.geocoding import (
    AmbiguousPlace,
    GeocoderUnavailable,
    OfflineGeocoder,
    PlaceNotFound,
    place_for_point,
    resolve_place,
)
from clinic_finder.models import GeocodeCacheEntry


def test_the_offline_geocoder_follows_geopys_interface():
    found = OfflineGeocoder().geocode("10001")
    assert isinstance(found, GeopyLocation)
    assert found.address == "New York, NY 10001"
    assert (found.latitude, found.longitude) == (40.7484, -73.9967)
    assert found.raw["state"] == "NY"
    assert OfflineGeocoder().geocode("nowhere at all") is None
    assert len(OfflineGeocoder().geocode("Portland", exactly_one=False)) > 2


@pytest.mark.parametrize("text, label, state", [
    ("10001", "New York, NY 10001", "NY"),
    ("10001-1234", "New York, NY 10001", "NY"),
    ("Austin, TX", "Austin, TX", "TX"),
    ("austin tx", "Austin, TX", "TX"),
    ("Austin, Texas", "Austin, TX", "TX"),
    ("St. Louis, MO", "Saint Louis, MO", "MO"),
    ("Portland, ME", "Portland, ME", "ME"),
    # A street address falls back to its ZIP code, or to its town when it has none.
    ("350 Fifth Avenue, New York, NY 10118", "New York, NY 10118", "NY"),
    ("100 Congress Ave, Austin, TX", "Austin, TX", "TX"),
    ("1 Civic Plaza NW, Albuquerque", "Albuquerque, NM", "NM"),
])
def test_zip_codes_towns_and_addresses_resolve_offline(app, text, label, state):
    with app.app_context():
        place = resolve_place(text)
    assert (place.label, place.state) == (label, state)
    assert 18 < place.lat < 50 and -125 < place.lon < -66


def test_an_ambiguous_town_offers_the_choices_biggest_first(app):
    with app.app_context(), pytest.raises(AmbiguousPlace) as err:
        resolve_place("Portland")
    labels = [c.label for c in err.value.choices]
    assert labels[:2] == ["Portland, OR", "Portland, ME"]
    assert len(labels) == len(set(labels)) > 5


def test_an_unknown_place_is_not_found(app):
    with app.app_context(), pytest.raises(PlaceNotFound):
        resolve_place("Atlantis, ZZ")
    with app.app_context(), pytest.raises(PlaceNotFound):
        resolve_place("00000")


def test_a_point_is_placed_in_the_nearest_zip_codes_state():
    place = place_for_point(40.75, -73.99)
    assert place.state == "NY" and place.label.startswith("40.7500, -73.9900 (near New York, NY")
    assert place_for_point(38.0, -60.0).state is None  # the middle of the Atlantic


class FakeService(Geocoder):
    """Stands in for Nominatim: answers from a dict and counts calls (tests never touch the network)."""

    calls: list[str] = []
    answers = {"350 5th ave, new york": (40.7484, -73.9857, "Empire State Building, 350, 5th Avenue, NYC")}
    fail = False

    def __init__(self, user_agent=None, **kwargs):
        super().__init__(user_agent=user_agent)

    def geocode(self, query, **kwargs):
        FakeService.calls.append(query)
        if FakeService.fail:
            raise geopy_exc.GeocoderUnavailable("service down")
        hit = self.answers.get(query.lower())
        return GeopyLocation(hit[2], (hit[0], hit[1], 0), {}) if hit else None


@pytest.fixture
def online(app, db, monkeypatch):
    FakeService.calls, FakeService.fail = [], False
    monkeypatch.setattr(geocoding, "get_geocoder_for_service", lambda name: FakeService)
    monkeypatch.setitem(app.config, "GEOCODER", "nominatim")
    monkeypatch.setitem(app.config, "GEOCODER_MIN_DELAY_SECONDS", 0)
    app.extensions.pop("clinic_finder_geocoders", None)
    yield FakeService
    app.extensions.pop("clinic_finder_geocoders", None)


def test_an_online_geocoder_places_street_addresses_and_caches_the_answer(online):
    place = resolve_place("350 5th Ave, New York")
    assert (place.lat, place.lon, place.state) == (40.7484, -73.9857, "NY")
    assert place.label.startswith("Empire State Building")
    assert resolve_place("350  5th Ave, New York ") == place  # same query, differently spaced
    assert online.calls == ["350 5th Ave, New York"]
    [entry] = db.session.scalars(sa.select(GeocodeCacheEntry)).all()
    assert (entry.geocoder, entry.query) == ("nominatim", "350 5th ave, new york")


def test_online_geocoding_leaves_zip_codes_and_towns_offline(online):
    assert resolve_place("10001").zip_code == "10001"
    assert resolve_place("Austin, TX").state == "TX"
    assert online.calls == []


def test_a_place_the_service_does_not_know_is_cached_as_unknown(online):
    with pytest.raises(PlaceNotFound):
        resolve_place("1 Nowhere Lane, Xanadu")
    with pytest.raises(PlaceNotFound):
        resolve_place("1 Nowhere Lane, Xanadu")
    assert len(online.calls) == 1


def test_a_failing_service_is_reported_not_cached(online):
    online.fail = True
    with pytest.raises(GeocoderUnavailable):
        resolve_place("12 Unknown Road, Somewhere")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GeocodeCacheEntry)) == 0


def test_the_online_geocoder_is_wrapped_in_geopys_rate_limiter(app, online):
    from geopy.extra.rate_limiter import RateLimiter

    resolve_place("350 5th Ave, New York")
    [wrapper] = app.extensions["clinic_finder_geocoders"].values()
    assert isinstance(wrapper._geocode, RateLimiter) and isinstance(wrapper.geocoder, FakeService)


def test_an_unknown_geocoder_name_is_a_configuration_error():
    with pytest.raises(ValueError, match="not a geopy geocoder"):
        geocoding.CachedOnlineGeocoder("no-such-service", "test")


def test_the_nearest_zip_is_the_nearest_of_all_within_a_degree():
    """The grid's rings find what comparing every ZIP centroid finds (the same flat-earth measure)."""
    import math
    import random

    data = geocoding.us_data()
    standard = [z for z in data.by_zip.values() if z.kind == "STANDARD"]
    rng = random.Random(7)
    points = [(rng.uniform(25, 49), rng.uniform(-124, -67)) for _ in range(60)]
    points += [(z.lat + rng.uniform(-0.05, 0.05), z.lon + rng.uniform(-0.05, 0.05)) for z in rng.sample(standard, 60)]
    points += [(61.2, -149.9), (21.3, -157.85), (47.0, -130.0)]  # Anchorage, Honolulu, the Pacific off Washington
    # Beside the grid's lines (a fifth of a degree), where the nearest ZIP is often across a cell's side.
    for z in rng.sample(standard, 80):
        lat_line, lon_line = round(z.lat * 5) / 5, round(z.lon * 5) / 5
        nudge = rng.choice([-1e-6, 0.0, 1e-6])
        points += [(lat_line + nudge, z.lon), (z.lat, lon_line - nudge), (lat_line - nudge, lon_line + nudge)]
    for lat, lon in points:
        shrink = math.cos(math.radians(lat)) ** 2

        def score(z, lat=lat, lon=lon, shrink=shrink):
            return (z.lat - lat) ** 2 + (z.lon - lon) ** 2 * shrink

        nearest = min(standard, key=score)
        found = data.nearest_zip(lat, lon)
        if score(nearest) <= shrink:  # within a degree every way: always found
            assert found is not None and score(found[0]) == score(nearest), (lat, lon)
        elif found is not None:  # farther out (the sea): a ZIP close by, or none
            assert abs(found[0].lat - lat) < 1.5 and abs(found[0].lon - lon) < 1.5, (lat, lon)
