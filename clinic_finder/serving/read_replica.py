"""Optional read replica (DATABASE_READ_URL): the reads of a read-only request go to a streaming replica.

A read-only request is a GET or HEAD from a visitor who sent no session cookie — the anonymous pages that are most
of the traffic. Anyone with a session (staff, a visitor in the middle of a form) reads from the primary, so nobody
misses their own change in the replica's lag; writes and anything inside a flush always go to the primary, and so
do locking reads (SELECT … FOR UPDATE).
"""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import Select

REPLICA = "replica"  # the bind key of the replica's engine (SQLALCHEMY_BINDS, set from DATABASE_READ_URL)


def reads_from_replica() -> bool:
    from clinic_finder.serving.anonymous import sent_session_cookie

    return (has_request_context() and request.method in ("GET", "HEAD")
            and not sent_session_cookie(current_app, request))


class RoutingSession(Session):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        # Asked before every statement: the common case (no replica configured) is one dictionary look-up.
        if (bind is None and REPLICA in (current_app.config.get("SQLALCHEMY_BINDS") or ()) and not self._flushing
                and isinstance(clause, Select) and clause._for_update_arg is None and reads_from_replica()):
            return self._db.engines[REPLICA]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
