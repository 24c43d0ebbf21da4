"""Staff sessions kept on the server: each signed-in browser has a row, so a session can be ended for good.

The session cookie is signed, not encrypted, and a copy of it works anywhere until it expires. What makes it a
sign-in is its random token having a live row here: signing out deletes this browser's row, and a password change,
a deactivation or "sign out everywhere" deletes all of the account's rows (and moves its session_version on).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import StaffSession, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, lifetime: timedelta, ip_address: str | None = None, now: datetime | None = None) -> str:
    """A new session for the account; returns the token to keep in the cookie (never stored as such)."""
    now = now or datetime.now(UTC)
    # Sessions nobody signed out of expire; they are cleared away whenever anyone signs in.
    db.session.execute(sa.delete(StaffSession).where(StaffSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(user_id=user.id, token_hash=_hash(token), created_at=now, expires_at=now + lifetime,
                                ip_address=ip_address))
    db.session.commit()
    return token


def is_live(user_id: int, token: object, now: datetime | None = None) -> bool:
    """True when the token is a session of this account that has not ended or expired."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return False
    now = now or datetime.now(UTC)
    found = db.session.scalar(sa.select(StaffSession.id).where(
        StaffSession.token_hash == _hash(token), StaffSession.user_id == user_id, StaffSession.expires_at > now))
    return found is not None


def end(token: object) -> None:
    """End one session (signing out); a token that is not a session changes nothing."""
    if isinstance(token, str) and token:
        db.session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == _hash(token)))
        db.session.commit()


def end_all(user: User) -> None:
    """End every session of the account, in the caller's transaction (the caller commits with its audit event)."""
    db.session.execute(sa.delete(StaffSession).where(StaffSession.user_id == user.id))
    user.session_version += 1

