"""The Open Referral HSDS 3.0 API under /hsds: read-only JSON for referral networks (211s) and resource platforms.

Every path and parameter of the official description (shared HSDS 3.0 openapi.json), answered from the published
directory through the one HSDS serializer (interchange/hsds); /hsds/openapi.json is our filled-in copy of it.
"""
from flask import Blueprint

bp = Blueprint("hsds", __name__)

from clinic_finder.hsds_api import views  # noqa: E402,F401
