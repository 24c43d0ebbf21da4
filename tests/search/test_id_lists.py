"""Id lists bound as one value (search/id_lists.py): the same rows as an IN list on SQLite and PostgreSQL, one
statement text whatever the list's length, and the database still goes straight to each id."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import Location
from clinic_finder.search.id_lists import in_ids, not_in_ids


@pytest.fixture
def location_ids(make_provider):
    for i in range(6):
        make_provider(f"Clinic {i}")
    return sorted(db.session.scalars(sa.select(Location.id)))


@pytest.mark.parametrize("pick", [[], [0], [1, 3, 5], [0, 1, 2, 3, 4, 5]])
def test_in_and_not_in_select_the_same_rows_as_python_would(location_ids, pick):
    chosen = [location_ids[i] for i in pick] + [10**9]  # an id no row has changes nothing
    inside = db.session.scalars(sa.select(Location.id).where(in_ids(Location.id, "ids")).order_by(Location.id),
                                {"ids": chosen}).all()
    outside = db.session.scalars(sa.select(Location.id).where(not_in_ids(Location.id, "ids"))
                                 .order_by(Location.id), {"ids": chosen}).all()
    assert inside == [i for i in location_ids if i in chosen]
    assert outside == [i for i in location_ids if i not in chosen]


def test_an_empty_list_matches_nothing_and_excludes_nothing(location_ids):
    assert db.session.scalars(sa.select(Location.id).where(in_ids(Location.id, "ids")), {"ids": []}).all() == []
    assert len(db.session.scalars(sa.select(Location.id).where(not_in_ids(Location.id, "ids")),
                                  {"ids": set()}).all()) == len(location_ids)


def test_the_statement_text_does_not_change_with_the_lists_length(location_ids, count_queries):
    stmt = sa.select(Location.id).where(in_ids(Location.id, "ids"))
    with count_queries() as statements:
        db.session.execute(stmt, {"ids": location_ids[:1]}).all()
        db.session.execute(stmt, {"ids": location_ids}).all()
    assert len(statements) == 2 and statements[0] == statements[1]


def test_sqlite_goes_to_each_id_by_its_key(app, location_ids):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL reads `= ANY(array)` by the index")
    # Compared with 1 (SQLite has no boolean type), the IN was hidden from the planner, which scanned the table.
    stmt = sa.select(Location.id).where(in_ids(Location.id, "ids"))
    sql = str(stmt.compile(dialect=db.engine.dialect))
    plan = " ".join(row[-1] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, ("[1]",)))
    assert "SEARCH location USING INTEGER PRIMARY KEY" in plan, plan
