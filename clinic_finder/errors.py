"""Error handlers: JSON under /api, a page everywhere else. Views raise; they never format errors."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    503: "temporarily_unavailable",
}
# How long a client should wait before trying again while the database is unreachable; a restart of PostgreSQL or
# a failover takes seconds, and the connection pool recovers by itself (serving/dropped_connections.py).
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "The directory is temporarily unavailable. Please try again in a minute."


class ApiError(Exception):
    """Raise from API code for a precise error: ApiError(422, "invalid_parameter", "radius_mi must be ...")."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.details = details  # extra keys for the error object, e.g. the choices for an ambiguous place


def _wants_json() -> bool:
    # The JSON API and the HSDS API (whose clients are programs, as /api's are).
    return request.path.startswith(("/api/", "/hsds/")) or request.path == "/hsds"


def json_error(status: int, code: str, message: str, field: str | None = None, details: dict | None = None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    if details:
        body["error"].update(details)
    return jsonify(body), status


def _human_size(size: int | None) -> str | None:
    if not size:
        return None
    return f"{size / 1024 ** 2:.3g} MB" if size >= 1024 ** 2 else f"{size / 1024:.3g} KB"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return json_error(err.status, err.code, err.message, err.field, err.details)

    @app.errorhandler(SecurityError)
    def _untrusted_host(err: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URLs can be built for it, so no page template either; the
        # answer names nothing the request sent.
        if _wants_json():
            return json_error(400, "bad_request", "Unknown host.")
        return app.response_class("Unknown host.\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        if _wants_json():
            message = err.description if status != 500 else "Something went wrong on our side."
            return json_error(status, _CODES.get(status, "error"), message)
        if status == 413:
            return render_template("errors/413.html", limit=_human_size(app.config.get("MAX_CONTENT_LENGTH")),
                                   evidence_limit=_human_size(app.config.get("EVIDENCE_MAX_BYTES"))), 413
        template = f"errors/{status}.html" if status in (403, 404, 429, 500) else "errors/generic.html"
        return render_template(template, error=err, status=status), status

    @app.teardown_appcontext
    def _end_the_session_quietly(_exc):
        # Runs before Flask-SQLAlchemy's own teardown (teardowns run last-registered first). When the database
        # went away mid-request, ending the session fails too (its ROLLBACK cannot reach the server), and that
        # must not turn the calm 503 already rendered into a 500: the outage drill saw exactly that once.
        from clinic_finder.extensions import db

        try:
            db.session.remove()
        except sa.exc.SQLAlchemyError as err:
            app.logger.warning("Database session could not be closed cleanly: %s", type(err).__name__)
            db.session.registry.clear()

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.TimeoutError)
    def _database_unavailable(err: Exception):
        # The database is down, restarting or out of connections: not a bug to show as a 500, and nothing about
        # the failure is shown (the log has it).
        from clinic_finder.serving.dropped_connections import mark_for_retry

        if not mark_for_retry(err):
            app.logger.error("Database unavailable on %s %s: %s", request.method, request.path, type(err).__name__)
        try:
            from clinic_finder.extensions import db

            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            pass
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _wants_json():
            response, status = json_error(503, _CODES[503], UNAVAILABLE_MESSAGE)
            return response, status, headers
        # The page must not reach for the database again (the signed-in user is loaded from it).
        from flask_login import AnonymousUserMixin

        g._login_user = AnonymousUserMixin()
        return render_template("errors/503.html", status=503), 503, headers

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return json_error(500, "internal_error", "Something went wrong on our side.")
        return render_template("errors/500.html", status=500), 500
