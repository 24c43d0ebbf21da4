"""Shared fixtures: one app per test session, an empty database for every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import g, request_started
from sqlalchemy.engine import Engine

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db as _db
from clinic_finder.extensions import limiter
from clinic_finder.models.audit import create_append_only_guard, drop_append_only_guard

from . import factories

# One Chromium and one live-server fixture for the journeys and the accessibility audit alike.
from .browser.fixtures import (  # noqa: F401
    browser,
    live_server,
    page,
    pytest_collection_modifyitems,
    screenshot_dir,
)


@sa.event.listens_for(Engine, "connect")
def _reverse_unordered_selects(dbapi_conn, _record) -> None:
    # PostgreSQL returns rows without ORDER BY in whatever order they lie on disk, which changes once freed space
    # is reused, so such a query passed here and failed there now and then. SQLite returns every SELECT without
    # ORDER BY in reverse under this pragma: relying on unspecified row order fails on every run instead.
    # On every SQLite engine the tests open (the session's app, the apps tests make, migrations); never in the app.
    if isinstance(dbapi_conn, sqlite3.Connection):
        dbapi_conn.execute("PRAGMA reverse_unordered_selects=ON")


def _forget_cached_user(sender, **extra) -> None:
    g.pop("_login_user", None)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    class SessionConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(tmp_path_factory)

    app = create_app(SessionConfig)
    # Tests hold an app context open (the db fixture), so requests share its `g`; drop Flask-Login's
    # cached user at each request so a sign-in or sign-out between requests is seen, as in production.
    request_started.connect(_forget_cached_user, app)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


_RESTART_USED_SEQUENCES = ("SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, false) "
                           "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL")


@pytest.fixture(autouse=True)
def _empty_database(request):
    """Every test starts from empty tables (faster than dropping them)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Rows deleted and the used id sequences restarted, in one round trip: TRUNCATE … RESTART IDENTITY
                # replaced every table's files and took 0.15 s a test, three minutes of the PostgreSQL suite.
                drop_append_only_guard(conn)
                conn.exec_driver_sql("; ".join([*(f'DELETE FROM "{t.name}"' for t in tables), _RESTART_USED_SEQUENCES]))
                create_append_only_guard(conn)
            else:
                drop_append_only_guard(conn)  # the audit trail refuses DELETE (issue 7); tests empty it anyway
                for table in tables:
                    conn.execute(table.delete())
                create_append_only_guard(conn)


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_provider(db):
    return factories.make_provider


@pytest.fixture
def add_license(db):
    return factories.add_license


@pytest.fixture
def add_review(db):
    return factories.add_review


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def count_queries(db):
    """Usage: with count_queries() as queries: ...; then len(queries)."""

    @contextmanager
    def _count():
        statements: list[str] = []

        def _before(conn, cursor, statement, params, context, executemany):
            statements.append(statement)

        engine = _db.engine
        sa.event.listen(engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", _before)

    return _count


@pytest.fixture
def login_as(app, client):
    """Sign a test client in as a staff user without the login form (the form has its own tests).

    Flask-Login's "strong" session protection compares a hash of the client's address and user agent,
    so the identifier is computed from a request that looks like the test client's own.
    """
    from flask_login.utils import _create_identifier

    from clinic_finder.auth.session import SESSION_KEY
    from clinic_finder.staff import sessions as staff_sessions

    def _login(user, test_client=None):
        target = test_client or client
        with app.test_request_context(environ_base=dict(target.environ_base)):
            ident = _create_identifier()
        with target.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["_id"] = ident
            sess[SESSION_KEY] = staff_sessions.start(user, app.permanent_session_lifetime)  # as sign-in does
        return user

    return _login


@pytest.fixture
def other_app(app):
    """A second app on the same database with settings of a test's choosing (e.g. CSRF or rate limits on)."""
    made = []

    def _make(**settings):
        config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
        config.update({"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://"})
        config.update(settings)
        new = create_app(config)
        made.append(new)
        if settings.get("RATELIMIT_ENABLED"):
            limiter.reset()
        return new

    yield _make
    # The limiter is one object shared by every app: switch it off again for the rest of the suite.
    if limiter.enabled:
        limiter.reset()
    limiter.enabled = False
    for new in made:
        with new.app_context():
            _db.session.remove()
            _db.engine.dispose()
