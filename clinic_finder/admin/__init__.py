"""The admin workspace: license verification, moderation queues, audit trail. Login required."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from clinic_finder.admin import (  # noqa: E402
    account_views,  # noqa: E402,F401
    audit_views,  # noqa: E402,F401
    consultation_views,  # noqa: E402,F401
    export_views,  # noqa: E402,F401
    license_views,  # noqa: E402,F401
    listing_views,  # noqa: E402,F401
    report_views,  # noqa: E402,F401
    review_views,  # noqa: E402,F401
    views,  # noqa: E402,F401
)
