"""The admin menu: each queue's page, shown once its view exists and the user's role may open it."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user

# (endpoint, label) in menu order.
MENU = (
    ("admin.dashboard", "Dashboard"),
    ("admin.licenses", "Licenses"),
    ("admin.review_queue", "Reviews"),
    ("admin.listing_submissions", "Listing submissions"),
    ("admin.problem_reports", "Problem reports"),
    ("admin.recheck_due", "Due for re-check"),
    ("admin.consultations", "Consultation requests"),
    ("admin.exports", "Exports"),
    ("admin.accounts", "Staff accounts"),
    ("admin.audit", "Audit trail"),
)


def admin_menu() -> list[tuple[str, str]]:
    items = []
    for endpoint, label in MENU:
        view = current_app.view_functions.get(endpoint)
        if view is None:
            continue
        roles = getattr(view, "required_roles", ())
        if current_user.is_authenticated and current_user.role in roles:
            items.append((endpoint, label))
    return items
