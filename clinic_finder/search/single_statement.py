"""A plain search on PostgreSQL in one statement: both totals, the ring to measure, and the page's rows with their
providers, clinics, facts and stored trust summaries (issue 20: seven or eight round trips had cost more than the
scans themselves).

One read of the circle's index entries (materialized once) gives the certain count, the ring's clinics (measured
here with the exact geodesic, as nearby.py does) and the nearest-first walk; the at-home total and the rows of its
part of the page come from service_state's index. Plain means no filters, nearest first, in-clinic or either mode,
and a page within the first _DEEPEST results; anything else takes query.py's plan. What one statement cannot settle
(a walk that multi-site providers filled, a page reaching past the walk's rows) goes on through nearby.py, and an
at-home provider with a clinic in the ring hands the whole search to query.py's plan, so results stay exact.
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import Location, Mode, Provider, ProviderCondition, ProviderRoute, ServiceState
from clinic_finder.search import nearby
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
_STATEMENTS: dict[bool, sa.Select] = {}


def _bound(name: str, type_=sa.Float):
    return sa.bindparam(name, type_=type_)


def _none(type_):
    return sa.cast(sa.null(), type_)


def answers(query: SearchQuery) -> bool:
    """Whether this is a search the one statement answers."""
    f = query.filters
    return (f == SearchFilters(mode=f.mode) and f.mode in (None, Mode.IN_CLINIC) and query.sort == Sort.DISTANCE
            and query.page * query.per_page <= _DEEPEST
            and db.session.get_bind().dialect.name == "postgresql")


def find(query: SearchQuery) -> SearchResult | None:
    """The page and totals of a plain search, or None when query.py's plan must answer it."""
    place = query.place
    with_home = query.filters.mode is None and bool(place.state)
    circle = nearby.circle_of(place, query.radius_mi)
    offset = (query.page - 1) * query.per_page
    end = offset + query.per_page
    params = dict(circle.params, **circle.cap_params("outer", circle.cos_outer), cos_inner=circle.cos_inner,
                  cos_outer=circle.cos_outer, walk_rows=walk_row_limit(end), page_offset=offset, page_end=end)
    if with_home:
        params.update(state=place.state, today=datetime.now(UTC).date(), nearby_min_cos=circle.cos_inner,
                      ring_provider_ids=[])
    statement = _STATEMENTS.get(with_home)
    if statement is None:
        statement = _STATEMENTS[with_home] = _statement(with_home)
    rows = db.session.execute(statement, params).all()
    totals = next(row for row in rows if row.kind == "totals")
    if totals.home_ring_providers:
        return None  # whether they are listed at home depends on the ring's geodesics: the general plan decides
    ring = [RingClinic(*item) for item in totals.ring or ()]
    in_clinic = nearby.counted_in_clinic(place, query.radius_mi, totals.single_site + totals.multi_site, ring)
    clinic_total, home_total = in_clinic.total, (totals.home_total or 0) if with_home else 0
    pages = max(1, -(-(clinic_total + home_total) // query.per_page))
    if query.page > pages:
        raise PageOutOfRange(query.page, pages)

    locations = {row.Location.id: row.Location for row in rows if row.Location is not None}
    providers = {row.Provider.id: row.Provider for row in rows if row.Provider is not None}
    walked = [WalkedClinic(loc.provider_id, row.sphere_cos, loc.id, loc.lat, loc.lon)
              for row in rows if row.kind == "walk" and (loc := row.Location) is not None]
    walked.sort(key=lambda clinic: (-clinic.sphere_cos, clinic.id))
    clinics = []
    if offset < clinic_total:
        clinics = in_clinic.page([], Sort.DISTANCE.value, offset, min(end, clinic_total) - offset, walked=walked)
    home_ids: list[int] = []
    if with_home and end > clinic_total:
        start = max(0, offset - clinic_total)
        at = {row.home_position: row.Provider.id for row in rows if row.kind == "home"}
        home_ids = [at.get(position) for position in range(start, min(home_total, end - clinic_total))]
    if None in home_ids or any(c.location_id not in locations for c in clinics):
        return None  # a page past what the statement read (rare): the general plan reads it
    facts = {}
    for row in rows:
        if row.Provider is not None:
            for kind, values in (("route", row.routes), ("condition", row.conditions), ("state", row.states)):
                facts[(row.Provider.id, kind)] = values or []
    matches = [_match(providers[c.provider_id], Mode.IN_CLINIC, c.distance_mi, locations[c.location_id], facts)
               for c in clinics]
    matches += [_match(providers[pid], Mode.AT_HOME, None, None, facts) for pid in home_ids]
    return SearchResult(matches, clinic_total + home_total, query.page, query.per_page, query, clinic_total,
                        home_total)


def _statement(with_home: bool) -> sa.Select:
    cos_inner = _bound("cos_inner")
    circle = sa.select(Location.id.label("location_id"), Location.provider_id, Location.lat, Location.lon,
                       Location.is_only_location.label("only"), nearby.sphere_cos(Location).label("sphere_cos"),
                       ).where(*nearby.cap_clauses("outer")).cte("circle").prefix_with("MATERIALIZED")
    inside = circle.c.sphere_cos >= cos_inner
    # A multi-site provider in the ring may be counted already, through a clinic inside (its own index says).
    sibling = sa.orm.aliased(Location, name="sibling")
    inside_too = sa.and_(~circle.c.only, sa.select(sibling.id).where(
        sibling.provider_id == circle.c.provider_id, sibling.searchable.is_(True),
        nearby.sphere_cos(sibling) >= cos_inner).exists())
    counted = sa.select(
        sa.func.count().filter(sa.and_(inside, circle.c.only)).label("single_site"),
        sa.func.count(sa.distinct(circle.c.provider_id)).filter(sa.and_(inside, ~circle.c.only)).label("multi_site"),
        sa.func.count(sa.distinct(circle.c.provider_id)).filter(~inside).label("ring_providers"),
        sa.func.json_agg(sa.func.json_build_array(circle.c.location_id, circle.c.provider_id, circle.c.lat,
                                                  circle.c.lon, circle.c.only, inside_too))
        .filter(~inside).label("ring"),
    ).cte("counted")
    walk = (sa.select(circle.c.location_id, circle.c.provider_id, circle.c.sphere_cos).where(inside)
            .order_by(circle.c.sphere_cos.desc(), circle.c.location_id)
            .limit(_bound("walk_rows", sa.Integer)).cte("walk"))
    # The walk read the whole inner circle: the ring's clinics may be on the page.
    walked_all = sa.select(sa.func.count()).select_from(walk).scalar_subquery() < _bound("walk_rows", sa.Integer)
    members = [
        sa.select(sa.literal("totals").label("kind"), _none(sa.Integer).label("location_id"),
                  _none(sa.Integer).label("provider_id"), _none(sa.Float).label("sphere_cos"),
                  _none(sa.BigInteger).label("home_position")),
        sa.select(sa.literal("walk"), walk.c.location_id, walk.c.provider_id, walk.c.sphere_cos,
                  _none(sa.BigInteger)),
        sa.select(sa.literal("ring"), circle.c.location_id, circle.c.provider_id, circle.c.sphere_cos,
                  _none(sa.BigInteger)).where(~inside, walked_all),
    ]
    home_totals = []
    if with_home:
        certain = sa.select(counted.c.single_site + counted.c.multi_site).scalar_subquery()
        at_most = sa.select(counted.c.single_site + counted.c.multi_site + counted.c.ring_providers).scalar_subquery()
        # Only the at-home rows this page can reach, whatever the ring's geodesics decide.
        skip = sa.func.greatest(0, _bound("page_offset", sa.Integer) - at_most)
        listed = _at_home_statement(SearchFilters(), exclude_nearby=True)
        window = (_at_home_statement(SearchFilters(), exclude_nearby=True, with_provider=True)
                  .add_columns((sa.func.row_number().over(order_by=(Provider.name, Provider.id)) - 1)
                               .label("home_position"))
                  .order_by(Provider.name, Provider.id).offset(skip)
                  .limit(sa.func.greatest(0, _bound("page_end", sa.Integer) - certain - skip)).subquery("window"))
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
    text = sa.String(60)

    def facts(column, owner):
        return (sa.select(sa.func.array_agg(sa.cast(column, text))).where(owner == Provider.id)
                .scalar_subquery())

    is_totals = found.c.kind == "totals"
    return (sa.select(found.c.kind, found.c.sphere_cos, found.c.home_position, Provider, Location,
                      facts(ProviderRoute.route, ProviderRoute.provider_id).label("routes"),
                      facts(ProviderCondition.condition, ProviderCondition.provider_id).label("conditions"),
                      facts(ServiceState.state, ServiceState.provider_id).label("states"),
                      sa.case((is_totals, counted.c.single_site)).label("single_site"),
                      sa.case((is_totals, counted.c.multi_site)).label("multi_site"),
                      sa.case((is_totals, counted.c.ring)).label("ring"),
                      *(home_totals or [sa.null().label("home_total"), sa.null().label("home_ring_providers")]))
            .select_from(found).join(counted, sa.true())
            .outerjoin(Provider, Provider.id == found.c.provider_id)
            .outerjoin(Location, Location.id == found.c.location_id))
