"""Single-use forms: each rendered public form carries a fresh signed nonce beside its CSRF token, spent in the
database on the first submission, so one rendered form cannot be posted again and again.

A CSRF token is per session, so a script could post one rendered review form 25 times and have 20 reviews stored
and 20 confirmation emails sent (the per-IP rate limit was counted by each worker on its own). The nonce travels
with the CSRF token (a form that renders `form.csrf_token` renders both), so it is on wherever CSRF is: always in
production; tests that switch CSRF off switch this off too. The database is shared by every worker and host.
"""
from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, _FlaskFormCSRF
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.csrf.core import CSRFTokenField

from clinic_finder.extensions import db
from clinic_finder.models import SpentFormToken

FIELD_NAME = "form_once"
ALREADY_SENT = ("This form has already been sent once. If you meant to send it again, please open the page anew "
                "and fill it in again.")
MISSING = "This form is missing its one-time token. Please open the page anew and send it again."


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="clinic_finder.form_once")


def _max_age() -> int:
    # A form lives as long as its CSRF token (an hour by default).
    return int(current_app.config.get("WTF_CSRF_TIME_LIMIT") or 24 * 3600)


def issue() -> str:
    """A fresh signed nonce for one rendering of a form."""
    return _serializer().dumps(secrets.token_urlsafe(16))


def spend(token: str | None, now: datetime | None = None) -> None:
    """Accept a nonce once: CSRFError (a 400 with the form-expired page) when missing, forged, old or spent."""
    if not token:
        raise CSRFError(MISSING)
    try:
        nonce = _serializer().loads(token, max_age=_max_age())
    except BadData:
        raise CSRFError(MISSING) from None
    now = now or datetime.now(UTC)
    # Spent nonces are kept only while their form could still be valid.
    db.session.execute(sa.delete(SpentFormToken).where(SpentFormToken.spent_at < now - timedelta(seconds=_max_age())))
    db.session.add(SpentFormToken(nonce=str(nonce)[:40], spent_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        current_app.logger.warning("Refused a form posted again with a spent one-time token")
        raise CSRFError(ALREADY_SENT) from None


class SingleUseTokenField(CSRFTokenField):
    """The CSRF token field, rendered with a one-time nonce beside it."""

    once_value: str | None = None

    def process(self, formdata, *args, **kwargs):
        super().process(formdata, *args, **kwargs)
        self.once_value = formdata.get(FIELD_NAME) if formdata else None

    def __call__(self, **kwargs):
        once = Markup('<input name="{}" type="hidden" value="{}">').format(FIELD_NAME, issue())
        return super().__call__(**kwargs) + once


class SingleUseCSRF(_FlaskFormCSRF):
    field_class = SingleUseTokenField

    def validate_csrf_token(self, form, field):
        super().validate_csrf_token(form, field)
        spend(field.once_value)


class SingleUseForm(FlaskForm):
    """Base of every public form that stores or sends something: each rendering can be submitted once."""

    class Meta:
        csrf_class = SingleUseCSRF
