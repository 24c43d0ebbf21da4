"""The admin workspace: license verification, moderation queues, audit trail. Login required."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import (  # noqa: E402,F401
    account_views,
    audit_views,
    consultation_views,
    license_views,
    listing_views,
    report_views,
    review_views,
    views,
)
