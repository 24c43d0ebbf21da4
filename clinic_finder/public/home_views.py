"""Home page and health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template

from clinic_finder.extensions import db
from clinic_finder.inputs.web import reads_query
from clinic_finder.public import bp


@bp.route("/privacy")
@reads_query()
def privacy():
    return render_template("public/privacy.html")


@bp.route("/")
@reads_query()
def home():
    return render_template("public/home.html")


@bp.route("/healthz")
@reads_query()
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
