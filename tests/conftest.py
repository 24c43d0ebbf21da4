"""Shared fixtures: one app per test session, an empty database for every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db as _db

from . import factories


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
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


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
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


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
