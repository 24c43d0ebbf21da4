"""A connection that died in the pool costs no visitor a page: reads take their connection untested and are run again
once on a fresh one if it was dead; everything else is tested on checkout (serving/dropped_connections.py)."""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db as _db


def _engine_of(app) -> sa.Engine:
    with app.app_context():
        return _db.engine


_SERVED = "dropped-connections-test"  # the served app's connections, by name on PostgreSQL


@pytest.fixture
def served(db, other_app):
    """An app of its own (its own pool), each request in its own app context as under a real server."""
    if _db.engine.dialect.name == "postgresql":
        return other_app(SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"application_name": _SERVED}})
    return other_app()


@pytest.fixture
def pings(served, monkeypatch):
    seen: list[int] = []
    dialect = _engine_of(served).dialect
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: seen.append(1) or real(connection))
    return seen


def test_a_read_takes_its_connection_untested_and_everything_else_is_tested(served, pings, make_provider):
    provider = make_provider("Untested Read Infusion Center")
    anonymous = served.test_client()
    for path in (f"/providers/{provider.id}", "/api/v1/providers?lat=40.75&lon=-73.99", "/healthz"):
        assert anonymous.get(path).status_code == 200, path
    assert pings == []

    with_session = served.test_client()
    with_session.set_cookie("session", "anything")  # a visitor who may have just changed something
    assert with_session.get(f"/providers/{provider.id}").status_code == 200
    assert pings == [1]
    # An anonymous form post, refused for its empty fields: it reads the provider on a tested connection.
    assert anonymous.post(f"/providers/{provider.id}/reviews/new", data={}).status_code in (200, 422)
    assert pings == [1, 1]


@pytest.fixture
def postgresql(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite connection is a file: nothing can drop it")


@pytest.fixture
def runs(served, monkeypatch):
    """How many times the app under RetryDroppedReads ran, request by request (2: a retried read)."""
    counted: list[int] = []
    retrying = served.wsgi_app
    inner = retrying.wsgi_app

    def counting(environ, start_response):
        counted.append(1)
        return inner(environ, start_response)

    monkeypatch.setattr(retrying, "wsgi_app", counting)

    def since_last() -> int:
        n = len(counted)
        counted.clear()
        return n

    return since_last


def _drop_the_served_connections() -> None:
    """What a restart of PostgreSQL does to the connections the served app holds in its pool."""
    url = _db.engine.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name = %s", (_SERVED,)).fetchone()[0]
    assert dropped >= 1


def test_a_read_that_meets_a_dropped_connection_is_answered_from_a_fresh_one(postgresql, served, make_provider,
                                                                             runs):
    provider = make_provider("Dropped Connection Infusion Center")
    client = served.test_client()
    profile = f"/providers/{provider.id}"
    assert client.get(profile).status_code == 200  # the pool now holds a connection
    assert runs() == 1
    for path in (profile, "/api/v1/providers?lat=40.75&lon=-73.99", "/search?q=10001", "/healthz"):
        _drop_the_served_connections()
        response = client.get(path)
        assert response.status_code == 200, (path, response.data[:300])
        assert runs() == 2, path  # the first run met the dead connection; the second answered
    assert b"Dropped Connection Infusion Center" in client.get(profile).data
    assert client.get("/healthz").get_json()["database"] == "ok"
    assert runs() == 2  # nothing dropped: each ran once


def test_a_form_post_after_a_drop_is_tested_first_and_never_retried(postgresql, served, make_provider, runs):
    provider = make_provider("Posted After A Drop Infusion Center")
    client = served.test_client()
    assert client.get(f"/providers/{provider.id}").status_code == 200
    runs()
    _drop_the_served_connections()
    # The checkout's test finds the dead connection and takes another: the post is answered in one run.
    assert client.post(f"/providers/{provider.id}/reviews/new", data={}).status_code in (200, 422)
    assert runs() == 1


def test_a_database_that_stays_down_is_answered_503_after_one_retry(postgresql, served, make_provider, runs,
                                                                   monkeypatch):
    provider = make_provider("Down For Good Infusion Center")
    client = served.test_client()
    assert client.get(f"/providers/{provider.id}").status_code == 200
    runs()
    engine = _engine_of(served)
    _drop_the_served_connections()
    # From now on the server refuses new connections too, as while it is down.
    monkeypatch.setattr(engine.pool, "_creator", _refused)
    response = client.get(f"/providers/{provider.id}")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert runs() == 2  # one retry, never a third run
    monkeypatch.undo()
    engine.dispose()


def _refused(*args, **kwargs):
    raise psycopg.OperationalError("connection refused (the test's stand-in for a server that is down)")
