"""Signals that a review form was sent by a script rather than a person: the honeypot field, the time taken to
fill the form in (from a signed timestamp put in the form when it was rendered), and a salted hash of the
sender's address kept for spotting floods without storing the address itself.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "review-form-rendered-at"
# A form rendered longer ago than this is stale: ask for a fresh one rather than trusting an old timestamp.
FORM_MAX_AGE_SECONDS = 24 * 3600
STALE_FORM_MESSAGE = "This form is out of date. Please check your review and send it again."
TOO_FAST_MESSAGE = "That was quick! Please take a moment to read your review through, then send it again."


class FormTiming:
    """Signs and checks the moment a review form was rendered, for one provider."""

    def __init__(self, secret_key: str):
        self._serializer = URLSafeSerializer(secret_key, salt=_SALT)

    def token(self, provider_id: int, rendered_at: float | None = None) -> str:
        return self._serializer.dumps({"p": provider_id, "t": int(rendered_at if rendered_at is not None
                                                                   else time.time())})

    def seconds_since_render(self, token: str | None, provider_id: int, now: float | None = None) -> float | None:
        """Seconds since the form was rendered, or None when the token is missing, forged, for another
        provider, or older than FORM_MAX_AGE_SECONDS."""
        if not token:
            return None
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("p") != provider_id or not isinstance(data.get("t"), int):
            return None
        elapsed = (now if now is not None else time.time()) - data["t"]
        if elapsed < 0 or elapsed > FORM_MAX_AGE_SECONDS:
            return None
        return elapsed

    def problem(self, token: str | None, provider_id: int, min_seconds: float) -> str | None:
        """What to tell the sender when the form's timing is wrong (stale, forged, or sent inhumanly fast)."""
        elapsed = self.seconds_since_render(token, provider_id)
        if elapsed is None:
            return STALE_FORM_MESSAGE
        if elapsed < min_seconds:
            return TOO_FAST_MESSAGE
        return None


def honeypot_filled(value: str | None) -> bool:
    """The hidden field is empty for people (it is hidden and skipped by screen readers); bots fill it."""
    return bool(value and value.strip())


def fingerprint(secret_key: str, remote_addr: str | None) -> str | None:
    """A keyed hash of the client address: lets moderators see that reviews came from one sender without our
    keeping the address."""
    if not remote_addr:
        return None
    return hmac.new(secret_key.encode(), remote_addr.encode(), hashlib.sha256).hexdigest()
