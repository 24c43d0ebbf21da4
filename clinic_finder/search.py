"""Finding providers near a place: in-clinic by geodesic distance, at-home by the state they may treat in.

In-clinic matches: a published in-clinic provider with a location within radius_mi geodesic (WGS-84) miles.
At-home matches: a published at-home provider licensed to treat patients in the place's state (and not already
listed as a nearby clinic). The combined list is the in-clinic matches, then the at-home matches, each in the
sort order with ties broken by distance and then id, so pages never repeat or skip a provider.

The query plan (see bench/README.md for the numbers): a bounding box on indexed lat/lon and a dot product of
precomputed unit vectors, both inside one covering index, find and count candidates in SQL; exact geodesic
distances are computed in Python only for the thin ring where the sphere and the ellipsoid may disagree and for
the rows of the page being shown. Nothing loads every provider.
"""
from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from geopy.distance import geodesic
from sqlalchemy.orm import selectinload

from . import vetting
from .extensions import db
from .geo_math import EARTH_RADIUS_MI, unit_vector
from .geocoding import Place
from .models import (
    ChecklistItem,
    Condition,
    LicenseStatus,
    ListingStatus,
    Location,
    Mode,
    Provider,
    ProviderCondition,
    ProviderRoute,
    Route,
    ServiceState,
)

RADIUS_MIN_MI = 1
RADIUS_MAX_MI = 500
RADIUS_DEFAULT_MI = 25
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PLACE_MAX_LENGTH = 200
MAX_PRICE_LIMIT = 100_000
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# WGS-84 geodesic distances differ from great-circle distances on the mean-radius sphere by at most about
# 0.52% over the US (measured: ratio 0.9948–1.0042). The spherical test uses a wider margin so it never drops a
# provider the geodesic would keep; the geodesic then makes the exact cut.
SPHERE_MARGIN = 0.0075
_NO_PRICE = 10**9  # sorts providers without a price after every priced one


class Sort(str, enum.Enum):
    DISTANCE = "distance"
    RATING = "rating"
    PRICE = "price"

    @property
    def label(self) -> str:
        return {"distance": "Nearest first", "rating": "Highest rated first", "price": "Lowest price first"}[
            self.value]


@dataclass(frozen=True)
class SearchFilters:
    mode: Mode | None = None  # None: any
    condition: Condition | None = None
    route: Route | None = None
    max_price: int | None = None  # the provider's lowest per-session price is at most this
    verified_only: bool = False
    min_rating: float | None = None
    free_consultation: bool = False
    accepting_new_patients: bool = False
    monitored_recovery: bool = False


@dataclass(frozen=True)
class SearchQuery:
    place: Place
    radius_mi: float = RADIUS_DEFAULT_MI
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = Sort.DISTANCE
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT


@dataclass
class Match:
    provider: Provider
    mode: Mode
    distance_mi: float | None
    location: Location | None
    checklist_verified: int
    checklist_total: int


@dataclass
class SearchResult:
    query: SearchQuery
    matches: list[Match]
    total: int
    in_clinic_total: int
    at_home_total: int

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def in_clinic(self) -> list[Match]:
        return [m for m in self.matches if m.mode == Mode.IN_CLINIC]

    @property
    def at_home(self) -> list[Match]:
        return [m for m in self.matches if m.mode == Mode.AT_HOME]


class PageOutOfRange(Exception):
    def __init__(self, page: int, pages: int):
        super().__init__(f"There is no page {page}: these results have {pages} page{'s' if pages != 1 else ''}.")
        self.page, self.pages = page, pages


# --- filters shared by both lists ---------------------------------------------------------------------------

def _provider_clauses(f: SearchFilters) -> list:
    conds = []
    if f.condition:
        conds.append(sa.exists().where(ProviderCondition.provider_id == Provider.id,
                                       ProviderCondition.condition == f.condition))
    if f.route:
        conds.append(sa.exists().where(ProviderRoute.provider_id == Provider.id, ProviderRoute.route == f.route))
    if f.max_price is not None:
        conds.append(Provider.price_min_usd <= f.max_price)
    if f.verified_only:
        conds.append(Provider.license_status == LicenseStatus.VERIFIED)
    if f.min_rating is not None:
        conds.append(Provider.rating_average >= f.min_rating)
    if f.free_consultation:
        conds.append(Provider.free_consultation.is_(True))
    if f.monitored_recovery:
        conds.append(sa.exists().where(ChecklistItem.provider_id == Provider.id,
                                       ChecklistItem.key == "monitored_recovery",
                                       ChecklistItem.value.is_not(None), ChecklistItem.value != ""))
    return conds


def _sort_columns(sort: Sort) -> list:
    """Provider columns to order by, ascending, before distance (none for a distance sort)."""
    if sort == Sort.RATING:
        return [-sa.func.coalesce(Provider.rating_average, 0.0), -Provider.rating_count]
    if sort == Sort.PRICE:
        return [sa.func.coalesce(Provider.price_min_usd, _NO_PRICE)]
    return []


def _tuple_cmp(columns: list, values: tuple, strict: bool):
    """(c1, c2, ...) < (v1, v2, ...) (or =), spelled out so SQLite and PostgreSQL read it the same way."""
    if not strict:
        return sa.and_(*(c == v for c, v in zip(columns, values, strict=True)))
    clauses = []
    for i, (c, v) in enumerate(zip(columns, values, strict=True)):
        clauses.append(sa.and_(*(columns[j] == values[j] for j in range(i)), c < v))
    return sa.or_(*clauses)


# --- the in-clinic list -------------------------------------------------------------------------------------

class _Circle:
    """The searched circle as SQL: the bounding box and the dot-product test, at a chosen spherical radius."""

    def __init__(self, place: Place, radius_mi: float, f: SearchFilters):
        self.place, self.radius_mi, self.filters = place, radius_mi, f
        self.unit = unit_vector(place.lat, place.lon)
        self.dot = Location.x * self.unit[0] + Location.y * self.unit[1] + Location.z * self.unit[2]
        self.cos_inner = math.cos(radius_mi / (1 + SPHERE_MARGIN) / EARTH_RADIUS_MI)
        self.cos_outer = math.cos(min(math.pi, radius_mi / (1 - SPHERE_MARGIN) / EARTH_RADIUS_MI))
        self.provider_clauses = _provider_clauses(f)

    def _box(self) -> list:
        reach = self.radius_mi / (1 - SPHERE_MARGIN) / EARTH_RADIUS_MI  # radians on the sphere
        dlat = math.degrees(reach) * 1.001
        lat_min, lat_max = self.place.lat - dlat, self.place.lat + dlat
        clauses = [Location.lat.between(lat_min, lat_max)]
        widest = max(abs(lat_min), abs(lat_max))
        if widest < 89:
            dlon = math.degrees(reach / math.cos(math.radians(widest))) * 1.001
            if dlon < 180 and -180 <= self.place.lon - dlon and self.place.lon + dlon <= 180:
                clauses.append(Location.lon.between(self.place.lon - dlon, self.place.lon + dlon))
        return clauses

    def where(self, stmt: sa.Select, cos_min: float, cos_below: float | None = None,
              provider_id=None) -> sa.Select:
        stmt = stmt.where(Location.searchable.is_(True), *self._box(), self.dot >= cos_min)
        if cos_below is not None:
            stmt = stmt.where(self.dot < cos_below)
        if provider_id is not None:
            stmt = stmt.where(Location.provider_id == provider_id)
        if self.filters.accepting_new_patients:
            stmt = stmt.where(Location.accepting_new_patients.is_(True))
        return stmt

    def joined(self, stmt: sa.Select, need_provider: bool = False) -> sa.Select:
        if self.provider_clauses or need_provider:
            stmt = stmt.join(Provider, Provider.id == Location.provider_id).where(*self.provider_clauses)
        return stmt

    def distance(self, lat: float, lon: float) -> float:
        return geodesic((self.place.lat, self.place.lon), (lat, lon)).miles


@dataclass
class _InClinic:
    total: int
    band_provider_ids: set[int]  # providers matched only through the uncertain ring (checked geodesically)
    circle: _Circle


def _count_in_clinic(circle: _Circle) -> _InClinic:
    # The ring between the inner and outer spherical radii is where the ellipsoid may disagree: check it exactly.
    band_rows = db.session.execute(circle.joined(circle.where(
        sa.select(Location.id, Location.provider_id, Location.lat, Location.lon, Location.is_only_location),
        circle.cos_outer, circle.cos_inner)))
    band_in: dict[int, bool] = {}
    for _loc_id, provider_id, lat, lon, only in band_rows:
        if circle.distance(lat, lon) <= circle.radius_mi:
            band_in[provider_id] = band_in.get(provider_id, True) and only
    only_count, multi_count = db.session.execute(circle.joined(circle.where(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((Location.is_only_location.is_(True), 1), else_=0)), 0),
            sa.func.count(sa.distinct(sa.case((Location.is_only_location.is_(False), Location.provider_id)))),
        ),
        circle.cos_inner))).one()
    # A provider with several clinics may already be counted through one inside the inner circle.
    multi = [pid for pid, only in band_in.items() if not only]
    already = set()
    if multi:
        already = set(db.session.scalars(circle.joined(circle.where(
            sa.select(Location.provider_id).distinct(), circle.cos_inner).where(Location.provider_id.in_(multi)))))
    band_ids = set(band_in) - already
    return _InClinic(int(only_count) + int(multi_count) + len(band_ids), band_ids, circle)


def _page_in_clinic(found: _InClinic, sort: Sort, offset: int, limit: int) -> list[tuple[int, float, int]]:
    """(provider_id, geodesic miles, nearest location id) for positions [offset, offset+limit) of the list."""
    circle = found.circle
    want = offset + limit
    sort_cols = _sort_columns(sort)
    need_provider = bool(sort_cols)
    # Walk the inner circle in SQL order (sort columns, then spherical distance) until `want` providers are seen.
    n = want + 8
    boundary = None
    while True:
        rows = db.session.execute(circle.joined(circle.where(
            sa.select(Location.provider_id, circle.dot, *sort_cols), circle.cos_inner), need_provider)
            .order_by(*sort_cols, circle.dot.desc(), Location.id).limit(n)).all()
        seen: set[int] = set()
        for row in rows:
            seen.add(row[0])
            if len(seen) == want:
                boundary = row
                break
        if boundary is not None or len(rows) < n:
            break
        n *= 4
    stmt = circle.joined(sa.select(Location.id, Location.provider_id, Location.lat, Location.lon), need_provider)
    if boundary is None:
        pool_stmt = circle.where(stmt, circle.cos_inner)  # the whole inner circle is needed
    else:
        # Anything that could rank before the boundary geodesically is within this widened spherical radius.
        angle = math.acos(max(-1.0, min(1.0, boundary[1])))
        cos_ext = math.cos(min(math.pi, angle * (1 + SPHERE_MARGIN) / (1 - SPHERE_MARGIN)))
        keys = tuple(boundary[2:])
        pool_stmt = circle.where(stmt, circle.cos_inner)
        if sort_cols:
            pool_stmt = pool_stmt.where(sa.or_(_tuple_cmp(sort_cols, keys, strict=True),
                                               sa.and_(_tuple_cmp(sort_cols, keys, strict=False),
                                                       circle.dot >= cos_ext)))
        else:
            pool_stmt = pool_stmt.where(circle.dot >= cos_ext)
    pool = list(db.session.execute(pool_stmt))
    if found.band_provider_ids:
        pool += list(db.session.execute(circle.joined(circle.where(stmt, circle.cos_outer, circle.cos_inner))
                                        .where(Location.provider_id.in_(found.band_provider_ids))))
    nearest: dict[int, tuple[float, int]] = {}
    for loc_id, provider_id, lat, lon in pool:
        d = circle.distance(lat, lon)
        if d <= circle.radius_mi and (provider_id not in nearest or (d, loc_id) < nearest[provider_id]):
            nearest[provider_id] = (d, loc_id)
    keys_by_provider: dict[int, tuple] = {}
    if sort_cols and nearest:
        for row in db.session.execute(sa.select(Provider.id, *sort_cols).where(Provider.id.in_(nearest))):
            keys_by_provider[row[0]] = tuple(row[1:])
    ordered = sorted(nearest.items(), key=lambda kv: (keys_by_provider.get(kv[0], ()), kv[1][0], kv[0]))
    return [(pid, d, loc_id) for pid, (d, loc_id) in ordered[offset:want]]


# --- the at-home list ---------------------------------------------------------------------------------------

def _at_home_statement(place: Place, f: SearchFilters, exclude: _InClinic | None) -> sa.Select:
    stmt = (
        sa.select(Provider.id)
        .join(ServiceState, ServiceState.provider_id == Provider.id)
        .where(ServiceState.state == place.state, Provider.offers_at_home.is_(True),
               Provider.listing_status == ListingStatus.PUBLISHED, *_provider_clauses(f))
    )
    if exclude is not None:
        # A provider already listed as a nearby clinic is not listed twice.
        circle = exclude.circle
        nearby = circle.where(sa.select(Location.id), circle.cos_inner, provider_id=Provider.id).exists()
        stmt = stmt.where(~nearby)
        if exclude.band_provider_ids:
            stmt = stmt.where(Provider.id.not_in(exclude.band_provider_ids))
    return stmt


# --- the search ---------------------------------------------------------------------------------------------

def find_providers(query: SearchQuery) -> SearchResult:
    """One page of matches with the totals of both lists. Raises PageOutOfRange past the last page."""
    f, place = query.filters, query.place
    in_clinic: _InClinic | None = None
    if f.mode in (None, Mode.IN_CLINIC):
        in_clinic = _count_in_clinic(_Circle(place, query.radius_mi, f))
    at_home_stmt = None
    at_home_total = 0
    if f.mode in (None, Mode.AT_HOME) and place.state:
        at_home_stmt = _at_home_statement(place, f, in_clinic)
        at_home_total = db.session.scalar(sa.select(sa.func.count()).select_from(at_home_stmt.subquery())) or 0
    clinic_total = in_clinic.total if in_clinic else 0
    total = clinic_total + at_home_total
    pages = max(1, math.ceil(total / query.per_page))
    if query.page > pages:
        raise PageOutOfRange(query.page, pages)

    offset = (query.page - 1) * query.per_page
    end = offset + query.per_page
    clinic_rows: list[tuple[int, float, int]] = []
    if in_clinic and offset < clinic_total:
        clinic_rows = _page_in_clinic(in_clinic, query.sort, offset, min(end, clinic_total) - offset)
    home_ids: list[int] = []
    if at_home_stmt is not None and end > clinic_total:
        start = max(0, offset - clinic_total)
        home_ids = list(db.session.scalars(
            at_home_stmt.order_by(*_sort_columns(query.sort), Provider.name, Provider.id)
            .offset(start).limit(end - clinic_total - start)))

    ids = [pid for pid, _, _ in clinic_rows] + home_ids
    providers = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Provider).where(Provider.id.in_(ids)).options(
                selectinload(Provider.locations), selectinload(Provider.service_states),
                selectinload(Provider.route_links), selectinload(Provider.condition_links),
                selectinload(Provider.checklist_items),
            )
        )
    } if ids else {}
    matches = []
    for pid, distance, loc_id in clinic_rows:
        p = providers[pid]
        location = next((loc for loc in p.locations if loc.id == loc_id), None)
        checklist = vetting.checklist_for(p)
        matches.append(Match(p, Mode.IN_CLINIC, distance, location, checklist.verified, checklist.total))
    for pid in home_ids:
        p = providers[pid]
        checklist = vetting.checklist_for(p)
        matches.append(Match(p, Mode.AT_HOME, None, None, checklist.verified, checklist.total))
    return SearchResult(query, matches, total, clinic_total, at_home_total)


def naive_in_clinic_count(place: Place, radius_mi: float) -> int:
    """Reference for tests and the benchmark: every geocoded published clinic, distance by distance."""
    rows = db.session.execute(
        sa.select(Location.provider_id, Location.lat, Location.lon)
        .join(Provider, Provider.id == Location.provider_id)
        .where(Provider.listing_status == ListingStatus.PUBLISHED, Provider.offers_in_clinic.is_(True),
               Location.lat.is_not(None))
    )
    return len({pid for pid, lat, lon in rows
                if geodesic((place.lat, place.lon), (lat, lon)).miles <= radius_mi})
