"""Staff accounts: creating them, changing passwords, and deciding whether a sign-in attempt succeeds.

Sign-in is throttled twice: per client IP by Flask-Limiter on the view, and per account here, where repeated
failures pause the account for a while whatever address they come from (a slow, distributed guess is still
stopped). Unknown accounts cost the same password hash as known ones, so timing does not reveal which exist.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from clinic_finder.extensions import db
from clinic_finder.inputs.contact import email_address
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.models import Role, User
from clinic_finder.staff import audit
from clinic_finder.staff import sessions as staff_sessions
from clinic_finder.staff.passwords import password_problem

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class AccountError(ValueError):
    """A request about an account that breaks a rule; the message is safe to show."""


def normalize_email(raw: str) -> str:
    """The stored form of an email address, or AccountError saying what is wrong with it."""
    try:
        return email_address(raw, "email", required="Please enter an email address.")
    except InvalidInput as err:
        raise AccountError(err.message) from None


def find_by_email(email: str) -> User | None:
    if any(ord(c) < 32 or ord(c) == 127 for c in email):  # PostgreSQL refuses NUL in text; no address has one
        return None
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))


def create_staff(email: str, password: str, role: Role = Role.ADMIN, actor: User | None = None) -> User:
    """A new staff account; AccountError when the email is taken or invalid or the password is too weak."""
    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise AccountError(f"There is already a staff account for {email}.")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    user = User(email=email, role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, after={"email": email, "role": role.value})
    db.session.commit()
    return user


def change_password(user: User, password: str, actor: User | None = None) -> None:
    """Set a new password and end every session the account had."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    staff_sessions.end_all(user)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(actor, "user.set_password", "user", user.id)
    db.session.commit()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Same algorithm and cost as real hashes, so an unknown email takes as long as a wrong password.
    return generate_password_hash("not a real password, only for timing")


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: str | None = None  # why it failed, for the log; never shown to the person signing in

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(email: str, password: str, ip_address: str | None = None,
                 now: datetime | None = None) -> SignInResult:
    """Check a sign-in attempt, count failures against the account, and audit the outcome."""
    now = now or datetime.now(UTC)
    user = find_by_email(email) if email else None
    if user is None:
        check_password_hash(_dummy_hash(), password)
        log.warning("Sign-in refused for unknown account from %s", ip_address)
        return SignInResult(None, "unknown account")
    if user.locked_until is not None and user.locked_until > now:
        check_password_hash(_dummy_hash(), password)
        return _refuse(user, "account paused after repeated failures", ip_address, count=False)
    if not user.check_password(password):
        return _refuse(user, "wrong password", ip_address, now=now)
    if not user.active:
        return _refuse(user, "account deactivated", ip_address, count=False)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(user, "user.sign_in", "user", user.id, ip_address=ip_address)
    db.session.commit()
    return SignInResult(user)


def _refuse(user: User, reason: str, ip_address: str | None, *, count: bool = True,
            now: datetime | None = None) -> SignInResult:
    before = {"failed_logins": user.failed_logins}
    if count:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = (now or datetime.now(UTC)) + LOCKOUT
            user.failed_logins = 0
            reason += f"; account paused for {int(LOCKOUT.total_seconds() // 60)} minutes"
    log.warning("Sign-in refused for user %s from %s: %s", user.id, ip_address, reason)
    audit.record(None, "user.sign_in_refused", "user", user.id, before=before,
                 after={"reason": reason, "failed_logins": user.failed_logins}, ip_address=ip_address)
    db.session.commit()
    return SignInResult(None, reason)


def record_sign_out(user: User, ip_address: str | None = None) -> None:
    audit.record(user, "user.sign_out", "user", user.id, ip_address=ip_address)
    db.session.commit()


def list_staff() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.email)))


def get_staff(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def unlock(user: User, actor: User, ip_address: str | None = None) -> bool:
    """Lift a pause after repeated failures; False (and nothing written) when the account was not paused."""
    if user.locked_until is None and user.failed_logins == 0:
        return False
    before = {"failed_logins": user.failed_logins,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.locked_until, user.failed_logins = None, 0
    audit.record(actor, "user.unlock", "user", user.id, before=before,
                 after={"failed_logins": 0, "locked_until": None}, ip_address=ip_address)
    db.session.commit()
    return True


def set_active(user: User, active: bool, actor: User, ip_address: str | None = None) -> bool:
    """Deactivate (ending the account's sessions) or reactivate a staff account; never one's own."""
    if user.id == actor.id:
        raise AccountError("You cannot deactivate or reactivate your own account.")
    if user.active == active:
        return False
    user.active = active
    if not active:
        staff_sessions.end_all(user)
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id,
                 before={"active": not active}, after={"active": active}, ip_address=ip_address)
    db.session.commit()
    return True


def sign_out_everywhere(user: User, actor: User, ip_address: str | None = None) -> None:
    """End every session of an account (a lost laptop, a shared computer), whoever's it is; audited."""
    staff_sessions.end_all(user)
    audit.record(actor, "user.sign_out_everywhere", "user", user.id, ip_address=ip_address)
    db.session.commit()
