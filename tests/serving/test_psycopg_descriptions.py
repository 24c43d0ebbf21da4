"""psycopg's result descriptions are built only when looked into (serving/psycopg_statements.py), and describe the
result they were read from."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db as _db


@pytest.fixture
def psycopg_columns(db, monkeypatch):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg is PostgreSQL's driver")
    import psycopg._column

    built = []
    original = psycopg._column.Column.__init__

    def counting(self, cursor, index):
        built.append(index)
        original(self, cursor, index)

    monkeypatch.setattr(psycopg._column.Column, "__init__", counting)
    return built


def test_a_description_describes_its_own_result_whenever_it_is_read(app, psycopg_columns):
    with _db.engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute("SELECT 1 AS first_one, 'a' AS second_one")
        first = cursor.description
        assert len(first) == 2 and psycopg_columns == []  # nothing built yet
        cursor.execute("SELECT 2 AS other")
        assert [column.name for column in first] == ["first_one", "second_one"]
        assert [column.name for column in cursor.description] == ["other"]
        assert first[1].type_code == 25  # text
        cursor.execute("SET search_path TO public")  # no rows: no description, as psycopg says
        assert cursor.description is None
        cursor.close()


def test_sqlalchemy_reads_its_columns_once_per_statement(app, client, make_provider, psycopg_columns):
    from clinic_finder.models import Provider

    provider_id = make_provider("Harbor Infusion Center").id
    psycopg_columns.clear()
    textual = sa.text("SELECT id AS provider_id, name AS provider_name FROM provider WHERE id = :id")
    selected = sa.select(Provider.id.label("provider_id"), Provider.name.label("provider_name")).where(
        Provider.id == sa.bindparam("id"))
    with _db.engine.connect() as connection:
        for statement in (textual, selected):
            row = connection.execute(statement, {"id": provider_id}).one()
            assert (row.provider_id, row.provider_name) == (provider_id, "Harbor Infusion Center")
        assert len(psycopg_columns) == 4  # SQLAlchemy matched each result's columns by name
        for _ in range(3):
            again = connection.execute(selected, {"id": provider_id}).mappings().one()
            assert dict(again) == {"provider_id": provider_id, "provider_name": "Harbor Infusion Center"}
    assert len(psycopg_columns) == 4  # a statement run before uses the columns SQLAlchemy kept
    paths = (f"/providers/{provider_id}", "/api/v1/providers?lat=40.75&lon=-73.99", "/search?q=10001")
    for path in paths:
        assert client.get(path).status_code == 200, path
    built = len(psycopg_columns)
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert len(psycopg_columns) == built  # pages seen before describe nothing again
