"""Finding providers near a place: in-clinic by geodesic distance, at-home by the state they may treat in.

In-clinic matches: a published in-clinic provider with a location within radius_mi geodesic (WGS-84) miles.
At-home matches: a published at-home provider licensed to treat patients in the place's state (and not already
listed as a nearby clinic). The combined list is the in-clinic matches, then the at-home matches, each in the
sort order with ties broken by distance and then id, so pages never repeat or skip a provider.

The in-clinic query plan lives in nearby.py: counting and paging happen in the database through one covering
index, and exact geodesics are computed only where they decide something. Nothing loads every provider.
"""
from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from geopy.distance import geodesic

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import Place
from clinic_finder.models import (
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
from clinic_finder.search.nearby import DOT, Circle, InClinic, count_in_clinic, page_in_clinic
from clinic_finder.vetting import checklist as vetting

RADIUS_MIN_MI = 1
RADIUS_MAX_MI = 500
RADIUS_DEFAULT_MI = 25
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PLACE_MAX_LENGTH = 200
MAX_PRICE_LIMIT = 100_000
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NO_PRICE = 10**9  # sorts providers without a price after every priced one
_STATEMENTS: dict[tuple, sa.Select] = {}
_PROVIDERS_BY_ID = sa.select(Provider).where(Provider.id.in_(sa.bindparam("ids", expanding=True)))
_CLINICS_BY_ID = (sa.select(Location, Provider).join(Provider, Provider.id == Location.provider_id)
                  .where(Location.id.in_(sa.bindparam("ids", expanding=True))))


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


# --- the at-home list ---------------------------------------------------------------------------------------

def _cached(key: tuple, f: SearchFilters, build) -> sa.Select:
    """A statement built once per process when no filter adds to it (filters carry literal values)."""
    if f != SearchFilters(mode=f.mode):
        return build()
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = build()
    return stmt


def _at_home_statement(f: SearchFilters, exclude: InClinic | None, with_provider: bool = False) -> sa.Select:
    return _cached(("home", exclude is not None, with_provider), f,
                   lambda: _build_at_home_statement(f, exclude, with_provider))


def _build_at_home_statement(f: SearchFilters, exclude: InClinic | None, with_provider: bool) -> sa.Select:
    """Ids of the listed at-home providers of the place's state; provider rows are read only to filter or sort."""
    stmt = sa.select(ServiceState.provider_id).where(ServiceState.state == sa.bindparam("state"),
                                                     ServiceState.listed.is_(True))
    clauses = _provider_clauses(f)
    if clauses or with_provider:
        stmt = stmt.join(Provider, Provider.id == ServiceState.provider_id).where(*clauses)
    if exclude is not None:
        # A provider already listed as a nearby clinic is not listed twice.
        # One provider's clinics: its own index is the way in (the parameters come with the statement).
        nearby = sa.select(Location.id).where(Location.provider_id == ServiceState.provider_id,
                                              Location.searchable.is_(True),
                                              DOT >= sa.bindparam("home_cos", type_=sa.Float))
        if f.accepting_new_patients:
            nearby = nearby.where(Location.accepting_new_patients.is_(True))
        stmt = stmt.where(~nearby.exists(),
                          ServiceState.provider_id.not_in(sa.bindparam("band_ids", expanding=True)))
    return stmt


# --- the search ---------------------------------------------------------------------------------------------

def find_providers(query: SearchQuery) -> SearchResult:
    """One page of matches with the totals of both lists. Raises PageOutOfRange past the last page."""
    f, place = query.filters, query.place
    in_clinic: InClinic | None = None
    if f.mode in (None, Mode.IN_CLINIC):
        in_clinic = count_in_clinic(Circle(place, query.radius_mi, _provider_clauses(f), f.accepting_new_patients))
    at_home_stmt = None
    at_home_total = 0
    home_params = dict(in_clinic.circle.params, home_cos=in_clinic.circle.cos_inner,
                       band_ids=sorted(in_clinic.band_provider_ids)) if in_clinic else {}
    home_params["state"] = place.state
    if f.mode in (None, Mode.AT_HOME) and place.state:
        at_home_stmt = _at_home_statement(f, in_clinic)
        count_stmt = _cached(("home count", in_clinic is not None), f,
                             lambda: sa.select(sa.func.count()).select_from(at_home_stmt.subquery()))
        at_home_total = db.session.connection().execute(count_stmt, home_params).scalar() or 0
    clinic_total = in_clinic.total if in_clinic else 0
    total = clinic_total + at_home_total
    pages = max(1, math.ceil(total / query.per_page))
    if query.page > pages:
        raise PageOutOfRange(query.page, pages)

    offset = (query.page - 1) * query.per_page
    end = offset + query.per_page
    clinic_rows: list[tuple[int, float, int]] = []
    if in_clinic and offset < clinic_total:
        clinic_rows = page_in_clinic(in_clinic, _sort_columns(query.sort), query.sort.value, offset,
                                     min(end, clinic_total) - offset)
    home_ids: list[int] = []
    if at_home_stmt is not None and end > clinic_total:
        start = max(0, offset - clinic_total)
        page_stmt = _cached(("home page", in_clinic is not None, query.sort), f, lambda: _at_home_statement(
            f, in_clinic, with_provider=True).order_by(*_sort_columns(query.sort), Provider.name, Provider.id,
        ).offset(sa.bindparam("skip", type_=sa.Integer)).limit(sa.bindparam("take", type_=sa.Integer)))
        home_ids = list(db.session.connection().execute(
            page_stmt, dict(home_params, skip=start, take=end - clinic_total - start)).scalars())

    ids = [pid for pid, _, _ in clinic_rows] + home_ids
    providers: dict[int, Provider] = {}
    locations: dict[int, Location] = {}
    if clinic_rows:
        # Only the clinic each match was found at (not every clinic of every provider), with its provider.
        for loc, p in db.session.execute(_CLINICS_BY_ID, {"ids": [loc_id for _, _, loc_id in clinic_rows]}):
            locations[loc.id], providers[p.id] = loc, p
    if home_ids:
        providers.update((p.id, p) for p in db.session.scalars(_PROVIDERS_BY_ID, {"ids": home_ids}))
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
    for pid, kind, value in db.session.connection().execute(stmt, {"ids": provider_ids}):
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
