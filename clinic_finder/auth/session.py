"""Flask-Login wiring: how a session cookie maps back to a staff account, and back to a live server-side session."""
from __future__ import annotations

from flask import Flask, current_app, g, request, session

from clinic_finder.extensions import db, login_manager
from clinic_finder.models import User
from clinic_finder.serving.anonymous import sent_session_cookie
from clinic_finder.staff import sessions as staff_sessions

# The cookie key holding this browser's staff-session token (see staff/sessions.py).
SESSION_KEY = "staff_session"


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"

    @app.before_request
    def _anonymous_without_a_session_cookie() -> None:
        # Who is signed in lives only in the session cookie (no remember-me cookie, no request loader): a request
        # without one is anonymous. Flask-Login would still work that out on every page (hashing the address and
        # browser for session protection, looking for a remember cookie), about 0.07 ms; it keeps the user in
        # g._login_user, where login_user() puts a user who signs in during the request.
        if not sent_session_cookie(app, request):
            g._login_user = login_manager.anonymous_user()

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        # The id carries the account's session_version (moved on when all its sessions end), and the cookie
        # carries a token that must still have its row on the server (deleted at sign-out).
        try:
            raw_id, raw_version = user_id.split(":", 1)
            user = db.session.get(User, int(raw_id))
        except (ValueError, TypeError, OverflowError):
            return None
        if user is None or str(user.session_version) != raw_version:
            return None
        if not staff_sessions.is_live(user.id, session.get(SESSION_KEY)):
            return None
        return user


def begin_session(user: User) -> None:
    """Record a new server-side session for a user who has just signed in, and put its token in the cookie."""
    session[SESSION_KEY] = staff_sessions.start(user, current_app.permanent_session_lifetime,
                                                ip_address=request.remote_addr)


def end_session() -> None:
    """End this browser's session on the server; a copy of the cookie no longer signs anyone in."""
    staff_sessions.end(session.pop(SESSION_KEY, None))
