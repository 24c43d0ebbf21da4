"""Flask-Login wiring: how a session cookie maps back to a staff account."""
from __future__ import annotations

from flask import Flask

from clinic_finder.extensions import db, login_manager
from clinic_finder.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        # The id carries the account's session_version, so a password change ends older sessions.
        try:
            raw_id, raw_version = user_id.split(":", 1)
            user = db.session.get(User, int(raw_id))
        except (ValueError, TypeError):
            return None
        if user is None or str(user.session_version) != raw_version:
            return None
        return user
