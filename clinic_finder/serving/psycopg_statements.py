"""Two pieces of psycopg's per-statement work that a served page pays for nothing.

Conversions kept: psycopg keeps the conversion of a statement's `%(name)s` placeholders for the next execution only
when the statement is at most 4 KB long (psycopg/_queries.py, MAX_CACHED_STATEMENT_LENGTH: it guards against ORMs'
ever-new multi-row INSERTs). PostgreSQL's one-statement search (search/single_statement.py) is 10.6 KB, the same
text every time, so each search paid the conversion again: 0.3–0.5 ms of a results page's or an API search's CPU
(bench/profile_page.py). The limit is raised to 32 KB; the conversions kept stay at psycopg's own 128, least
recently used first out, so a run of long one-off statements (an import's) cannot grow it.

Descriptions on demand: psycopg builds `cursor.description` (a Column object per column, its name decoded) each
time it is read, and SQLAlchemy reads it after every SELECT, though for a statement it has run before it uses the
result columns it kept from the first time (CursorResult._init_metadata). A profile on PostgreSQL built 138 Column
objects a page. The cursors here answer `description` with a sequence that builds the columns, of the result they
were read from, only when something looks inside it.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from types import SimpleNamespace

import sqlalchemy as sa

LONGEST_KEPT_STATEMENT = 32 * 1024


def keep_long_statements_converted() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # the PostgreSQL driver is not installed: nothing to tune
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None) is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_KEPT_STATEMENT)


class Description(Sequence):
    """A result's columns as psycopg describes them, built on first use from the result they belong to."""

    __slots__ = ("_source", "_size", "_columns")

    def __init__(self, source: SimpleNamespace, size: int) -> None:
        self._source, self._size, self._columns = source, size, None

    def _built(self) -> list:
        if self._columns is None:
            from psycopg import Column

            self._columns = [Column(self._source, i) for i in range(self._size)]  # type: ignore[arg-type]
        return self._columns

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self):
        return iter(self._built())

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._built())


@cache
def _describing_cursor_class():
    import psycopg
    from psycopg.pq import ExecStatus

    # psycopg's own rule for "this result has columns" (BaseCursor.description).
    with_rows = {getattr(ExecStatus, name) for name in ("TUPLES_OK", "SINGLE_TUPLE", "TUPLES_CHUNK")
                 if hasattr(ExecStatus, name)}

    class DescribedOnDemand(psycopg.Cursor):
        @property
        def description(self):
            res = self.pgresult
            if not res or not (res.nfields or res.status in with_rows):
                return None
            # What a Column reads from its cursor, taken now: the cursor may run another statement before the
            # description is looked into.
            return Description(SimpleNamespace(pgresult=res, _encoding=self._encoding, adapters=self.adapters),
                               res.nfields)

    return DescribedOnDemand


def _use_described_on_demand(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        dbapi_connection.cursor_factory = _describing_cursor_class()


def describe_results_on_demand() -> None:
    """Every psycopg connection SQLAlchemy opens makes cursors whose description is built on demand."""
    if not sa.event.contains(sa.engine.Engine, "connect", _use_described_on_demand):
        sa.event.listen(sa.engine.Engine, "connect", _use_described_on_demand)
