"""Admin dashboard: the size of every work queue, the licenses expiring soonest, the expiry job's last run."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, render_template
from flask_login import current_user

from clinic_finder.admin import bp
from clinic_finder.admin.access import moderator_required
from clinic_finder.inputs.web import reads_query
from clinic_finder.licensing import expiry as license_expiry
from clinic_finder.models import Role
from clinic_finder.staff import dashboard as staff_dashboard
from clinic_finder.vetting import contradictions


@bp.route("/")
@reads_query()
@moderator_required
def dashboard():
    today = datetime.now(UTC).date()
    role = current_user.role
    is_admin = role == Role.ADMIN
    return render_template(
        "admin/dashboard.html",
        tiles=staff_dashboard.tiles(today, role),
        upcoming=staff_dashboard.upcoming_expiries(today) if is_admin else [],
        to_verify=staff_dashboard.next_to_verify(today) if is_admin else [],
        last_expiry_run=license_expiry.last_run() if is_admin else None,
        health=contradictions.health() if is_admin else None,
        is_admin=is_admin,
        # Other features' queue pages appear as links once they are part of the app.
        has_page=lambda endpoint: endpoint in current_app.view_functions,
    )
