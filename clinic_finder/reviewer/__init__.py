"""The reviewer's pages (blueprint): writing a review, confirming it, reporting one, the guidelines."""
from flask import Blueprint

bp = Blueprint("reviews", __name__)

from clinic_finder.reviewer import views  # noqa: E402,F401
