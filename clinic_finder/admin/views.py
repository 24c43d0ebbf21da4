"""Admin views."""
from flask_login import login_required

from . import bp


@bp.route("/")
@login_required
def dashboard():
    return "Admin dashboard"
