"""Side-by-side comparison (being built by the profiles feature; the endpoint exists so search can link to it)."""
from flask import abort

from . import bp


@bp.route("/compare")
def compare():
    abort(404)
