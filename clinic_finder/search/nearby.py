"""Clinics within a radius of a point: the query plan behind the in-clinic list (numbers in bench/README.md).

One covering index on location (searchable, longitude band, lat, lon, unit vector, provider) is read as a few short
range scans; a dot product of unit vectors is the spherical distance test, in plain SQL. The WGS-84 geodesic and the
sphere differ by under 0.52% over the US, so rows inside r/(1+margin) are certainly in, rows beyond r/(1-margin)
certainly out, and only the thin ring between is checked in Python. A plain search counts the middle of the circle
from search_cell and scans only its edge (cells.py). Pages come from a nearest-first walk widened by the same
margin; the final order is (sort key, geodesic distance, id).

Callers see count_in_clinic (the total), InClinic.page (one page, named rows) and not_listed_nearby (for the
at-home list: "this provider has no clinic in the circle"); the SQL expressions and the circle stay in here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import orjson
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import Place
from clinic_finder.geo.geodesy import EARTH_RADIUS_MI, geodesic_miles, lon_band, unit_vector
from clinic_finder.models import Location, Provider
from clinic_finder.search import cells
from clinic_finder.search.id_lists import in_ids, not_in_ids

# WGS-84 geodesic distances differ from great-circle distances on the mean-radius sphere by at most about
# 0.52% over the US (measured: ratio 0.9948–1.0042). The spherical test uses a wider margin so it never drops a
# provider the geodesic would keep; the geodesic then makes the exact cut.
SPHERE_MARGIN = 0.0075
_EVERY_BAND = list(range(lon_band(-180), lon_band(180) + 1))  # built once: most searches never need it


def _tuple_cmp(columns: list, values: tuple, strict: bool):
    """(c1, c2, ...) < (v1, v2, ...) (or =), spelled out so SQLite and PostgreSQL read it the same way."""
    if not strict:
        return sa.and_(*(c == v for c, v in zip(columns, values, strict=True)))
    clauses = []
    for i, (c, v) in enumerate(zip(columns, values, strict=True)):
        clauses.append(sa.and_(*(columns[j] == values[j] for j in range(i)), c < v))
    return sa.or_(*clauses)


# The searched point's unit vector and the cap's bounds are bound parameters, so the statements of a plain search
# (no filters) are built once per process and reused: building SQL expressions costs more than running them.
_SEARCHED_X, _SEARCHED_Y, _SEARCHED_Z = (sa.bindparam(name, type_=sa.Float)
                                         for name in ("searched_x", "searched_y", "searched_z"))


def sphere_cos(location) -> sa.ColumnElement[float]:
    """The cosine of the angle between a clinic (Location or an alias) and the searched point: 1 at the point,
    smaller further away."""
    return location.x * _SEARCHED_X + location.y * _SEARCHED_Y + location.z * _SEARCHED_Z


_SPHERE_COS = sphere_cos(Location)
_STATEMENTS: dict[tuple, sa.Select] = {}


class NearbyClinic(NamedTuple):
    """A provider in the circle, at its nearest clinic."""

    provider_id: int
    distance_mi: float  # WGS-84 geodesic miles
    location_id: int


def _cap(name: str) -> list:
    """sphere_cos >= {name}_min_cos inside an index-friendly box: longitude bands, then latitude and longitude.

    The bands are bound as one value (search/id_lists.py: a JSON array on SQLite, an array on PostgreSQL), so the
    statement's text does not change with their number: neither SQLAlchemy (an expanding IN is rewritten on every
    execution) nor PostgreSQL's planner sees a new statement.
    """
    def bound(what):
        return sa.bindparam(f"{name}_{what}", type_=sa.Float)

    return [
        Location.searchable.is_(True),
        in_ids(Location.lon_band, f"{name}_lon_bands"),
        Location.lat.between(bound("lat_min"), bound("lat_max")),
        Location.lon.between(bound("lon_min"), bound("lon_max")),
        _SPHERE_COS >= bound("min_cos"),
    ]


cap_clauses = _cap  # for single_statement.py, which reads the same caps in one statement


def has_longitude_box(lon_bands: list[int]) -> bool:
    """A cap's bands are a box's (not every band: near a pole or across 180°)."""
    return lon_bands is not _EVERY_BAND


def _cos_of_miles(miles: float) -> float:
    return math.cos(min(math.pi, miles / EARTH_RADIUS_MI))


class _Circle:
    """The searched circle: its SQL (caps of chosen spherical radii) and its distances."""

    def __init__(self, place: Place, radius_mi: float, provider_clauses: list, accepting_only: bool = False):
        """provider_clauses: the search's filters on Provider; accepting_only: clinics accepting new patients."""
        self.place, self.radius_mi, self.accepting_only = place, radius_mi, accepting_only
        x, y, z = unit_vector(place.lat, place.lon)
        self.params = {"searched_x": x, "searched_y": y, "searched_z": z}
        # Inside the inner sphere radius a clinic is certainly within the geodesic radius; beyond the outer, out.
        self.cos_inner = _cos_of_miles(radius_mi / (1 + SPHERE_MARGIN))
        self.cos_outer = _cos_of_miles(radius_mi / (1 - SPHERE_MARGIN))
        self.provider_clauses = provider_clauses
        self.plain = not provider_clauses and not accepting_only

    def cap_params(self, name: str, min_cos: float) -> dict:
        reach = math.acos(max(-1.0, min(1.0, min_cos))) * 1.001 + 1e-9  # radians on the sphere
        dlat = math.degrees(reach)
        lat_min, lat_max = self.place.lat - dlat, self.place.lat + dlat
        box = {f"{name}_min_cos": min_cos, f"{name}_lat_min": lat_min, f"{name}_lat_max": lat_max,
               f"{name}_lon_bands": _EVERY_BAND, f"{name}_lon_min": -180.0, f"{name}_lon_max": 180.0}
        widest = max(abs(lat_min), abs(lat_max))
        if widest < 89:
            dlon = math.degrees(reach / math.cos(math.radians(widest)))
            lon_min, lon_max = self.place.lon - dlon, self.place.lon + dlon
            if dlon < 180 and -180 <= lon_min and lon_max <= 180:  # else near a pole or across 180°: no lon box
                box.update({f"{name}_lon_bands": list(range(lon_band(lon_min), lon_band(lon_max) + 1)),
                            f"{name}_lon_min": lon_min, f"{name}_lon_max": lon_max})
        return box

    def statement(self, key: tuple, build, need_provider: bool = False) -> sa.Select:
        """build() makes the statement over locations; filters are added here. Plain ones are cached."""
        def full() -> sa.Select:
            stmt = build()
            if self.accepting_only:
                stmt = stmt.where(Location.accepting_new_patients.is_(True))
            if self.provider_clauses or need_provider:
                stmt = stmt.join(Provider, Provider.id == Location.provider_id).where(*self.provider_clauses)
            return stmt

        if not self.plain:
            return full()
        stmt = _STATEMENTS.get(key)
        if stmt is None:
            stmt = _STATEMENTS[key] = full()
        return stmt

    def execute(self, stmt: sa.Select, caps: dict[str, float], **extra):
        """caps: {cap name: its min_cos}."""
        params = dict(self.params, **extra)
        for name, min_cos in caps.items():
            params.update(self.cap_params(name, min_cos))
        # Plain rows, no ORM entities: the session's connection skips the ORM's per-statement bookkeeping.
        return db.session.connection().execute(stmt, params)

    def distance(self, lat: float, lon: float) -> float:
        """The exact WGS-84 geodesic, by the algorithm geopy uses (about 1 µs: cheap enough for every candidate)."""
        return geodesic_miles(self.place.lat, self.place.lon, lat, lon)


@dataclass
class InClinic:
    """The in-clinic matches of a search: how many, and a page of them on demand."""

    total: int
    _circle: _Circle
    # Clinics in the ring where sphere and ellipsoid may disagree that are within the radius.
    _ring_clinics: list[NearbyClinic] = field(default_factory=list)
    _ring_provider_ids: set[int] = field(default_factory=set)  # providers found only through the ring

    def exclusion_params(self) -> dict:
        """Bind values for not_listed_nearby's clauses: this circle, and the providers found in its ring."""
        return dict(self._circle.params, nearby_min_cos=self._circle.cos_inner,
                    ring_provider_ids=sorted(self._ring_provider_ids))

    def page(self, sort_columns: list, sort_name: str, offset: int, limit: int,
             walked: list[WalkedClinic] | None = None) -> list[NearbyClinic]:
        """Positions [offset, offset+limit) of the list, each provider at its nearest clinic in the circle.

        sort_columns: Provider expressions ordered ascending before distance (none: nearest first), named sort_name
        (the statements are cached under it). walked: the first walk_row_limit(offset + limit) clinics of the inner
        circle nearest first, when a statement already read them (the walk goes on in SQL only if they are short).
        """
        walk = _Walk(self, sort_columns, sort_name, offset + limit)
        if walked is None:
            walk.run()
        else:
            walk.take(walked)
        nearest = _nearest_clinics(self._circle, walk.pool_rows(), self._ring_clinics)
        ordered = sorted((_sort_keys(sort_columns, nearest).get(c.provider_id, ()), c.distance_mi, c.provider_id,
                          c.location_id) for c in nearest.values())
        return [NearbyClinic(provider_id, miles, location_id)
                for _key, miles, provider_id, location_id in ordered[offset:offset + limit]]


def count_in_clinic(place: Place, radius_mi: float, provider_clauses: list,
                    accepting_only: bool = False) -> InClinic:
    """The in-clinic matches within radius_mi of place (provider_clauses: the search's filters on Provider)."""
    circle = _Circle(place, radius_mi, provider_clauses, accepting_only)
    by_cells = _count_by_cells(circle) if circle.plain else None
    if by_cells is not None:
        certain, ring_clinics, ring_only, already = by_cells
    else:
        certain, ring_clinics, ring_only = _count_by_scan(circle)
        already = set()
    # A provider with several clinics may already be counted through one inside the inner circle.
    multi_site = [provider_id for provider_id, only in ring_only.items() if not only]
    if multi_site and by_cells is None:
        multi_stmt = circle.statement(("multi",), lambda: sa.select(Location.provider_id).distinct().where(
            *_cap("inner"), in_ids(Location.provider_id, "ring_provider_ids")))
        already = set(circle.execute(multi_stmt, {"inner": circle.cos_inner},
                                     ring_provider_ids=multi_site).scalars())
    ring_provider_ids = set(ring_only) - already
    return InClinic(certain + len(ring_provider_ids), circle, ring_clinics, ring_provider_ids)


def _count_by_cells(circle: _Circle) -> tuple[int, list[NearbyClinic], dict[int, bool], set[int]] | None:
    """Providers certainly in, and the ring measured, in one statement that reads search_cell for the middle of
    the circle and the index only near its edge (search/cells.py); None where there is no such plan."""
    stmt = cells.count_statement(db.session.get_bind().dialect.name)
    outer = circle.cap_params("outer", circle.cos_outer)
    if stmt is None or not has_longitude_box(outer["outer_lon_bands"]):
        return None  # near a pole or across 180°: the scan below
    params = dict(circle.params, **circle.cap_params("inner", circle.cos_inner), cos_inner=circle.cos_inner,
                  cos_outer=circle.cos_outer, **cells.count_params(
                      circle.place.lat, circle.place.lon, outer["outer_lon_bands"], circle.cos_outer, circle.cos_inner))
    row = db.session.connection().execute(stmt, params).one()
    ring = [RingClinic(*item) for item in (orjson.loads(row.ring) if isinstance(row.ring, str) else row.ring or [])]
    ring_clinics, ring_only = _measured_ring(circle, ring)
    already = {clinic.provider_id for clinic in ring if clinic.inside_too}
    return int(row.interior) + int(row.edge_single_site) + int(row.multi_site), ring_clinics, ring_only, already


def _count_by_scan(circle: _Circle) -> tuple[int, list[NearbyClinic], dict[int, bool]]:
    ring_clinics, ring_only = _ring(circle)
    count_stmt = circle.statement(("count",), lambda: sa.select(
        sa.func.coalesce(sa.func.sum(sa.case((Location.is_only_location.is_(True), 1), else_=0)), 0)
        .label("single_site_providers"),
        sa.func.count(sa.distinct(sa.case((Location.is_only_location.is_(False), Location.provider_id))))
        .label("multi_site_providers"),
    ).where(*_cap("inner")))
    counts = circle.execute(count_stmt, {"inner": circle.cos_inner}).one()
    return int(counts.single_site_providers) + int(counts.multi_site_providers), ring_clinics, ring_only


class RingClinic(NamedTuple):
    """A clinic between the inner and outer spherical radii, and whether its provider also has one inside."""

    id: int
    provider_id: int
    lat: float
    lon: float
    is_only_location: bool
    inside_too: bool = False


class WalkedClinic(NamedTuple):
    """A clinic of the inner circle as the walk reads them, nearest first."""

    provider_id: int
    sphere_cos: float
    id: int
    lat: float
    lon: float


def counted_in_clinic(place: Place, radius_mi: float, certain: int, ring_clinics: list[RingClinic]) -> InClinic:
    """The matches of a plain search from what one statement read: `certain` providers inside the inner circle,
    and the ring's clinics, each knowing whether its provider is already among them (single_statement.py)."""
    circle = _Circle(place, radius_mi, [])
    clinics, ring_only = _measured_ring(circle, ring_clinics)
    already = {row.provider_id for row in ring_clinics if row.inside_too}
    ring_provider_ids = set(ring_only) - already
    return InClinic(certain + len(ring_provider_ids), circle, clinics, ring_provider_ids)


def circle_of(place: Place, radius_mi: float) -> _Circle:
    return _Circle(place, radius_mi, [])


def _ring(circle: _Circle) -> tuple[list[NearbyClinic], dict[int, bool]]:
    """The ring between the inner and outer spherical radii, where the ellipsoid may disagree, checked exactly.

    Returns its clinics within the radius, and for each of their providers whether all it has are single sites.
    """
    ring_stmt = circle.statement(("ring",), lambda: sa.select(
        Location.id, Location.provider_id, Location.lat, Location.lon, Location.is_only_location,
    ).where(*_cap("ring"), _SPHERE_COS < sa.bindparam("ring_max_cos", type_=sa.Float)))
    return _measured_ring(circle, circle.execute(ring_stmt, {"ring": circle.cos_outer}, ring_max_cos=circle.cos_inner))


def _measured_ring(circle: _Circle, rows) -> tuple[list[NearbyClinic], dict[int, bool]]:
    clinics: list[NearbyClinic] = []
    only_location: dict[int, bool] = {}
    for row in rows:
        miles = circle.distance(row.lat, row.lon)
        if miles <= circle.radius_mi:
            clinics.append(NearbyClinic(row.provider_id, miles, row.id))
            only_location[row.provider_id] = only_location.get(row.provider_id, True) and row.is_only_location
    return clinics, only_location


def walk_row_limit(want: int) -> int:
    """Rows a walk for `want` providers reads at first: enough that the widened pool below is usually among them
    already (one statement instead of two)."""
    return want + want // 4 + 16


class _Walk:
    """Walk the inner circle in SQL order (sort columns, then spherical distance) until `want` providers are seen.

    Nearest first, the walk starts in a small circle sized for `want` providers at this density, and widens.
    The provider at position `want` is the boundary: only clinics that could rank before it need a geodesic.
    """

    def __init__(self, found: InClinic, sort_columns: list, sort_name: str, want: int):
        self.circle, self.sort_columns, self.sort_name, self.want = found._circle, sort_columns, sort_name, want
        radius_mi = self.circle.radius_mi
        self.walk_mi = radius_mi if sort_columns else radius_mi * min(1.0, 1.5 * math.sqrt(want / max(found.total, 1)))
        self.row_limit = walk_row_limit(want)
        self.rows: list = []
        self.boundary = None
        self.walk_cos = self.circle.cos_inner

    def statement(self) -> sa.Select:
        sort_keys = [column.label(f"sort_key_{i}") for i, column in enumerate(self.sort_columns)]
        return self.circle.statement(("walk", self.sort_name), lambda: sa.select(
            Location.provider_id, _SPHERE_COS.label("sphere_cos"), Location.id, Location.lat, Location.lon, *sort_keys,
        ).where(*_cap("walk")).order_by(*self.sort_columns, _SPHERE_COS.desc(), Location.id)
            .limit(sa.bindparam("walk_row_limit", type_=sa.Integer)), bool(self.sort_columns))

    def run(self) -> None:
        stmt = self.statement()
        while True:
            self.walk_cos = max(self.circle.cos_inner, math.cos(self.walk_mi / (1 + SPHERE_MARGIN) / EARTH_RADIUS_MI))
            self.rows = self.circle.execute(stmt, {"walk": self.walk_cos}, walk_row_limit=self.row_limit).all()
            self.boundary = self._boundary()
            if self.boundary is not None:
                return
            if len(self.rows) == self.row_limit:
                self.row_limit *= 4
            elif self.walk_cos > self.circle.cos_inner:
                self.walk_mi *= 2
            else:
                return  # the whole inner circle holds fewer than `want` providers

    def take(self, rows: list[WalkedClinic]) -> None:
        """Walk on from rows a statement read over the whole inner circle (row_limit of them at most)."""
        self.rows, self.walk_cos = rows, self.circle.cos_inner
        self.boundary = self._boundary()
        if self.boundary is None and len(rows) == self.row_limit:  # multi-site providers filled the rows
            self.walk_mi, self.row_limit = self.circle.radius_mi, self.row_limit * 4
            self.run()

    def _boundary(self):
        seen: set[int] = set()
        for row in self.rows:
            seen.add(row.provider_id)
            if len(seen) == self.want:
                return row
        return None

    def _walked_all_within(self, min_cos: float) -> bool:
        """The walk's rows already hold every clinic with sphere_cos >= min_cos."""
        return len(self.rows) < self.row_limit and self.walk_cos <= min_cos

    def pool_rows(self) -> list:
        """Clinics (id, provider_id, lat, lon) that could rank up to the boundary: from the walk, or one statement."""
        circle = self.circle
        pool_stmt = circle.statement(("pool", self.sort_name), lambda: sa.select(
            Location.id, Location.provider_id, Location.lat, Location.lon).where(*_cap("pool")),
            bool(self.sort_columns))
        pool_cos = circle.cos_inner
        if self.boundary is None:
            if self._walked_all_within(circle.cos_inner):  # the whole inner circle is needed, and was walked
                return self.rows
        else:
            # Anything that could rank before the boundary geodesically is within this widened spherical radius.
            angle = math.acos(max(-1.0, min(1.0, self.boundary.sphere_cos)))
            widened_cos = math.cos(min(math.pi, angle * (1 + SPHERE_MARGIN) / (1 - SPHERE_MARGIN)))
            if self.sort_columns:
                keys = tuple(self.boundary._mapping[f"sort_key_{i}"] for i in range(len(self.sort_columns)))
                pool_stmt = pool_stmt.where(sa.or_(
                    _tuple_cmp(self.sort_columns, keys, strict=True),
                    sa.and_(_tuple_cmp(self.sort_columns, keys, strict=False), _SPHERE_COS >= widened_cos)))
            else:
                pool_cos = max(circle.cos_inner, widened_cos)
                # Rows come nearest first: once one lies outside the pool's circle, the walk already holds the pool.
                if self.rows[-1].sphere_cos < pool_cos or self._walked_all_within(pool_cos):
                    return [row for row in self.rows if row.sphere_cos >= pool_cos]
        return circle.execute(pool_stmt, {"pool": pool_cos}).all()


def _nearest_clinics(circle: _Circle, pool_rows: list, ring_clinics: list[NearbyClinic]) -> dict[int, NearbyClinic]:
    """Each candidate provider's nearest clinic within the radius; ring clinics were measured while counting."""
    measured = [NearbyClinic(row.provider_id, circle.distance(row.lat, row.lon), row.id) for row in pool_rows]
    nearest: dict[int, NearbyClinic] = {}
    for clinic in (*measured, *ring_clinics):
        best = nearest.get(clinic.provider_id)
        if clinic.distance_mi <= circle.radius_mi and (
                best is None or (clinic.distance_mi, clinic.location_id) < (best.distance_mi, best.location_id)):
            nearest[clinic.provider_id] = clinic
    return nearest


def _sort_keys(sort_columns: list, nearest: dict[int, NearbyClinic]) -> dict[int, tuple]:
    """The sort key of each provider found (none for a distance sort)."""
    if not sort_columns or not nearest:
        return {}
    keys = [column.label(f"sort_key_{i}") for i, column in enumerate(sort_columns)]
    rows = db.session.execute(sa.select(Provider.id.label("provider_id"), *keys).where(Provider.id.in_(nearest)))
    return {row.provider_id: tuple(row[1:]) for row in rows}


def not_listed_nearby(provider_id, accepting_only: bool) -> list:
    """Clauses for the at-home list: the provider (by its id column) is not already listed as a nearby clinic.

    One provider's clinics: its own index is the way in. Bind values come from InClinic.exclusion_params().
    """
    nearby = sa.select(Location.id).where(Location.provider_id == provider_id, Location.searchable.is_(True),
                                          _SPHERE_COS >= sa.bindparam("nearby_min_cos", type_=sa.Float))
    if accepting_only:
        nearby = nearby.where(Location.accepting_new_patients.is_(True))
    return [~nearby.exists(), not_in_ids(provider_id, "ring_provider_ids")]
