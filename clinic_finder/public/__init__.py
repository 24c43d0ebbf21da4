"""Pages for patients: home, search, provider profiles, the guide, the assessment, consultations."""
from flask import Blueprint

bp = Blueprint("public", __name__)

# One module per part of the patient journey, all on this blueprint.
from clinic_finder.public import (  # noqa: E402
    about_views,  # noqa: E402,F401
    compare_views,  # noqa: E402,F401
    findability_views,  # noqa: E402,F401
    guide_views,  # noqa: E402,F401
    home_views,  # noqa: E402,F401
    listing_views,  # noqa: E402,F401
    provider_views,  # noqa: E402,F401
    report_views,  # noqa: E402,F401
    search_views,  # noqa: E402,F401
)
