"""Pages for patients: home, search, provider profiles, the guide, the assessment, consultations."""
from flask import Blueprint

bp = Blueprint("public", __name__)

# One module per part of the patient journey, all on this blueprint.
from . import (  # noqa: E402,F401
    compare_views,
    guide_views,
    home_views,
    listing_views,
    provider_views,
    report_views,
    search_views,
)
