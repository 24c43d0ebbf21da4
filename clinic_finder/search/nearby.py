"""Clinics within a radius of a point: the query plan behind the in-clinic list (numbers in bench/README.md).

One covering index on location (searchable, longitude band, lat, lon, unit vector, provider) is read as a few short
range scans; a dot product of unit vectors is the spherical distance test, in plain SQL. The WGS-84 geodesic and the
sphere differ by under 0.52% over the US, so rows inside r/(1+margin) are certainly in, rows beyond r/(1-margin)
certainly out, and only the thin ring between is checked in Python. Pages come from a nearest-first walk widened by
the same margin; the final order is (sort key, geodesic distance, id).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import Place
from clinic_finder.geo.geodesy import EARTH_RADIUS_MI, geodesic_miles, lon_band, unit_vector
from clinic_finder.models import Location, Provider

# WGS-84 geodesic distances differ from great-circle distances on the mean-radius sphere by at most about
# 0.52% over the US (measured: ratio 0.9948–1.0042). The spherical test uses a wider margin so it never drops a
# provider the geodesic would keep; the geodesic then makes the exact cut.
SPHERE_MARGIN = 0.0075
_EVERY_BAND = list(range(lon_band(-180), lon_band(180) + 1))  # built once: most searches never need it


def tuple_cmp(columns: list, values: tuple, strict: bool):
    """(c1, c2, ...) < (v1, v2, ...) (or =), spelled out so SQLite and PostgreSQL read it the same way."""
    if not strict:
        return sa.and_(*(c == v for c, v in zip(columns, values, strict=True)))
    clauses = []
    for i, (c, v) in enumerate(zip(columns, values, strict=True)):
        clauses.append(sa.and_(*(columns[j] == values[j] for j in range(i)), c < v))
    return sa.or_(*clauses)


# The searched point's unit vector and the cap's bounds are bound parameters, so the statements of a plain search
# (no filters) are built once per process and reused: building SQL expressions costs more than running them.
_UX, _UY, _UZ = (sa.bindparam(name, type_=sa.Float) for name in ("ux", "uy", "uz"))
DOT = Location.x * _UX + Location.y * _UY + Location.z * _UZ
STATEMENTS: dict[tuple, sa.Select] = {}


def _cap(tag: str) -> list:
    """dot >= cos(radius) inside an index-friendly box: longitude bands, then latitude and longitude ranges."""
    def p(name):
        return sa.bindparam(f"{tag}_{name}", type_=sa.Float)

    return [
        Location.searchable.is_(True),
        Location.lon_band.in_(sa.bindparam(f"{tag}_bands", expanding=True)),
        Location.lat.between(p("lat_lo"), p("lat_hi")),
        Location.lon.between(p("lon_lo"), p("lon_hi")),
        DOT >= p("cos"),
    ]


class Circle:
    """The searched circle: its SQL (caps of chosen spherical radii) and its distances."""

    def __init__(self, place: Place, radius_mi: float, provider_clauses: list, accepting_only: bool = False):
        """provider_clauses: the search's filters on Provider; accepting_only: clinics accepting new patients."""
        self.place, self.radius_mi, self.accepting_only = place, radius_mi, accepting_only
        ux, uy, uz = unit_vector(place.lat, place.lon)
        self.params = {"ux": ux, "uy": uy, "uz": uz}
        self.cos_inner = math.cos(radius_mi / (1 + SPHERE_MARGIN) / EARTH_RADIUS_MI)
        self.cos_outer = math.cos(min(math.pi, radius_mi / (1 - SPHERE_MARGIN) / EARTH_RADIUS_MI))
        self.provider_clauses = provider_clauses
        self.plain = not provider_clauses and not accepting_only

    def cap_params(self, tag: str, cos_min: float) -> dict:
        reach = math.acos(max(-1.0, min(1.0, cos_min))) * 1.001 + 1e-9  # radians on the sphere
        dlat = math.degrees(reach)
        lat_lo, lat_hi = self.place.lat - dlat, self.place.lat + dlat
        box = {f"{tag}_cos": cos_min, f"{tag}_lat_lo": lat_lo, f"{tag}_lat_hi": lat_hi,
               f"{tag}_bands": _EVERY_BAND, f"{tag}_lon_lo": -180.0, f"{tag}_lon_hi": 180.0}
        widest = max(abs(lat_lo), abs(lat_hi))
        if widest < 89:
            dlon = math.degrees(reach / math.cos(math.radians(widest)))
            lon_lo, lon_hi = self.place.lon - dlon, self.place.lon + dlon
            if dlon < 180 and -180 <= lon_lo and lon_hi <= 180:  # else near a pole or across 180°: no lon box
                box.update({f"{tag}_bands": list(range(lon_band(lon_lo), lon_band(lon_hi) + 1)),
                            f"{tag}_lon_lo": lon_lo, f"{tag}_lon_hi": lon_hi})
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
        stmt = STATEMENTS.get(key)
        if stmt is None:
            stmt = STATEMENTS[key] = full()
        return stmt

    def execute(self, stmt: sa.Select, caps: dict[str, float], **extra):
        params = dict(self.params, **extra)
        for tag, cos_min in caps.items():
            params.update(self.cap_params(tag, cos_min))
        # Plain rows, no ORM entities: the session's connection skips the ORM's per-statement bookkeeping.
        return db.session.connection().execute(stmt, params)

    def distance(self, lat: float, lon: float) -> float:
        """The exact WGS-84 geodesic, by the algorithm geopy uses (about 1 µs: cheap enough for every candidate)."""
        return geodesic_miles(self.place.lat, self.place.lon, lat, lon)


@dataclass
class InClinic:
    total: int
    circle: Circle
    # Clinics in the ring where sphere and ellipsoid may disagree that are within the radius: (row, miles).
    band_rows: list[tuple] = field(default_factory=list)
    band_provider_ids: set[int] = field(default_factory=set)  # providers found only through the ring


def count_in_clinic(circle: Circle) -> InClinic:
    # The ring between the inner and outer spherical radii is where the ellipsoid may disagree: check it exactly.
    band_stmt = circle.statement(("band",), lambda: sa.select(
        Location.id, Location.provider_id, Location.lat, Location.lon, Location.is_only_location,
    ).where(*_cap("o"), DOT < sa.bindparam("below", type_=sa.Float)))
    band_rows = []
    band_in: dict[int, bool] = {}
    for row in circle.execute(band_stmt, {"o": circle.cos_outer}, below=circle.cos_inner):
        miles = circle.distance(row.lat, row.lon)
        if miles <= circle.radius_mi:
            band_rows.append((row.id, row.provider_id, miles))
            band_in[row.provider_id] = band_in.get(row.provider_id, True) and row.is_only_location
    count_stmt = circle.statement(("count",), lambda: sa.select(
        sa.func.coalesce(sa.func.sum(sa.case((Location.is_only_location.is_(True), 1), else_=0)), 0),
        sa.func.count(sa.distinct(sa.case((Location.is_only_location.is_(False), Location.provider_id)))),
    ).where(*_cap("i")))
    only_count, multi_count = circle.execute(count_stmt, {"i": circle.cos_inner}).one()
    # A provider with several clinics may already be counted through one inside the inner circle.
    multi = [pid for pid, only in band_in.items() if not only]
    already = set()
    if multi:
        multi_stmt = circle.statement(("multi",), lambda: sa.select(Location.provider_id).distinct().where(
            *_cap("i"), Location.provider_id.in_(sa.bindparam("pids", expanding=True))))
        already = set(circle.execute(multi_stmt, {"i": circle.cos_inner}, pids=multi).scalars())
    band_ids = set(band_in) - already
    return InClinic(int(only_count) + int(multi_count) + len(band_ids), circle, band_rows, band_ids)


def page_in_clinic(found: InClinic, sort_cols: list, sort_name: str, offset: int,
                   limit: int) -> list[tuple[int, float, int]]:
    """(provider_id, geodesic miles, nearest location id) for positions [offset, offset+limit) of the list.

    sort_cols: Provider expressions ordered ascending before distance (none: nearest first), named sort_name.
    """
    circle = found.circle
    want = offset + limit
    need_provider = bool(sort_cols)
    # Walk the inner circle in SQL order (sort columns, then spherical distance) until `want` providers are seen.
    # Nearest first, the walk starts in a small circle sized for `want` providers at this density, and widens.
    if sort_cols:
        walk_mi = circle.radius_mi
    else:
        walk_mi = circle.radius_mi * min(1.0, 1.5 * math.sqrt(want / max(found.total, 1)))
    walk_stmt = circle.statement(("walk", sort_name), lambda: sa.select(
        Location.provider_id, DOT, Location.id, Location.lat, Location.lon, *sort_cols,
    ).where(*_cap("w")).order_by(*sort_cols, DOT.desc(), Location.id).limit(sa.bindparam("n", type_=sa.Integer)),
        need_provider)
    # Enough rows that the widened pool below is usually among them already (one statement instead of two).
    n = want + want // 4 + 16
    boundary = None
    while True:
        cos_walk = max(circle.cos_inner, math.cos(walk_mi / (1 + SPHERE_MARGIN) / EARTH_RADIUS_MI))
        rows = circle.execute(walk_stmt, {"w": cos_walk}, n=n).all()
        seen: set[int] = set()
        for row in rows:
            seen.add(row[0])
            if len(seen) == want:
                boundary = row
                break
        if boundary is not None:
            break
        if len(rows) == n:
            n *= 4
        elif cos_walk > circle.cos_inner:
            walk_mi *= 2
        else:
            break  # the whole inner circle holds fewer than `want` providers
    pool_stmt = circle.statement(("pool", sort_name), lambda: sa.select(
        Location.id, Location.provider_id, Location.lat, Location.lon).where(*_cap("p")), need_provider)
    pool_caps = {"p": circle.cos_inner}
    pool_rows = None
    if boundary is None:
        # The whole inner circle is needed.
        if len(rows) < n and cos_walk <= circle.cos_inner:
            pool_rows = [(r.id, r.provider_id, r.lat, r.lon) for r in rows]
    else:
        # Anything that could rank before the boundary geodesically is within this widened spherical radius.
        angle = math.acos(max(-1.0, min(1.0, boundary[1])))
        cos_ext = math.cos(min(math.pi, angle * (1 + SPHERE_MARGIN) / (1 - SPHERE_MARGIN)))
        keys = tuple(boundary[5:])
        if sort_cols:
            pool_stmt = pool_stmt.where(
                sa.or_(tuple_cmp(sort_cols, keys, strict=True),
                       sa.and_(tuple_cmp(sort_cols, keys, strict=False), DOT >= cos_ext)))
        else:
            cos_pool = max(circle.cos_inner, cos_ext)
            pool_caps = {"p": cos_pool}
            # Rows come nearest first: once one lies outside the pool's circle, the walk already holds the pool.
            if rows[-1][1] < cos_pool or (len(rows) < n and cos_walk <= cos_pool):
                pool_rows = [(r.id, r.provider_id, r.lat, r.lon) for r in rows if r[1] >= cos_pool]
    if pool_rows is None:
        pool_rows = circle.execute(pool_stmt, pool_caps).all()
    # Each candidate provider's nearest clinic within the radius; ring clinics were measured while counting.
    nearest: dict[int, tuple[float, int]] = {}
    measured = [(pid, circle.distance(lat, lon), loc_id) for loc_id, pid, lat, lon in pool_rows]
    measured += [(pid, miles, loc_id) for loc_id, pid, miles in found.band_rows]
    for provider_id, miles, loc_id in measured:
        if miles <= circle.radius_mi and (miles, loc_id) < nearest.get(provider_id, (math.inf, 0)):
            nearest[provider_id] = (miles, loc_id)
    keys: dict[int, tuple] = {}
    if sort_cols and nearest:
        for row in db.session.execute(sa.select(Provider.id, *sort_cols).where(Provider.id.in_(nearest))):
            keys[row[0]] = tuple(row[1:])
    ordered = sorted((keys.get(pid, ()), miles, pid, loc_id) for pid, (miles, loc_id) in nearest.items())
    return [(pid, miles, loc_id) for _key, miles, pid, loc_id in ordered[offset:want]]

