"""Reading the published directory the way the HSDS API asks: by stored uuid, filtered, a page at a time.

Only published listings are ever read (listings.directory.published). Filters on plain columns run in SQL; the
taxonomy filters ask what the serializer shows (objects.term_ids), and the proximity filter measures geodesic
distance, both in Python over SQL's candidates, so a filter can never disagree with the records it returns.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from clinic_finder.extensions import db
from clinic_finder.geo.geodesy import geodesic_miles
from clinic_finder.inputs.pagination import Page, page_of_list, paginate
from clinic_finder.interchange.last_modified import modified_since_sql
from clinic_finder.listings.directory import profile_options, published
from clinic_finder.models import Location, Provider

METERS_PER_MILE = 1609.344
_BATCH = 500


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    meters: float | None  # None: the postcode alone, clinics with that ZIP code


@dataclass(frozen=True)
class ServiceFilters:
    search: str | None = None
    # Term or taxonomy ids the service must carry (a group term matches any check in it; a taxonomy any term).
    required_terms: frozenset[str] = frozenset()
    organization_id: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None
    near: Point | None = None


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _provider_clauses(f: ServiceFilters, today: date | None) -> list:
    clauses = []
    if f.search:
        pattern = _like(f.search)
        clauses.append(sa.or_(sa.func.lower(Provider.name).like(pattern, escape="\\"),
                              sa.func.lower(Provider.description).like(pattern, escape="\\")))
    if f.organization_id:
        clauses.append(Provider.organization_uuid == f.organization_id)
    if f.modified_after:
        clauses.append(modified_since_sql(f.modified_after, today))
    return clauses


def _keeps_provider(f: ServiceFilters, today: date | None) -> Callable[[Provider], bool] | None:
    if not f.required_terms:
        return None
    from clinic_finder.interchange.hsds.objects import term_ids

    return lambda p: f.required_terms <= term_ids(p, today)


def _page(statement: sa.Select, keep: Callable | None, page: int, per_page: int, id_column) -> Page:
    """A page of the statement's rows; with `keep`, of the rows it keeps (read in batches, memory flat)."""
    if keep is None:
        return paginate(statement, page, per_page)
    kept = [row.id for row in _batches(statement) if keep(row)]
    ids = page_of_list(kept, page, per_page)
    rows = db.session.scalars(statement.where(id_column.in_(ids.items))).unique().all() if ids.items else []
    by_id = {row.id: row for row in rows}
    return Page([by_id[i] for i in ids.items], ids.total, page, per_page)


def _batches(statement: sa.Select) -> Iterator:
    offset = 0
    while True:
        rows = db.session.scalars(statement.limit(_BATCH).offset(offset)).unique().all()
        yield from rows
        if len(rows) < _BATCH:
            return
        offset += _BATCH


# --- services and organizations --------------------------------------------------------------------------------

def _services_statement(f: ServiceFilters, today: date | None) -> sa.Select:
    return (published().where(*_provider_clauses(f, today)).options(*profile_options())
            .order_by(Provider.name, Provider.id))


def services_page(f: ServiceFilters, page: int, per_page: int, today: date | None = None) -> Page:
    return _page(_services_statement(f, today), _keeps_provider(f, today), page, per_page, Provider.id)


def all_services(f: ServiceFilters, today: date | None = None) -> Iterator[Provider]:
    """Every matching service, in batches (format=ndjson streams them without pages)."""
    keep = _keeps_provider(f, today)
    for p in _batches(_services_statement(f, today)):
        if keep is None or keep(p):
            yield p


def service(uuid: str) -> Provider | None:
    return db.session.scalar(published().where(Provider.uuid == uuid).options(*profile_options()))


def organization(uuid: str) -> Provider | None:
    return db.session.scalar(published().where(Provider.organization_uuid == uuid).options(*profile_options()))


# --- services at locations -------------------------------------------------------------------------------------

def _locations_statement(f: ServiceFilters, today: date | None) -> sa.Select:
    statement = (sa.select(Location).join(Location.provider).options(contains_eager(Location.provider))
                 .where(published().whereclause, *_provider_clauses(f, today)).order_by(Provider.name, Location.id))
    if f.postcode and f.near is None:
        statement = statement.where(Location.zip_code == f.postcode)
    if f.near is not None:
        # A box around the circle first (a degree of latitude is at least 110.5 km; longitude degrees shrink by
        # cos(latitude)), then the exact geodesic in Python.
        lat_span = f.near.meters / 110_500 + 0.01
        statement = statement.where(Location.lat.is_not(None), Location.lat.between(f.near.lat - lat_span,
                                                                                   f.near.lat + lat_span))
    return statement


def _keeps_location(f: ServiceFilters, today: date | None) -> Callable[[Location], bool] | None:
    keep_provider = _keeps_provider(f, today)
    near = f.near
    if keep_provider is None and near is None:
        return None

    def keep(loc: Location) -> bool:
        if near is not None and (loc.lat is None or loc.lon is None or geodesic_miles(
                near.lat, near.lon, loc.lat, loc.lon) * METERS_PER_MILE > near.meters):
            return False
        return keep_provider is None or keep_provider(loc.provider)

    return keep


def service_at_locations_page(f: ServiceFilters, page: int, per_page: int, today: date | None = None) -> Page:
    page_ = _page(_locations_statement(f, today), _keeps_location(f, today), page, per_page, Location.id)
    _load_providers([loc.provider for loc in page_.items])
    return page_


def all_service_at_locations(f: ServiceFilters, today: date | None = None) -> Iterator[Location]:
    keep = _keeps_location(f, today)
    for loc in _batches(_locations_statement(f, today)):
        if keep is None or keep(loc):
            yield loc


def service_at_location(uuid: str) -> Location | None:
    loc = db.session.scalar(sa.select(Location).join(Location.provider).options(contains_eager(Location.provider))
                            .where(published().whereclause, Location.uuid == uuid))
    if loc is not None:
        _load_providers([loc.provider])
    return loc


def _load_providers(providers: list[Provider]) -> None:
    """Everything the serializer reads of these providers, in the profile's fixed number of queries."""
    ids = list({p.id for p in providers})
    if ids:
        db.session.scalars(sa.select(Provider).where(Provider.id.in_(ids)).options(*profile_options())).all()
