"""Deleting contact details once they have served their purpose (`flask --app clinic_finder privacy purge`).

- A reviewer's email address is needed to confirm the review and to tell them the moderator's decision; a set
  time after the review is decided it is deleted. A keyed fingerprint of it stays, so the same address still
  cannot review the same provider twice, and nobody can read the address back from it.
- A consultation request's name, email, phone and message are for the provider to reach the patient; a set time
  after staff mark the request handled, our copy is deleted (the provider already has what it needs).
Both periods are settings (REVIEW_CONTACT_RETENTION_DAYS, CONSULTATION_RETENTION_DAYS), shown on /privacy.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from clinic_finder.extensions import db
from clinic_finder.models import ConsultationRequest, ModerationStatus, RequestStatus, Review

REMOVED_NAME = "(removed after the retention period)"


def email_fingerprint(email: str) -> str:
    """A keyed one-way fingerprint of a normalized address (HMAC-SHA256), for duplicate checks after deletion."""
    key = (current_app.config.get("PRIVACY_HASH_KEY") or current_app.secret_key or "").encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PurgeReport:
    review_addresses: int
    consultation_requests: int
    dry_run: bool

    @property
    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (f"{verb} {self.review_addresses} reviewer email address(es) and the contact details of "
                f"{self.consultation_requests} handled consultation request(s)")


def _reviews_due(now: datetime):
    cutoff = now - timedelta(days=current_app.config["REVIEW_CONTACT_RETENTION_DAYS"])
    return sa.select(Review).where(
        Review.contact_email.is_not(None),
        Review.status != ModerationStatus.PENDING,
        Review.moderated_at.is_not(None),
        Review.moderated_at < cutoff,
    )


def _requests_due(now: datetime):
    cutoff = now - timedelta(days=current_app.config["CONSULTATION_RETENTION_DAYS"])
    handled_at = sa.func.coalesce(ConsultationRequest.handled_at, ConsultationRequest.created_at)
    return sa.select(ConsultationRequest).where(
        ConsultationRequest.purged_at.is_(None),
        ConsultationRequest.status != RequestStatus.OPEN,
        handled_at < cutoff,
    )


def purge(now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete what is past its retention period, in one transaction. Running it twice deletes nothing more."""
    now = now or datetime.now(UTC)
    reviews = db.session.scalars(_reviews_due(now)).all()
    requests = db.session.scalars(_requests_due(now)).all()
    if not dry_run:
        for review in reviews:
            review.contact_email_hash = review.contact_email_hash or email_fingerprint(review.contact_email)
            review.contact_email = None
        for request in requests:
            request.name, request.email, request.phone, request.message = REMOVED_NAME, None, None, None
            request.assessment_answers = None
            request.purged_at = now
        db.session.commit()
    return PurgeReport(len(reviews), len(requests), dry_run)
