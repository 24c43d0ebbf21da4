"""On PostgreSQL the SELECTs of a read-only request (an anonymous GET or HEAD) run in autocommit, without the BEGIN
and ROLLBACK round trips a transaction adds; everything else keeps its transaction (serving/read_replica.py)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db as _db


@pytest.fixture
def postgresql(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver begins no transaction for a SELECT: there is nothing to leave out")


@contextmanager
def selects_seen():
    """(autocommit?, statement) for each SELECT the app sends while inside."""
    seen: list[tuple[bool, str]] = []

    def record(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((conn.connection.dbapi_connection.autocommit, statement[:60]))

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)


def test_an_anonymous_page_reads_in_autocommit_and_sees_every_commit(postgresql, client, make_provider):
    provider = make_provider("Autocommit Infusion Center")
    paths = (f"/providers/{provider.id}", "/api/v1/providers?lat=40.75&lon=-73.99", "/search?q=10001",
             f"/api/v1/providers/{provider.id}")
    with selects_seen() as seen:
        for path in paths:
            assert client.get(path).status_code == 200, path
        assert client.head(f"/providers/{provider.id}").status_code == 200
    assert seen and all(autocommit for autocommit, _ in seen), [s for a, s in seen if not a]

    provider.name = "Renamed Infusion Center"
    _db.session.commit()
    assert b"Renamed Infusion Center" in client.get(f"/providers/{provider.id}").data


def test_a_visitor_with_a_session_and_every_post_read_inside_a_transaction(postgresql, app, client,
                                                                           make_provider):
    provider = make_provider("Transaction Infusion Center")
    with_session = app.test_client()
    with_session.set_cookie("session", "anything")  # any session cookie: the visitor may have just changed something
    with selects_seen() as seen:
        assert with_session.get(f"/providers/{provider.id}").status_code == 200
        # An anonymous form post, refused for its empty fields: it reads the provider all the same.
        assert client.post(f"/providers/{provider.id}/reviews/new", data={}).status_code in (200, 422)
    assert seen and not any(autocommit for autocommit, _ in seen), [s for a, s in seen if a]
