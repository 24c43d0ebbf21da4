"""Review views."""
from flask import abort

from . import bp


@bp.route("/providers/<int:provider_id>/reviews/new", methods=["GET", "POST"])
def new_review(provider_id: int):
    abort(404)
