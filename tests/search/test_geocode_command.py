"""`flask geocode` fills in missing coordinates, makes the clinics searchable, and reports what it could not place."""
from __future__ import annotations

from clinic_finder.extensions import db
from clinic_finder.search.query import SearchQuery, find_providers


def test_geocode_fills_in_missing_coordinates(runner, make_provider, new_york):
    done = make_provider("Has coordinates", lat=40.0, lon=-75.0)
    missing = make_provider("Missing", lat=None, lon=None, zip_code="10001")
    unknown = make_provider("Unknown ZIP", lat=None, lon=None, city="Nowhere", state="ZZ", zip_code="00000")
    assert find_providers(SearchQuery(new_york)).total == 0
    result = runner.invoke(args=["geocode"])
    assert result.exit_code == 1, result.output
    assert "Geocoded 1 location(s); 1 could not be placed." in result.output
    assert "Geocoding 2 location(s) (offline)" in result.output
    assert f"location {unknown.locations[0].id}:" in result.output
    db.session.expire_all()
    loc = missing.locations[0]
    assert (loc.lat, loc.lon, loc.geocode_source) == (40.7484, -73.9967, "offline")
    assert loc.searchable
    assert done.locations[0].lat == 40.0  # already placed: left alone
    assert [m.provider.name for m in find_providers(SearchQuery(new_york)).matches] == ["Missing"]


def test_geocode_with_nothing_to_do_succeeds(runner, make_provider):
    make_provider()
    result = runner.invoke(args=["geocode"])
    assert result.exit_code == 0 and "Geocoded 0 location(s); 0 could not be placed." in result.output
