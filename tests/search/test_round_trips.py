"""A plain search is one statement on PostgreSQL (issue 20), and answers exactly what the general plan answers."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import Location, Mode
from clinic_finder.search import single_statement
from clinic_finder.search.query import SearchFilters, SearchQuery, Sort, find_providers

from .conftest import point_at


@pytest.fixture
def postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("one statement per search is PostgreSQL's plan; set TEST_DATABASE_URL to run this")


@contextmanager
def statements():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def _shown(result) -> tuple:
    return (result.total, result.in_clinic_total, result.at_home_total,
            [(m.provider.id, m.mode, m.distance_mi, m.location.id if m.location else None, m.routes, m.conditions,
              m.states_served, m.trust) for m in result.matches])


def _by_the_general_plan(query, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(single_statement, "answers", lambda _query: False)
        return find_providers(query)


def _a_town(clinic_at, make_provider, clinics: int):
    for i in range(clinics):
        clinic_at(0.5 + i * 24.4 / max(clinics, 1), (i * 37) % 360, f"Clinic {i:02d}")
    clinic_at(24.95, 10, "In the ring")  # where sphere and ellipsoid may disagree: measured exactly
    clinic_at(25.05, 200, "Just outside")
    two_sites = clinic_at(30, 90, "Two sites")
    nearer = Location(address_line1="2 Side St", city="New York", state="NY", zip_code="10001")
    nearer.set_coordinates(*point_at(single_statement_place(), 2, 45), "test")
    two_sites.locations.append(nearer)
    make_provider("Tele A", in_clinic=False, at_home=True, states_served=("NY", "NJ"))
    make_provider("Tele B", in_clinic=False, at_home=True, states_served=("NY",))
    make_provider("Tele elsewhere", in_clinic=False, at_home=True, states_served=("CA",))
    db.session.commit()


def single_statement_place():
    from .conftest import NEW_YORK

    return NEW_YORK


@pytest.mark.parametrize("clinics", [40, 8])
def test_a_plain_search_is_one_statement_with_the_general_plans_answer(postgresql_only, app, clinic_at,
                                                                     make_provider, new_york, monkeypatch, clinics):
    _a_town(clinic_at, make_provider, clinics)
    for page, per_page in ((1, 20), (1, 5), (2, 5), (3, 5)):
        query = SearchQuery(new_york, page=page, per_page=per_page)
        expected = _by_the_general_plan(query, monkeypatch)
        db.session.expunge_all()
        with statements() as seen:
            result = find_providers(query)
            shown = _shown(result)  # reading what the page shows loads nothing more
        assert len(seen) == 1, seen
        assert shown == _shown(expected)
    assert _shown(result)[2] == 2  # the at-home list was read in the same statement


def test_the_api_answers_a_plain_search_in_one_statement(postgresql_only, client, clinic_at, make_provider):
    _a_town(clinic_at, make_provider, 30)
    db.session.expunge_all()
    with statements() as seen:
        body = client.get("/api/v1/providers?lat=40.7484&lon=-73.9967").get_json()
    assert len(seen) == 1, seen
    # 30 clinics, the one in the ring and the two-site provider at its nearer clinic; two at home in New York
    assert (body["total"], body["in_clinic_total"], body["at_home_total"]) == (34, 32, 2)
    assert [r["name"] for r in body["results"]][:2] == ["Clinic 00", "Clinic 01"]


def test_an_at_home_provider_with_a_clinic_in_the_ring_is_still_listed_once(postgresql_only, clinic_at,
                                                                           make_provider, new_york, monkeypatch):
    """Whether it is a nearby clinic or an at-home match depends on the ring's geodesic: the general plan decides."""
    _a_town(clinic_at, make_provider, 10)
    clinic_at(24.97, 300, "Both, in the ring", at_home=True, states_served=("NY",))
    clinic_at(25.03, 120, "Both, just outside", at_home=True, states_served=("NY",))
    query = SearchQuery(new_york, per_page=50)
    result = find_providers(query)
    names = [(m.provider.name, m.mode) for m in result.matches]
    assert ("Both, in the ring", Mode.IN_CLINIC) in names and ("Both, just outside", Mode.AT_HOME) in names
    assert len({m.provider.id for m in result.matches}) == len(result.matches) == result.total
    assert _shown(result) == _shown(_by_the_general_plan(query, monkeypatch))


def test_filters_and_other_sorts_take_the_general_plan(postgresql_only, make_provider, new_york):
    assert single_statement.answers(SearchQuery(new_york))
    assert not single_statement.answers(SearchQuery(new_york, sort=Sort.RATING))
    assert not single_statement.answers(SearchQuery(new_york, filters=SearchFilters(free_consultation=True)))
    assert not single_statement.answers(SearchQuery(new_york, filters=SearchFilters(mode=Mode.AT_HOME)))
    assert not single_statement.answers(SearchQuery(new_york, page=6, per_page=20))


def test_the_one_statement_is_converted_for_psycopg_once(app, client, make_provider):
    """psycopg converts a statement's placeholders once and keeps it, for this 10 KB statement too
    (serving/psycopg_statements.py): 0.3–0.5 ms of CPU a search otherwise."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg is PostgreSQL's driver")
    from psycopg import _queries

    make_provider("Harbor Infusion Center")
    assert client.get("/api/v1/providers?lat=40.75&lon=-73.99").status_code == 200
    converted = _queries._query2pg.cache_info()
    assert client.get("/api/v1/providers?lat=40.76&lon=-73.98").status_code == 200
    after = _queries._query2pg.cache_info()
    assert after.misses == converted.misses and after.hits > converted.hits
