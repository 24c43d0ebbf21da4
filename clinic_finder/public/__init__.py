"""Pages for patients: home, search, provider profiles, the guide, the assessment, consultations."""
from flask import Blueprint

bp = Blueprint("public", __name__)

# One module per part of the patient journey, all on this blueprint.
from . import guide_views, home_views, provider_views, search_views  # noqa: E402,F401
