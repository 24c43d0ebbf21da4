"""Patient reviews: submission, confirmation, reports and guidelines."""
from flask import Blueprint

bp = Blueprint("reviews", __name__)

from . import views  # noqa: E402,F401
