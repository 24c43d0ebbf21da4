"""A plain search on PostgreSQL in one statement: both totals, the ring to measure, and the page's rows with their
providers, clinics, facts and stored trust summaries (issue 20: seven or eight round trips had cost more than the
scans themselves).

The count is search/cells.py's (cells for the middle of the circle, the index near its edge, which also gives the
ring's clinics, measured here with the exact geodesic as nearby.py does); the nearest-first walk reads widening
caps until one holds enough clinics; the at-home total and the rows of its part of the page come from
service_state's index. Plain means no filters, nearest first, in-clinic or either mode, and a page within the
first _DEEPEST results; anything else takes query.py's plan. What one statement cannot settle
(a walk that multi-site providers filled, a page reaching past the walk's rows) goes on through nearby.py, and an
at-home provider with a clinic in the ring hands the whole search to query.py's plan, so results stay exact.
"""
from __future__ import annotations

import math
from datetime import UTC, datetime

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import Location, Mode, Provider, ServiceState
from clinic_finder.search import cells, nearby
from clinic_finder.search.cards import FACT_KINDS, LocationCard, ProviderCard, fact_columns, read_facts
from clinic_finder.search.nearby import RingClinic, WalkedClinic, walk_row_limit
from clinic_finder.search.query import (
    PageOutOfRange,
    SearchFilters,
    SearchQuery,
    SearchResult,
    Sort,
    _at_home_statement,
    _match,
)

_DEEPEST = 100  # a deeper page walks far: query.py's plan reads it in steps
# The walk's first caps, as shares of the inner radius: at 25 miles an eighth holds the nearest 41 clinics of a
# big metro (New York at 1M: about 1,100 in it), 1/2.8 those of a mid-sized city; else the whole circle is read.
_WALK_CAPS = {"walk1": 1 / 8, "walk2": 1 / 2.8}
_STATEMENTS: dict[bool, sa.Select] = {}
# Each row's card columns (search/cards.py) follow its first _LEADING columns: the provider's, then the clinic's.
_LEADING = 5
_PROVIDER_END = _LEADING + len(ProviderCard.columns())
_LOCATION_END = _PROVIDER_END + len(LocationCard.columns())
_FACTS_END = _LOCATION_END + len(FACT_KINDS)  # then the provider's lists (cards.fact_columns)


def _bound(name: str, type_=sa.Float):
    return sa.bindparam(name, type_=type_)


def _none(type_):
    return sa.cast(sa.null(), type_)


def answers(query: SearchQuery) -> bool:
    """Whether this is a search the one statement answers."""
    f = query.filters
    # The engine's dialect (a replica, when reads go to one, is PostgreSQL too): asking the session which bind
    # a statement would use costs more than the rest of this test.
    return (db.engine.dialect.name == "postgresql" and f.mode in (None, Mode.IN_CLINIC)
            and query.sort == Sort.DISTANCE and query.page * query.per_page <= _DEEPEST
            and f == SearchFilters(mode=f.mode))


def find(query: SearchQuery) -> SearchResult | None:
    """The page and totals of a plain search, or None when query.py's plan must answer it."""
    place = query.place
    with_home = query.filters.mode is None and bool(place.state)
    circle = nearby.circle_of(place, query.radius_mi)
    offset = (query.page - 1) * query.per_page
    end = offset + query.per_page
    inner_angle = math.acos(circle.cos_inner)
    caps = {"outer": circle.cos_outer, "inner": circle.cos_inner,
            **{name: math.cos(inner_angle * share) for name, share in _WALK_CAPS.items()}}
    params = dict(circle.params, cos_inner=circle.cos_inner, cos_outer=circle.cos_outer,
                  walk_rows=walk_row_limit(end), page_offset=offset, page_end=end)
    for name, cos in caps.items():
        params.update(circle.cap_params(name, cos))
    if not nearby.has_longitude_box(params["outer_lon_bands"]):
        return None  # near a pole or across 180°: query.py's plan
    params.update(cells.count_params(place.lat, place.lon, params["outer_lon_bands"], circle.cos_outer,
                                     circle.cos_inner))
    if with_home:
        params.update(state=place.state, today=datetime.now(UTC).date(), nearby_min_cos=circle.cos_inner,
                      ring_provider_ids=[])
    statement = _STATEMENTS.get(with_home)
    if statement is None:
        statement = _STATEMENTS[with_home] = _statement(with_home)
    # Plain rows on the connection the session would pick for this statement (a read may go to the replica): the
    # ORM's per-statement result machinery cost 5 % of an API search here (bench/profile_page.py).
    rows = db.session.connection(bind_arguments={"clause": statement}).execute(statement, params).all()
    totals = next(row for row in rows if row.kind == "totals")
    if totals.home_ring_providers:
        return None  # whether they are listed at home depends on the ring's geodesics: the general plan decides
    ring = [RingClinic(*item) for item in totals.ring or ()]
    in_clinic = nearby.counted_in_clinic(place, query.radius_mi, int(totals.certain), ring)
    clinic_total, home_total = in_clinic.total, (totals.home_total or 0) if with_home else 0
    pages = max(1, -(-(clinic_total + home_total) // query.per_page))
    if query.page > pages:
        raise PageOutOfRange(query.page, pages)

    providers = {row.provider_id: ProviderCard(*row[_LEADING:_PROVIDER_END]) for row in rows
                 if row.provider_id is not None}
    locations = {row.location_id: LocationCard(*row[_PROVIDER_END:_LOCATION_END])
                 for row in rows if row.location_id is not None}
    walked = [WalkedClinic(row.provider_id, row.sphere_cos, row.location_id, loc.lat, loc.lon)
              for row in rows if row.kind == "walk" and (loc := locations.get(row.location_id)) is not None]
    walked.sort(key=lambda clinic: (-clinic.sphere_cos, clinic.id))
    clinics = []
    if offset < clinic_total:
        clinics = in_clinic.page([], Sort.DISTANCE.value, offset, min(end, clinic_total) - offset, walked=walked)
    home_ids: list[int] = []
    if with_home and end > clinic_total:
        start = max(0, offset - clinic_total)
        at = {row.home_position: row.provider_id for row in rows if row.kind == "home" and row.provider_id}
        home_ids = [at.get(position) for position in range(start, min(home_total, end - clinic_total))]
    if None in home_ids or any(c.location_id not in locations for c in clinics):
        return None  # a page past what the statement read (rare): the general plan reads it
    facts: dict[tuple[int, str], list[str]] = {}
    for row in rows:
        if row.provider_id is not None:
            read_facts(facts, row.provider_id, row[_LOCATION_END:_FACTS_END])
    matches = [_match(providers[c.provider_id], Mode.IN_CLINIC, c.distance_mi, locations[c.location_id], facts)
               for c in clinics]
    matches += [_match(providers[pid], Mode.AT_HOME, None, None, facts) for pid in home_ids]
    return SearchResult(matches, clinic_total + home_total, query.page, query.per_page, query, clinic_total,
                        home_total)


def _statement(with_home: bool) -> sa.Select:
    cos_inner, walk_rows = _bound("cos_inner"), _bound("walk_rows", sa.Integer)
    counted = cells.count_statement("postgresql").columns(
        sa.column("interior"), sa.column("multi_site"), sa.column("edge_single_site"), sa.column("ring"),
        sa.column("ring_providers")).cte("counted")
    certain = counted.c.interior + counted.c.edge_single_site + counted.c.multi_site

    def nearest(cap: str, *gates) -> sa.CTE:
        """The walk_rows clinics nearest the point within a cap (a gate that is false skips the scan)."""
        return (sa.select(Location.id.label("location_id"), Location.provider_id,
                          nearby.sphere_cos(Location).label("sphere_cos"))
                .where(*nearby.cap_clauses(cap), *gates)
                .order_by(nearby.sphere_cos(Location).desc(), Location.id).limit(walk_rows).cte(f"nearest_{cap}"))

    def rows_of(cte: sa.CTE):
        return sa.select(sa.func.count()).select_from(cte).scalar_subquery()

    # The walk in widening caps, each read only if the one before holds fewer than walk_rows clinics: a dense
    # metro's nearest clinics come from a cap an eighth of the radius wide, a town's from the whole circle.
    small = nearest("walk1")
    middle = nearest("walk2", rows_of(small) < walk_rows)
    whole = nearest("inner", rows_of(small) < walk_rows, rows_of(middle) < walk_rows)
    walk = sa.union_all(
        sa.select(small).where(rows_of(small) == walk_rows),
        sa.select(middle).where(rows_of(middle) == walk_rows),
        sa.select(whole),
    ).cte("walk")
    # The walk read the whole inner circle: the ring's clinics may be on the page.
    walked_all = sa.select(sa.func.count()).select_from(walk).scalar_subquery() < walk_rows
    members = [
        sa.select(sa.literal("totals").label("kind"), _none(sa.Integer).label("location_id"),
                  _none(sa.Integer).label("provider_id"), _none(sa.Float).label("sphere_cos"),
                  _none(sa.BigInteger).label("home_position")),
        sa.select(sa.literal("walk"), walk.c.location_id, walk.c.provider_id, walk.c.sphere_cos,
                  _none(sa.BigInteger)),
        sa.select(sa.literal("ring"), Location.id, Location.provider_id, nearby.sphere_cos(Location),
                  _none(sa.BigInteger)).where(*nearby.cap_clauses("outer"), nearby.sphere_cos(Location) < cos_inner,
                                              walked_all),
    ]
    sibling = sa.orm.aliased(Location, name="sibling")
    home_totals = []
    if with_home:
        at_most = sa.select(certain + counted.c.ring_providers).scalar_subquery()
        at_least = sa.select(certain).scalar_subquery()
        # Only the at-home rows this page can reach, whatever the ring's geodesics decide.
        skip = sa.func.greatest(0, _bound("page_offset", sa.Integer) - at_most)
        listed = _at_home_statement(SearchFilters(), exclude_nearby=True)
        window = (_at_home_statement(SearchFilters(), exclude_nearby=True, with_provider=True)
                  .add_columns((sa.func.row_number().over(order_by=(Provider.name, Provider.id)) - 1)
                               .label("home_position"))
                  .order_by(Provider.name, Provider.id).offset(skip)
                  .limit(sa.func.greatest(0, _bound("page_end", sa.Integer) - at_least - skip)).subquery("window"))
        members.append(sa.select(sa.literal("home"), _none(sa.Integer), window.c.provider_id, _none(sa.Float),
                                 window.c.home_position))
        in_ring = listed.where(ServiceState.has_clinic.is_(True), sa.select(sibling.id).where(
            sibling.provider_id == ServiceState.provider_id, sibling.searchable.is_(True),
            nearby.sphere_cos(sibling) >= _bound("cos_outer")).exists())
        home_totals = [
            sa.case((sa.literal_column("found.kind") == "totals",
                     sa.select(sa.func.count()).select_from(listed.subquery()).scalar_subquery()))
            .label("home_total"),
            sa.case((sa.literal_column("found.kind") == "totals",
                     sa.select(sa.func.count()).select_from(in_ring.subquery()).scalar_subquery()))
            .label("home_ring_providers"),
        ]
    found = sa.union_all(*members).subquery("found")
    is_totals = found.c.kind == "totals"
    # provider_id and location_id are the joined rows' (null where the outer join found none).
    return (sa.select(found.c.kind, found.c.sphere_cos, found.c.home_position, Provider.id.label("provider_id"),
                      Location.id.label("location_id"), *ProviderCard.columns(), *LocationCard.columns(),
                      *fact_columns(Provider.id),
                      sa.case((is_totals, certain)).label("certain"),
                      sa.case((is_totals, counted.c.ring)).label("ring"),
                      *(home_totals or [sa.null().label("home_total"), sa.null().label("home_ring_providers")]))
            .select_from(found).join(counted, sa.true())
            .outerjoin(Provider, Provider.id == found.c.provider_id)
            .outerjoin(Location, Location.id == found.c.location_id))
