"""The database as the archive sees it: every table of the models' metadata in dependency order, each value as
JSON and back, the schema revision, and what a load needs afterwards (PostgreSQL's id sequences).

Generic on purpose: a table or column a migration adds travels in the archive without anyone listing it.
"""
from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date, datetime

import sqlalchemy as sa

from clinic_finder.extensions import db

BATCH = 1000


def tables() -> list[sa.Table]:
    """Every table, parents before children (so foreign keys hold as rows go in); not those the database derives
    from others by triggers as rows go in (info "derived", e.g. search_cell)."""
    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


def schema_revision(connection: sa.Connection) -> str | None:
    """The Alembic revision the database is at (None for a database made without migrations, as in tests)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    versions = sorted(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
    return ",".join(versions) or None


def _kind(column: sa.Column) -> sa.types.TypeEngine:
    kind = column.type
    return kind.impl if isinstance(kind, sa.TypeDecorator) else kind


def to_json(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def from_json(column: sa.Column, value):
    """The Python value the column's type binds, from what to_json wrote."""
    if value is None:
        return None
    kind = _kind(column)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    return value


def rows_of(connection: sa.Connection, table: sa.Table) -> Iterator[list]:
    """The table's rows in primary-key order (so the same database always gives the same archive)."""
    statement = sa.select(*table.c).order_by(*table.primary_key.columns)
    for row in connection.execution_options(yield_per=BATCH).execute(statement):
        yield [to_json(value) for value in row]


def count_rows(connection: sa.Connection, table: sa.Table) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def non_empty_tables(connection: sa.Connection) -> list[str]:
    return [t.name for t in tables() if connection.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()]


def insert_rows(connection: sa.Connection, table: sa.Table, columns: list[str], rows: list[list]) -> None:
    cols = [table.c[name] for name in columns]
    connection.execute(table.insert(), [{c.name: from_json(c, v) for c, v in zip(cols, row, strict=True)}
                                        for row in rows])


def advance_id_sequences(connection: sa.Connection) -> None:
    """Rows went in with their ids; PostgreSQL's sequences must start after them (SQLite looks at max(id))."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue  # composite or text keys have no sequence
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "
            f'COALESCE((SELECT MAX("{keys[0].name}") FROM "{table.name}"), 0) + 1, false)'),
            {"table": f'"{table.name}"', "column": keys[0].name})
