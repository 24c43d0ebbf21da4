"""Where the reads of a read-only request go: a streaming replica when DATABASE_READ_URL is set, and on PostgreSQL
in autocommit, on the replica or the primary.

A read-only request is a GET or HEAD from a visitor who sent no session cookie — the anonymous pages that are most
of the traffic. Anyone with a session (staff, a visitor in the middle of a form) reads from the primary, so nobody
misses their own change in the replica's lag; writes and anything inside a flush always go to the primary, and so
do locking reads (SELECT … FOR UPDATE).

Autocommit: in a transaction, psycopg sends BEGIN before the first statement and SQLAlchemy ROLLBACK when the
request ends, two round trips that a read-only page pays on top of its own statements. Under PostgreSQL's default
READ COMMITTED each statement takes its own snapshot inside a transaction too, so the page reads the same rows
without them (bench/LOAD.md, "Seventh round"). SQLite's driver begins no transaction for a SELECT: nothing to save.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import Engine, Select

REPLICA = "replica"  # the bind key of the replica's engine (SQLALCHEMY_BINDS, set from DATABASE_READ_URL)
_READ_ENGINE = "clinic_finder.read_engine"  # app.extensions: the engine reads go to, or None for the session's own


def only_reads() -> bool:
    """This request only reads (an anonymous GET or HEAD): its SELECTs may go to the read engine."""
    from clinic_finder.serving.anonymous import sent_session_cookie

    return (has_request_context() and request.method in ("GET", "HEAD")
            and not sent_session_cookie(current_app, request))


def read_engine(engines: dict) -> Engine | None:
    """The replica's engine if there is one, else the primary's; in autocommit on PostgreSQL. None: the session's
    own bind (SQLite without a replica)."""
    engine = engines.get(REPLICA) or engines[None]
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")  # a view sharing the engine's pool
    return engine if REPLICA in engines else None


class RoutingSession(Session):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        # Asked before every statement. The read engine is looked up first: on SQLite without a replica it is None,
        # and the request is never examined.
        if bind is None and not self._flushing and isinstance(clause, Select) and clause._for_update_arg is None:
            extensions = current_app.extensions
            if _READ_ENGINE not in extensions:
                extensions[_READ_ENGINE] = read_engine(self._db.engines)
            if extensions[_READ_ENGINE] is not None and only_reads():
                return extensions[_READ_ENGINE]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
