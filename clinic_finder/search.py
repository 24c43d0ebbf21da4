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
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

from . import vetting
from .extensions import db
from .geo_math import (
    APPROX_ABSOLUTE_ERROR_MI,
    APPROX_RELATIVE_ERROR,
    EARTH_RADIUS_MI,
    METERS_PER_MILE,
    approx_geodesic_miles,
    lon_band,
    unit_vector,
)
from .geocoding import Place
from .models import (
    ChecklistItem,
    ChecklistSource,
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
_WGS84, _DISTANCE_ONLY = Geodesic.WGS84, Geodesic.DISTANCE


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
    location: Location | None  # the clinic the distance is to (None for at-home matches)
    checklist_verified: int
    checklist_total: int
    # Loaded with the page in one statement (the provider's own collections are not loaded).
    routes: list[Route] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    states_served: list[str] = field(default_factory=list)


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

# The searched point's unit vector and the cap's bounds are bound parameters, so the statements of a plain search
# (no filters) are built once per process and reused: building SQL expressions costs more than running them.
_UX, _UY, _UZ = (sa.bindparam(name, type_=sa.Float) for name in ("ux", "uy", "uz"))
_DOT = Location.x * _UX + Location.y * _UY + Location.z * _UZ
_STATEMENTS: dict[tuple, sa.Select] = {}
_PROVIDERS_BY_ID = sa.select(Provider).where(Provider.id.in_(sa.bindparam("ids", expanding=True)))
_LOCATIONS_BY_ID = sa.select(Location).where(Location.id.in_(sa.bindparam("ids", expanding=True)))


def _cap(tag: str) -> list:
    """dot >= cos(radius) inside an index-friendly box: longitude bands, then latitude and longitude ranges."""
    def p(name):
        return sa.bindparam(f"{tag}_{name}", type_=sa.Float)

    return [
        Location.searchable.is_(True),
        Location.lon_band.in_(sa.bindparam(f"{tag}_bands", expanding=True)),
        Location.lat.between(p("lat_lo"), p("lat_hi")),
        Location.lon.between(p("lon_lo"), p("lon_hi")),
        _DOT >= p("cos"),
    ]


class _Circle:
    """The searched circle: its SQL (caps of chosen spherical radii) and its distances."""

    def __init__(self, place: Place, radius_mi: float, f: SearchFilters):
        self.place, self.radius_mi, self.filters = place, radius_mi, f
        ux, uy, uz = unit_vector(place.lat, place.lon)
        self.params = {"ux": ux, "uy": uy, "uz": uz}
        self.cos_inner = math.cos(radius_mi / (1 + SPHERE_MARGIN) / EARTH_RADIUS_MI)
        self.cos_outer = math.cos(min(math.pi, radius_mi / (1 - SPHERE_MARGIN) / EARTH_RADIUS_MI))
        self.provider_clauses = _provider_clauses(f)
        self.plain = not self.provider_clauses and not f.accepting_new_patients

    def cap_params(self, tag: str, cos_min: float) -> dict:
        reach = math.acos(max(-1.0, min(1.0, cos_min))) * 1.001 + 1e-9  # radians on the sphere
        dlat = math.degrees(reach)
        lat_lo, lat_hi = self.place.lat - dlat, self.place.lat + dlat
        box = {f"{tag}_cos": cos_min, f"{tag}_lat_lo": lat_lo, f"{tag}_lat_hi": lat_hi,
               f"{tag}_bands": list(range(lon_band(-180), lon_band(180) + 1)),
               f"{tag}_lon_lo": -180.0, f"{tag}_lon_hi": 180.0}
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
            if self.filters.accepting_new_patients:
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
        params = dict(self.params, **extra)
        for tag, cos_min in caps.items():
            params.update(self.cap_params(tag, cos_min))
        return db.session.execute(stmt, params)

    def distance(self, lat: float, lon: float) -> float:
        """The exact WGS-84 geodesic, by the geographiclib algorithm geopy uses (about 100 µs: used sparingly)."""
        return _WGS84.Inverse(self.place.lat, self.place.lon, lat, lon, _DISTANCE_ONLY)["s12"] / METERS_PER_MILE

    def approx(self, lat: float, lon: float) -> float:
        return approx_geodesic_miles(self.place.lat, self.place.lon, lat, lon)

    def within(self, approx_mi: float, lat: float, lon: float) -> bool:
        """Is the geodesic distance at most the radius? Exact, using the geodesic only right at the edge."""
        slack = approx_mi * APPROX_RELATIVE_ERROR + APPROX_ABSOLUTE_ERROR_MI
        if approx_mi + slack <= self.radius_mi:
            return True
        if approx_mi - slack > self.radius_mi:
            return False
        return self.distance(lat, lon) <= self.radius_mi


@dataclass
class _InClinic:
    total: int
    circle: _Circle
    # Clinics in the ring where sphere and ellipsoid may disagree that are within the radius: (row, approx miles).
    band_rows: list[tuple] = field(default_factory=list)
    band_provider_ids: set[int] = field(default_factory=set)  # providers found only through the ring


def _count_in_clinic(circle: _Circle) -> _InClinic:
    # The ring between the inner and outer spherical radii is where the ellipsoid may disagree: check it exactly.
    band_stmt = circle.statement(("band",), lambda: sa.select(
        Location.id, Location.provider_id, Location.lat, Location.lon, Location.is_only_location,
    ).where(*_cap("o"), _DOT < sa.bindparam("below", type_=sa.Float)))
    band_rows = []
    band_in: dict[int, bool] = {}
    for row in circle.execute(band_stmt, {"o": circle.cos_outer}, below=circle.cos_inner):
        approx = circle.approx(row.lat, row.lon)
        if circle.within(approx, row.lat, row.lon):
            band_rows.append((row.id, row.provider_id, row.lat, row.lon, approx))
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
    return _InClinic(int(only_count) + int(multi_count) + len(band_ids), circle, band_rows, band_ids)


def _page_in_clinic(found: _InClinic, sort: Sort, offset: int, limit: int) -> list[tuple[int, float, int]]:
    """(provider_id, geodesic miles, nearest location id) for positions [offset, offset+limit) of the list."""
    circle = found.circle
    want = offset + limit
    sort_cols = _sort_columns(sort)
    need_provider = bool(sort_cols)
    # Walk the inner circle in SQL order (sort columns, then spherical distance) until `want` providers are seen.
    # Nearest first, the walk starts in a small circle sized for `want` providers at this density, and widens.
    if sort_cols:
        walk_mi = circle.radius_mi
    else:
        walk_mi = circle.radius_mi * min(1.0, 1.5 * math.sqrt(want / max(found.total, 1)))
    walk_stmt = circle.statement(("walk", sort), lambda: sa.select(
        Location.provider_id, _DOT, Location.id, Location.lat, Location.lon, *sort_cols,
    ).where(*_cap("w")).order_by(*sort_cols, _DOT.desc(), Location.id).limit(sa.bindparam("n", type_=sa.Integer)),
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
    pool_stmt = circle.statement(("pool", need_provider), lambda: sa.select(
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
                sa.or_(_tuple_cmp(sort_cols, keys, strict=True),
                       sa.and_(_tuple_cmp(sort_cols, keys, strict=False), _DOT >= cos_ext)))
        else:
            cos_pool = max(circle.cos_inner, cos_ext)
            pool_caps = {"p": cos_pool}
            # Rows come nearest first: once one lies outside the pool's circle, the walk already holds the pool.
            if rows[-1][1] < cos_pool or (len(rows) < n and cos_walk <= cos_pool):
                pool_rows = [(r.id, r.provider_id, r.lat, r.lon) for r in rows if r[1] >= cos_pool]
    if pool_rows is None:
        pool_rows = circle.execute(pool_stmt, pool_caps).all()
    # Candidate clinics per provider, with their approximate distances; ring clinics were checked while counting.
    candidates: dict[int, list[tuple[float, int, float, float]]] = {}
    for loc_id, provider_id, lat, lon in pool_rows:
        approx = circle.approx(lat, lon)
        if circle.within(approx, lat, lon):
            candidates.setdefault(provider_id, []).append((approx, loc_id, lat, lon))
    for loc_id, provider_id, lat, lon, approx in found.band_rows:
        candidates.setdefault(provider_id, []).append((approx, loc_id, lat, lon))
    keys_by_provider: dict[int, tuple] = {}
    if sort_cols and candidates:
        for row in db.session.execute(sa.select(Provider.id, *sort_cols).where(Provider.id.in_(candidates))):
            keys_by_provider[row[0]] = tuple(row[1:])
    return _exact_slice(circle, candidates, keys_by_provider, offset, want)


def _exact_slice(circle: _Circle, candidates: dict, keys: dict, start: int, stop: int) -> list[tuple[int, float, int]]:
    """Positions [start, stop) in (sort key, geodesic distance, id) order, computing as few geodesics as possible.

    Providers are first ordered by approximate distance. Two can swap places exactly only if their approximate
    distances are within twice the approximation's error: such runs ("chains") that touch the wanted positions get
    exact geodesics and are re-sorted; every other position is already right.
    """
    entries = sorted(
        (keys.get(pid, ()), min(c[0] for c in rows), pid) for pid, rows in candidates.items()
    )
    chains: list[list[int]] = []
    for i, (key, approx, _pid) in enumerate(entries):
        if chains:
            prev_key, prev_approx, _ = entries[i - 1]
            close = 2 * (approx * APPROX_RELATIVE_ERROR + APPROX_ABSOLUTE_ERROR_MI)
            if prev_key == key and approx - prev_approx <= close:
                chains[-1].append(i)
                continue
        chains.append([i])
    exact: dict[int, tuple[float, int]] = {}
    ordered: list[tuple] = []
    for chain in chains:
        if chain[-1] >= start and chain[0] < stop:
            refined = []
            for i in chain:
                key, _approx, pid = entries[i]
                # The nearest clinic exactly: any clinic approximately as near as the nearest may be it.
                best_approx = entries[i][1]
                exact[pid] = min((circle.distance(lat, lon), loc_id) for approx, loc_id, lat, lon in candidates[pid]
                                 if approx <= best_approx * (1 + 2 * APPROX_RELATIVE_ERROR) + 2e-6)
                refined.append((key, exact[pid][0], pid))
            ordered.extend(sorted(refined))
        else:
            ordered.extend(entries[i] for i in chain)
    return [(pid, exact[pid][0], exact[pid][1]) for _key, _d, pid in ordered[start:stop]]


# --- the at-home list ---------------------------------------------------------------------------------------

def _cached(key: tuple, f: SearchFilters, build) -> sa.Select:
    """A statement built once per process when no filter adds to it (filters carry literal values)."""
    if f != SearchFilters(mode=f.mode):
        return build()
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = build()
    return stmt


def _at_home_statement(f: SearchFilters, exclude: _InClinic | None) -> sa.Select:
    return _cached(("home", exclude is not None), f, lambda: _build_at_home_statement(f, exclude))


def _build_at_home_statement(f: SearchFilters, exclude: _InClinic | None) -> sa.Select:
    stmt = (
        sa.select(Provider.id)
        .join(ServiceState, ServiceState.provider_id == Provider.id)
        .where(ServiceState.state == sa.bindparam("state"), Provider.offers_at_home.is_(True),
               Provider.listing_status == ListingStatus.PUBLISHED, *_provider_clauses(f))
    )
    if exclude is not None:
        # A provider already listed as a nearby clinic is not listed twice.
        # One provider's clinics: its own index is the way in (the parameters come with the statement).
        nearby = sa.select(Location.id).where(Location.provider_id == Provider.id, Location.searchable.is_(True),
                                              _DOT >= sa.bindparam("home_cos", type_=sa.Float))
        if f.accepting_new_patients:
            nearby = nearby.where(Location.accepting_new_patients.is_(True))
        stmt = stmt.where(sa.or_(Provider.offers_in_clinic.is_(False), ~nearby.exists()))
        stmt = stmt.where(Provider.id.not_in(sa.bindparam("band_ids", expanding=True)))
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
    home_params = dict(in_clinic.circle.params, home_cos=in_clinic.circle.cos_inner,
                       band_ids=sorted(in_clinic.band_provider_ids)) if in_clinic else {}
    home_params["state"] = place.state
    if f.mode in (None, Mode.AT_HOME) and place.state:
        at_home_stmt = _at_home_statement(f, in_clinic)
        count_stmt = _cached(("home count", in_clinic is not None), f,
                             lambda: sa.select(sa.func.count()).select_from(at_home_stmt.subquery()))
        at_home_total = db.session.scalar(count_stmt, home_params) or 0
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
        page_stmt = _cached(("home page", in_clinic is not None, query.sort), f, lambda: at_home_stmt.order_by(
            *_sort_columns(query.sort), Provider.name, Provider.id,
        ).offset(sa.bindparam("skip", type_=sa.Integer)).limit(sa.bindparam("take", type_=sa.Integer)))
        home_ids = list(db.session.scalars(page_stmt, dict(home_params, skip=start,
                                                            take=end - clinic_total - start)))

    ids = [pid for pid, _, _ in clinic_rows] + home_ids
    providers = {p.id: p for p in db.session.scalars(_PROVIDERS_BY_ID, {"ids": ids})} if ids else {}
    # Only the clinic each match was found at, not every clinic of every provider on the page.
    loc_ids = [loc_id for _, _, loc_id in clinic_rows]
    locations = {loc.id: loc for loc in db.session.scalars(_LOCATIONS_BY_ID, {"ids": loc_ids})} if loc_ids else {}
    facts = _page_facts(ids)
    matches = [_match(providers[pid], Mode.IN_CLINIC, distance, locations.get(loc_id), facts)
               for pid, distance, loc_id in clinic_rows]
    matches += [_match(providers[pid], Mode.AT_HOME, None, None, facts) for pid in home_ids]
    return SearchResult(query, matches, total, clinic_total, at_home_total)


def _page_facts(provider_ids: list[int]) -> dict[tuple[int, str], list[str]]:
    """Routes, conditions, states served and verified checklist keys of a page's providers, in one statement.

    The verified rule is vetting.CheckView.verified's: a value, verified by our team, with a date.
    """
    out: dict[tuple[int, str], list[str]] = {}
    if not provider_ids:
        return out
    stmt = _STATEMENTS.get(("facts",))
    if stmt is None:
        text, ids = sa.String(60), sa.bindparam("ids", expanding=True)
        stmt = _STATEMENTS[("facts",)] = sa.union_all(
            sa.select(ProviderRoute.provider_id, sa.literal("route"), sa.cast(ProviderRoute.route, text))
            .where(ProviderRoute.provider_id.in_(ids)),
            sa.select(ProviderCondition.provider_id, sa.literal("condition"),
                      sa.cast(ProviderCondition.condition, text))
            .where(ProviderCondition.provider_id.in_(ids)),
            sa.select(ServiceState.provider_id, sa.literal("state"), sa.cast(ServiceState.state, text))
            .where(ServiceState.provider_id.in_(ids)),
            sa.select(ChecklistItem.provider_id, sa.literal("verified"), sa.cast(ChecklistItem.key, text)).where(
                ChecklistItem.provider_id.in_(ids),
                ChecklistItem.source == ChecklistSource.ADMIN_VERIFIED,
                ChecklistItem.verified_at.is_not(None),
                ChecklistItem.value.is_not(None), ChecklistItem.value != "",
            ),
        )
    for pid, kind, value in db.session.execute(stmt, {"ids": provider_ids}):
        out.setdefault((pid, kind), []).append(value)
    return out


def _match(p: Provider, mode: Mode, distance: float | None, location: Location | None, facts: dict) -> Match:
    applicable = vetting.definitions_for(p)
    verified = set(facts.get((p.id, "verified"), ()))
    return Match(
        provider=p, mode=mode, distance_mi=distance, location=location,
        checklist_verified=sum(1 for d in applicable if d.key in verified), checklist_total=len(applicable),
        routes=sorted((Route(v) for v in facts.get((p.id, "route"), ())), key=list(Route).index),
        conditions=sorted((Condition(v) for v in facts.get((p.id, "condition"), ())), key=list(Condition).index),
        states_served=sorted(facts.get((p.id, "state"), ())),
    )


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
