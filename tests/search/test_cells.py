"""search_cell counts the middle of a circle: triggers keep it true on every write, the geometry never counts a
clinic outside the inner circle, and the totals it gives are the brute-force geodesic totals."""
from __future__ import annotations

import math
import random

import sqlalchemy as sa
from geopy.distance import geodesic

from clinic_finder.extensions import db
from clinic_finder.geo.geodesy import lon_band, unit_vector
from clinic_finder.models import ListingStatus, Location
from clinic_finder.search.cells import CELLS_PER_DEGREE, bands, cell_of, last_latitude_below
from clinic_finder.search.query import SearchQuery, find_providers

from .conftest import point_at


def _stored_cells() -> dict:
    rows = db.session.execute(sa.text("SELECT lon_band, lat_cell, clinics FROM search_cell WHERE clinics <> 0"))
    return {(band, cell): clinics for band, cell, clinics in rows}


def _recounted_cells() -> dict:
    counted: dict = {}
    for loc in db.session.scalars(sa.select(Location).where(Location.searchable.is_(True),
                                                             Location.is_only_location.is_(True))):
        key = (loc.lon_band, math.floor((loc.lat + 90.0) * CELLS_PER_DEGREE))
        counted[key] = counted.get(key, 0) + 1
    return counted


def test_triggers_keep_the_cells_true_through_every_kind_of_write(make_provider, clinic_at, new_york):
    clinics = [clinic_at(miles, bearing) for miles, bearing in ((1, 0), (2, 90), (3, 180), (12, 45), (20, 300))]
    assert _stored_cells() == _recounted_cells() and sum(_stored_cells().values()) == 5
    clinics[0].listing_status = ListingStatus.SUSPENDED  # leaves search
    clinics[1].locations[0].set_coordinates(*point_at(new_york, 40, 10), "test")  # moves to another cell
    second = Location(address_line1="2 Side St", city="New York", state="NY", zip_code="10001")
    second.set_coordinates(*point_at(new_york, 5, 200), "test")
    clinics[2].locations.append(second)  # now a provider with several clinics: counted apart
    db.session.commit()
    assert _stored_cells() == _recounted_cells() and sum(_stored_cells().values()) == 3
    db.session.delete(clinics[3])
    db.session.delete(clinics[2].locations[0])
    db.session.commit()
    assert _stored_cells() == _recounted_cells() and sum(_stored_cells().values()) == 3  # the 2nd site is alone now
    db.session.execute(sa.update(Location).values(searchable=False))  # a bulk write the ORM never sees
    assert _stored_cells() == {}


def test_interior_cells_lie_inside_the_inner_circle_and_bands_cover_the_outer(app):
    rng = random.Random(5)
    for _ in range(40):
        lat0, lon0 = rng.uniform(-60, 70), rng.uniform(-170, 170)
        outer, inner = math.radians(rng.uniform(0.05, 3)), None
        inner = outer * 0.985
        cos_outer, cos_inner = math.cos(outer), math.cos(inner)
        half = math.degrees(outer) / math.cos(math.radians(abs(lat0) + math.degrees(outer))) + 0.2
        found = bands(lat0, lon0, list(range(lon_band(lon0 - half), lon_band(lon0 + half) + 1)), cos_outer, cos_inner)
        by_band = {b.band: b for b in found}
        center = unit_vector(lat0, lon0)
        for b in found:
            for cell in range(b.cell_min, b.cell_max + 1):
                for _ in range(5):  # corners and random points of the cell
                    lat = (cell + rng.choice([0, 1, rng.random()])) / CELLS_PER_DEGREE - 90.0
                    lon = (b.band + rng.choice([0, 1, rng.random()])) / 10 - 180.0
                    assert sum(a * c for a, c in zip(unit_vector(lat, lon), center, strict=True)) >= cos_inner
        for _ in range(300):  # points of the outer circle fall in a band's latitudes
            bearing, angle = rng.uniform(0, 360), outer * math.sqrt(rng.random())
            p = geodesic(kilometers=angle * 6371.0088).destination((lat0, lon0), bearing)
            lat, lon = p.latitude, p.longitude
            if sum(a * c for a, c in zip(unit_vector(lat, lon), center, strict=True)) < cos_outer:
                continue
            b = by_band[lon_band(lon)]
            assert b.lat_min <= lat <= b.lat_max


def test_a_dense_town_counts_by_cells_what_a_brute_force_count_finds(make_provider, new_york):
    rng = random.Random(11)
    providers = []
    for i in range(400):
        lat, lon = point_at(new_york, 26 * math.sqrt(rng.random()), rng.uniform(0, 360))
        providers.append(make_provider(f"P{i}", lat=lat, lon=lon))
    for p in providers[::25]:  # some have a second clinic, inside or outside the circle
        lat, lon = point_at(new_york, rng.uniform(0, 40), rng.uniform(0, 360))
        extra = Location(address_line1="2 Side St", city="New York", state="NY", zip_code="10001")
        extra.set_coordinates(lat, lon, "test")
        p.locations.append(extra)
    db.session.commit()
    seen: list[str] = []

    def remember(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        for radius in (25, 10, 3):
            result = find_providers(SearchQuery(new_york, radius_mi=radius))
            expected = {p.id for p in providers if any(
                geodesic((new_york.lat, new_york.lon), (loc.lat, loc.lon)).miles <= radius for loc in p.locations)}
            assert result.in_clinic_total == len(expected)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    if db.engine.dialect.name == "sqlite":  # PostgreSQL's plain search reads the circle in its one statement
        assert any("search_cell" in statement for statement in seen)


def test_near_the_pole_and_across_180_degrees_the_count_still_matches_a_brute_force_one(make_provider):
    """Where a cap has no longitude box, search reads every band (no cells, no one statement): still exact."""
    from clinic_finder.geo.geocoding import Place

    rng = random.Random(3)
    for lat0, lon0 in ((89.8, 10.0), (-17.0, 179.95)):
        place = Place(lat0, lon0, "Somewhere remote", None, None)
        clinics = []
        for i in range(30):
            lat, lon = point_at(place, 40 * math.sqrt(rng.random()), rng.uniform(0, 360))
            clinics.append(make_provider(f"Remote {lat0} {i}", lat=lat, lon=lon))
        result = find_providers(SearchQuery(place, radius_mi=25, per_page=50))
        expected = sorted(p.id for p in clinics if geodesic(
            (lat0, lon0), (p.locations[0].lat, p.locations[0].lon)).miles <= 25)
        assert result.in_clinic_total == len(expected) > 0
        assert sorted(m.provider.id for m in result.matches) == expected


def test_an_edges_scan_stops_exactly_where_the_counted_cells_begin():
    rng = random.Random(8)
    for cell in [rng.randrange(1, 180 * CELLS_PER_DEGREE) for _ in range(3000)] + [1, 4500, 6537, 8999]:
        lat = last_latitude_below(cell)
        assert cell_of(lat) < cell <= cell_of(math.nextafter(lat, math.inf))
        assert abs(lat - (cell / CELLS_PER_DEGREE - 90.0)) < 1e-9


def test_clinics_on_the_cells_own_boundaries_are_counted_once(make_provider, new_york):
    """Latitudes a few last bits either side of where an interior cell begins or ends, in every band with interior
    cells: each clinic is counted by its cell or found by the edge's scan, never both, never neither."""
    radius = 25
    cos_outer = math.cos(radius / (1 - 0.0075) / 3958.7613)
    cos_inner = math.cos(radius / (1 + 0.0075) / 3958.7613)
    half = 1.0
    found = bands(new_york.lat, new_york.lon, list(range(lon_band(new_york.lon - half),
                                                         lon_band(new_york.lon + half) + 1)), cos_outer, cos_inner)
    providers = []
    for b in found:
        if b.cell_min > b.cell_max:
            continue
        lon = (b.band + 0.5) / 10 - 180.0
        for cell in (b.cell_min, b.cell_max + 1):
            edge = cell / CELLS_PER_DEGREE - 90.0  # where the cell begins, give or take the last bits
            for lat in _bits_around(edge, 4):
                providers.append(make_provider(f"Boundary {len(providers)}", lat=lat, lon=lon))
    db.session.commit()
    assert len(providers) >= 100
    expected = [p for p in providers
                if geodesic((new_york.lat, new_york.lon), (p.locations[0].lat, p.locations[0].lon)).miles <= radius]
    assert len(expected) == len(providers)  # the interior's own edges lie well inside the circle
    assert find_providers(SearchQuery(new_york, radius_mi=radius)).in_clinic_total == len(expected)


def _bits_around(value: float, bits: int) -> list[float]:
    out = [value]
    for direction in (-math.inf, math.inf):
        step = value
        for _ in range(bits):
            step = math.nextafter(step, direction)
            out.append(step)
    return out
