"""A database connection that died in the pool (PostgreSQL restarted, a failover, a proxy's idle timeout) costs no
visitor a page, and a read-only page does not pay a round trip to find out.

SQLAlchemy's pool_pre_ping tests every connection as it leaves the pool: a round trip before each request's first
statement. On PostgreSQL that was a third of an API search's round trips, 1–5 % of its CPU in-process (the more, the
busier the machine; bench/LOAD.md, "Eighth round"), and a network latency every page waited for. Here:

- A request that only reads (serving/read_replica.py's only_reads: an anonymous GET or HEAD) takes its connection
  untested. If it is dead, SQLAlchemy invalidates the pool's older connections as it raises; the error handler
  marks the request, and RetryDroppedReads runs it once more from the start on a fresh connection. Reading twice
  changes nothing.
- Every other checkout (a form post, a signed-in visitor, the command line) is tested first, as pool_pre_ping
  would, so a posted review never meets a dead connection.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, request

from clinic_finder.serving.read_replica import only_reads

RETRY = "clinic_finder.retry_dropped_read"  # environ: the first run met a dropped connection
RETRIED = "clinic_finder.retried_dropped_read"  # environ: this is the second run; never a third


def check_connections_unless_reading(engine: sa.Engine) -> None:
    """The engine's pool checks a connection on checkout, except for a request that only reads."""
    dialect = engine.dialect

    @sa.event.listens_for(engine, "checkout")
    def _check_unless_reading(dbapi_connection, connection_record, connection_proxy):
        if only_reads():
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as err:
            if not dialect.is_disconnect(err, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError()  # the pool drops this connection and checks out another


def retryable(err: Exception) -> bool:
    """This error is a read meeting a connection that had died in the pool, for the first time in this request."""
    return bool(getattr(err, "connection_invalidated", False) and only_reads()
                and not request.environ.get(RETRIED))


def mark_for_retry(err: Exception) -> bool:
    """From the error handler: if the error is retryable, RetryDroppedReads runs the request again."""
    if retryable(err):
        request.environ[RETRY] = True
        return True
    return False


class RetryDroppedReads:
    """WSGI middleware: a GET or HEAD whose first run was marked by mark_for_retry is answered by a second run."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        started = []

        def hold(status, headers, exc_info=None):
            started[:] = [status, headers, exc_info]
            return _no_write

        body = self.wsgi_app(environ, hold)
        if not environ.pop(RETRY, False):
            start_response(*started)
            return body
        if hasattr(body, "close"):
            body.close()
        environ[RETRIED] = True
        self.app.logger.warning("Read retried on a fresh database connection: %s %s",
                                environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return self.wsgi_app(environ, start_response)


def _no_write(data: bytes) -> None:
    raise RuntimeError("the app writes its body through the response iterable, not write()")


def init_dropped_connections(app: Flask) -> None:
    """Test connections on checkout except for reads, and retry a read that met a dropped one (see above)."""
    from clinic_finder.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            check_connections_unless_reading(engine)
    app.wsgi_app = RetryDroppedReads(app.wsgi_app, app)  # type: ignore[method-assign]
