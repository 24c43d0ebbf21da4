"""Admin dashboard."""
from flask import render_template

from . import bp
from .access import moderator_required


@bp.route("/")
@moderator_required
def dashboard():
    return render_template("admin/dashboard.html")
