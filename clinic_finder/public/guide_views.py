"""The patient guide, the self-assessment and consultation requests."""
from flask import render_template

from . import bp


@bp.route("/guide")
def guide():
    return render_template("public/guide.html")


@bp.route("/providers/<int:provider_id>/consultation", methods=["GET", "POST"])
def consultation_request(provider_id: int):
    from flask import abort

    abort(404)
