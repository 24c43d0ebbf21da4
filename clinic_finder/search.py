"""Finding providers near a place (first cut; the search feature replaces the internals, keeping the interface).

In-clinic matches: a published provider with a location within radius_mi (geodesic miles) of the place.
At-home matches: a published at-home provider licensed to treat patients in the place's state.
The combined list is in-clinic matches first, then at-home matches, each ordered by the sort key, then id.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from geopy.distance import geodesic
from sqlalchemy.orm import selectinload

from . import vetting
from .extensions import db
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


class Sort(str, enum.Enum):
    DISTANCE = "distance"
    RATING = "rating"
    PRICE = "price"


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
    radius_mi: float = 25
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = Sort.DISTANCE
    page: int = 1
    per_page: int = 20


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
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


def _provider_filters(f: SearchFilters) -> list:
    conds = [Provider.listing_status == ListingStatus.PUBLISHED]
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


def _sort_key(sort: Sort, provider: Provider, distance: float | None):
    if sort == Sort.RATING:
        return (-(provider.rating_average or 0), -provider.rating_count, distance or 0, provider.id)
    if sort == Sort.PRICE:
        return (provider.price_min_usd if provider.price_min_usd is not None else 10**9, distance or 0, provider.id)
    return (distance if distance is not None else 0, provider.name, provider.id)


def find_providers(query: SearchQuery) -> SearchResult:
    f, place = query.filters, query.place
    in_clinic: list[tuple] = []
    if f.mode in (None, Mode.IN_CLINIC):
        dlat = query.radius_mi / 68.7 + 0.01
        dlon = query.radius_mi / max(1.0, 69.17 * math.cos(math.radians(place.lat))) + 0.01
        stmt = (
            sa.select(Location.id, Location.provider_id, Location.lat, Location.lon)
            .join(Provider, Provider.id == Location.provider_id)
            .where(Location.lat.between(place.lat - dlat, place.lat + dlat),
                   Location.lon.between(place.lon - dlon, place.lon + dlon),
                   Provider.offers_in_clinic.is_(True), *_provider_filters(f))
        )
        if f.accepting_new_patients:
            stmt = stmt.where(Location.accepting_new_patients.is_(True))
        nearest: dict[int, tuple[float, int]] = {}
        for loc_id, provider_id, lat, lon in db.session.execute(stmt):
            d = geodesic((place.lat, place.lon), (lat, lon)).miles
            if d <= query.radius_mi and (provider_id not in nearest or d < nearest[provider_id][0]):
                nearest[provider_id] = (d, loc_id)
        in_clinic = [(pid, d, loc_id) for pid, (d, loc_id) in nearest.items()]
    at_home: list[int] = []
    if f.mode in (None, Mode.AT_HOME) and place.state:
        clinic_ids = {pid for pid, _, _ in in_clinic}
        stmt = (
            sa.select(Provider.id)
            .join(ServiceState, ServiceState.provider_id == Provider.id)
            .where(ServiceState.state == place.state, Provider.offers_at_home.is_(True), *_provider_filters(f))
        )
        at_home = [pid for pid in db.session.scalars(stmt) if pid not in clinic_ids]

    ids = [pid for pid, _, _ in in_clinic] + at_home
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
    ordered = sorted(in_clinic, key=lambda t: _sort_key(query.sort, providers[t[0]], t[1]))
    ordered_home = sorted(at_home, key=lambda pid: _sort_key(query.sort, providers[pid], None))
    combined = [(pid, Mode.IN_CLINIC, d, loc) for pid, d, loc in ordered] + [
        (pid, Mode.AT_HOME, None, None) for pid in ordered_home
    ]
    start = (query.page - 1) * query.per_page
    matches = []
    for pid, mode, d, loc_id in combined[start:start + query.per_page]:
        p = providers[pid]
        checklist = vetting.checklist_for(p)
        location = next((loc for loc in p.locations if loc.id == loc_id), None)
        matches.append(Match(p, mode, d, location, checklist.verified, checklist.total))
    return SearchResult(query, matches, len(combined), len(in_clinic), len(at_home))
