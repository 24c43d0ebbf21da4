"""Search results page."""
from flask import render_template

from . import bp


@bp.route("/search")
def search():
    return render_template("public/provider_list.html", page=None)
