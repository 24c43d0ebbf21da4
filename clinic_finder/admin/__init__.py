"""The admin workspace: license verification, moderation queues, audit trail. Login required."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import consultation_views, views  # noqa: E402,F401
