"""The patient guide, the self-assessment and consultation requests."""
from flask import render_template

from . import bp


@bp.route("/guide")
def guide():
    return render_template("public/guide.html")
