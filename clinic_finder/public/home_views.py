"""Home page and health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, render_template

from clinic_finder.extensions import db, limiter
from clinic_finder.inputs.web import reads_query
from clinic_finder.public import bp
from clinic_finder.serving.dropped_connections import retryable


@bp.route("/privacy")
@reads_query()
def privacy():
    return render_template("public/privacy.html")


@bp.route("/")
@reads_query()
def home():
    return render_template("public/home.html")


def _database_ok() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as err:
        if retryable(err):
            raise  # a connection that died in the pool: the check runs again on a fresh one
        db.session.rollback()
        return False
    return True


def _rate_limit_store() -> str:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return "disabled"
    # Not limiter.storage: it asserts the store is truthy, and an empty memory store has length 0.
    storage = getattr(limiter, "_storage", None)
    try:
        return "ok" if storage is not None and storage.check() else "unavailable"
    except Exception:  # noqa: BLE001 (any failure of the store's client means the store is not usable)
        return "unavailable"


@bp.route("/healthz")
@reads_query()
def healthz():
    """What is up and what is down, by name only: no exception classes, hosts or messages (the log has those)."""
    body = {"database": "ok" if _database_ok() else "unavailable", "rate_limit_store": _rate_limit_store()}
    down = [name for name, state in body.items() if state == "unavailable"]
    if down:
        return jsonify(status="unavailable", down=down, **body), 503, {"Retry-After": "30"}
    return jsonify(status="ok", **body)
