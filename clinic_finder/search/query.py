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
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from geopy.distance import geodesic

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import Place
from clinic_finder.inputs.pagination import Page
from clinic_finder.models import (
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
from clinic_finder.search.cards import LocationCard, ProviderCard, fact_columns, read_facts
from clinic_finder.search.id_lists import in_ids
from clinic_finder.search.nearby import InClinic, NearbyClinic, count_in_clinic, not_listed_nearby
from clinic_finder.vetting.trust import TrustSummary, license_status_sql, summary_of

RADIUS_MIN_MI = 1
RADIUS_MAX_MI = 500
RADIUS_DEFAULT_MI = 25
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PLACE_MAX_LENGTH = 200
MAX_PRICE_LIMIT = 100_000
_NO_PRICE = 10**9  # sorts providers without a price after every priced one
_STATEMENTS: dict[tuple, sa.Select] = {}
_PROVIDERS_BY_ID = (sa.select(*ProviderCard.columns(), *fact_columns(Provider.id))
                    .where(in_ids(Provider.id, "ids")))
_CLINICS_BY_ID = (sa.select(*LocationCard.columns(), *ProviderCard.columns(), *fact_columns(Provider.id))
                  .join(Provider, Provider.id == Location.provider_id)
                  .where(in_ids(Location.id, "ids")))
_PROVIDER_WIDTH = len(ProviderCard.columns())
_LOCATION_WIDTH = len(LocationCard.columns())
_CLINIC_WIDTH = _LOCATION_WIDTH + _PROVIDER_WIDTH


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
    provider: Provider | ProviderCard  # the card's columns (search/cards.py), or the model where a plan loaded it
    mode: Mode
    distance_mi: float | None
    location: Location | LocationCard | None  # the clinic the distance is to (None for at-home matches)
    trust: TrustSummary  # the provider's one trust summary, as it stands today (vetting/trust.py)
    # Loaded with the page in one statement (the provider's own collections are not loaded).
    routes: list[Route] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    states_served: list[str] = field(default_factory=list)


@dataclass
class SearchResult(Page):
    """A page of matches (the kit's Page: items, total, page, per_page) with the search and both lists' totals."""

    query: SearchQuery
    in_clinic_total: int
    at_home_total: int

    @property
    def matches(self) -> list[Match]:
        return self.items

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
        # As it stands today: a license that lapsed since the summary was stored no longer counts.
        conds.append(license_status_sql() == LicenseStatus.VERIFIED.value)
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


def _at_home_statement(f: SearchFilters, exclude_nearby: bool, with_provider: bool = False) -> sa.Select:
    return _cached(("home", exclude_nearby, with_provider), f,
                   lambda: _build_at_home_statement(f, exclude_nearby, with_provider))


def _build_at_home_statement(f: SearchFilters, exclude_nearby: bool, with_provider: bool) -> sa.Select:
    """Ids of the listed at-home providers of the place's state; provider rows are read only to filter or sort."""
    # Only states where someone on the team may prescribe: ketamine is legal only when prescribed by a licensed
    # professional, so an at-home provider without a live prescriber's license in the patient's state cannot
    # treat them (the last day one may is stored on the row). `today` is bound per search, so a statement cached
    # for the process stays true after midnight.
    stmt = sa.select(ServiceState.provider_id).where(
        ServiceState.state == sa.bindparam("state"), ServiceState.listed.is_(True),
        ServiceState.prescriber_until >= sa.bindparam("today", type_=sa.Date))
    clauses = _provider_clauses(f)
    if clauses or with_provider:
        stmt = stmt.join(Provider, Provider.id == ServiceState.provider_id).where(*clauses)
    if exclude_nearby:
        # A provider already listed as a nearby clinic is not listed twice; only those with a clinic can be.
        stmt = stmt.where(sa.or_(ServiceState.has_clinic.is_(False),
                                 sa.and_(*not_listed_nearby(ServiceState.provider_id, f.accepting_new_patients))))
    return stmt


# --- the search ---------------------------------------------------------------------------------------------

def find_providers(query: SearchQuery) -> SearchResult:
    """One page of matches with the totals of both lists. Raises PageOutOfRange past the last page."""
    from clinic_finder.search import single_statement

    if single_statement.answers(query):
        found = single_statement.find(query)
        if found is not None:
            return found
    f = query.filters
    in_clinic: InClinic | None = None
    if f.mode in (None, Mode.IN_CLINIC):
        in_clinic = count_in_clinic(query.place, query.radius_mi, _provider_clauses(f), f.accepting_new_patients)
    at_home = _AtHome(query, in_clinic) if f.mode in (None, Mode.AT_HOME) and query.place.state else None
    clinic_total = in_clinic.total if in_clinic else 0
    at_home_total = at_home.total if at_home else 0
    total = clinic_total + at_home_total
    pages = max(1, math.ceil(total / query.per_page))
    if query.page > pages:
        raise PageOutOfRange(query.page, pages)

    offset = (query.page - 1) * query.per_page
    end = offset + query.per_page
    clinics: list[NearbyClinic] = []
    if in_clinic and offset < clinic_total:
        clinics = in_clinic.page(_sort_columns(query.sort), query.sort.value, offset, min(end, clinic_total) - offset)
    home_ids: list[int] = []
    if at_home is not None and end > clinic_total:
        start = max(0, offset - clinic_total)
        home_ids = at_home.page(start, end - clinic_total - start)
    return SearchResult(_matches(clinics, home_ids), total, query.page, query.per_page, query, clinic_total,
                        at_home_total)


class _AtHome:
    """The at-home list of a search: its total, and a page of provider ids."""

    def __init__(self, query: SearchQuery, in_clinic: InClinic | None):
        self.query, self.in_clinic = query, in_clinic
        self.params = in_clinic.exclusion_params() if in_clinic else {}
        self.params["state"] = query.place.state
        self.params["today"] = datetime.now(UTC).date()
        self.statement = _at_home_statement(query.filters, in_clinic is not None)
        count_stmt = _cached(("home count", in_clinic is not None), query.filters,
                             lambda: sa.select(sa.func.count()).select_from(self.statement.subquery()))
        self.total = db.session.connection().execute(count_stmt, self.params).scalar() or 0

    def page(self, skip: int, take: int) -> list[int]:
        f, sort, in_clinic = self.query.filters, self.query.sort, self.in_clinic
        page_stmt = _cached(("home page", in_clinic is not None, sort), f, lambda: _at_home_statement(
            f, in_clinic is not None, with_provider=True).order_by(*_sort_columns(sort), Provider.name, Provider.id,
        ).offset(sa.bindparam("skip", type_=sa.Integer)).limit(sa.bindparam("take", type_=sa.Integer)))
        return list(db.session.connection().execute(page_stmt, dict(self.params, skip=skip, take=take)).scalars())


def _matches(clinics: list[NearbyClinic], home_ids: list[int]) -> list[Match]:
    """The page's matches, loaded in one statement per list, as cards (search/cards.py) with their lists."""
    providers: dict[int, ProviderCard] = {}
    locations: dict[int, LocationCard] = {}
    facts: dict[tuple[int, str], list[str]] = {}
    conn = db.session.connection()
    if clinics:
        # Only the clinic each match was found at (not every clinic of every provider), with its provider.
        for row in conn.execute(_CLINICS_BY_ID, {"ids": [c.location_id for c in clinics]}):
            loc, p = LocationCard(*row[:_LOCATION_WIDTH]), ProviderCard(*row[_LOCATION_WIDTH:_CLINIC_WIDTH])
            locations[loc.id], providers[p.id] = loc, p
            read_facts(facts, p.id, row[_CLINIC_WIDTH:])
    if home_ids:
        for row in conn.execute(_PROVIDERS_BY_ID, {"ids": home_ids}):
            providers[row[0]] = ProviderCard(*row[:_PROVIDER_WIDTH])
            read_facts(facts, row[0], row[_PROVIDER_WIDTH:])
    matches = [_match(providers[c.provider_id], Mode.IN_CLINIC, c.distance_mi, locations.get(c.location_id), facts)
               for c in clinics]
    matches += [_match(providers[pid], Mode.AT_HOME, None, None, facts) for pid in home_ids]
    return matches


def _match(p: Provider | ProviderCard, mode: Mode, distance: float | None, location: Location | LocationCard | None,
           facts: dict) -> Match:
    return Match(
        provider=p, mode=mode, distance_mi=distance, location=location, trust=summary_of(p),
        routes=Route.in_order(facts.get((p.id, "route"), ())),
        conditions=Condition.in_order(facts.get((p.id, "condition"), ())),
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
