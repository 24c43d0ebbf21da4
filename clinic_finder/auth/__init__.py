"""Staff sign-in (admins and moderators)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from clinic_finder.auth import views  # noqa: E402,F401
