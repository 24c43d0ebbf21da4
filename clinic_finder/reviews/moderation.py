"""What happens to a review after it is sent: email confirmation, moderation (one by one or in bulk, always with
an audit event), and reports from readers that send a published review back to the queue.

A review counts toward a provider's rating only while it is approved and its email is confirmed, so every change
here that can alter either recomputes the provider's cached rating in the same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from clinic_finder.extensions import db
from clinic_finder.inputs.numbers import record_ids
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.listings.directory import published
from clinic_finder.models import ModerationStatus, Provider, Review, ReviewReport, User
from clinic_finder.reviews import ratings
from clinic_finder.reviews.submission import token_hash
from clinic_finder.staff import audit

REASON_MAX_CHARS = 500
AUDITED_FIELDS = ["status", "moderation_reason", "report_count"]


class ModerationError(ValueError):
    """A moderation action that cannot be done (e.g. a rejection without a reason)."""


# --- confirmation ---------------------------------------------------------------------------------------------

def review_for_confirmation(token: str, max_age_days: int, now: datetime | None = None) -> Review | None:
    """The unconfirmed review a confirmation link belongs to, or None (unknown, already used, or too old)."""
    if not token or len(token) > 100:
        return None
    review = db.session.scalar(sa.select(Review).where(Review.confirm_token_hash == token_hash(token)))
    if review is None or review.email_confirmed_at is not None:
        return None
    now = now or datetime.now(UTC)
    if now - (review.confirm_sent_at or review.created_at) > timedelta(days=max_age_days):
        return None
    return review


def confirm_email(review: Review) -> None:
    """Mark the email confirmed and spend the link, so it works once."""
    review.email_confirmed_at = datetime.now(UTC)
    review.confirm_token_hash = None
    ratings.refresh_rating(review.provider)
    db.session.commit()


# --- reports ----------------------------------------------------------------------------------------------------

def published_review(review_id: int) -> Review | None:
    """An approved review of a published provider: the only kind a reader can see, so the only kind to report."""
    return db.session.scalar(
        sa.select(Review).join(Review.provider)
        .where(Review.id == review_id, Review.status == ModerationStatus.APPROVED,
               Provider.id.in_(published().with_only_columns(Provider.id)))
    )


def report(review: Review, reason: str, fingerprint: str | None, threshold: int) -> bool:
    """Record a report; at `threshold` open reports the review goes back to the moderation queue (and stops
    counting). A second report from the same sender on the same review is not counted again. True when the
    review was returned to the queue."""
    reason = " ".join(reason.split())[:REASON_MAX_CHARS]
    if fingerprint is not None:
        already = db.session.scalar(
            sa.select(ReviewReport.id).where(ReviewReport.review_id == review.id,
                                             ReviewReport.reporter_fingerprint == fingerprint,
                                             ReviewReport.resolved_at.is_(None)).limit(1)
        )
        if already is not None:
            return False
    db.session.add(ReviewReport(review_id=review.id, reason=reason, reporter_fingerprint=fingerprint))
    db.session.flush()
    review.report_count = db.session.scalar(
        sa.select(sa.func.count(ReviewReport.id))
        .where(ReviewReport.review_id == review.id, ReviewReport.resolved_at.is_(None))
    ) or 0
    returned = review.status == ModerationStatus.APPROVED and review.report_count >= max(1, threshold)
    if returned:
        before = audit.snapshot(review, AUDITED_FIELDS)
        review.status = ModerationStatus.PENDING
        review.moderation_reason = f"Returned to the queue after {review.report_count} reports"
        audit.record(None, "review.returned_by_reports", "review", review.id, before=before,
                     after=audit.snapshot(review, AUDITED_FIELDS))
        ratings.refresh_rating(review.provider)
    db.session.commit()
    return returned


# --- moderation -------------------------------------------------------------------------------------------------

def _resolve_reports(review: Review, now: datetime) -> None:
    for item in review.reports:
        if item.resolved_at is None:
            item.resolved_at = now
    review.report_count = 0


def approve(review: Review, actor: User, ip_address: str | None = None) -> None:
    """Publish a review (the caller commits). Open reports are resolved: the moderator has read them."""
    _decide(review, ModerationStatus.APPROVED, None, actor, ip_address)


def reject(review: Review, actor: User, reason: str, ip_address: str | None = None) -> None:
    """Reject a review, keeping the reason (the caller commits)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ModerationError("Please give a reason for rejecting the review.")
    if len(reason) > REASON_MAX_CHARS:
        raise ModerationError(f"Please keep the reason under {REASON_MAX_CHARS} characters.")
    _decide(review, ModerationStatus.REJECTED, reason, actor, ip_address)


def _decide(review: Review, status: ModerationStatus, reason: str | None, actor: User,
            ip_address: str | None) -> None:
    """Record a moderator's decision, resolve the open reports, audit it and refresh the provider's rating."""
    now = datetime.now(UTC)
    before = audit.snapshot(review, AUDITED_FIELDS)
    review.status, review.moderation_reason = status, reason
    review.moderated_at, review.moderated_by_id = now, actor.id
    _resolve_reports(review, now)
    action = "review.approve" if status == ModerationStatus.APPROVED else "review.reject"
    audit.record(actor, action, "review", review.id, before=before, after=audit.snapshot(review, AUDITED_FIELDS),
                 ip_address=ip_address)
    ratings.refresh_rating(review.provider)


def moderate(review_ids: Iterable[int], action: str, actor: User, reason: str = "",
             ip_address: str | None = None) -> int:
    """Approve or reject several reviews in one transaction (all or none); the number moderated."""
    if action not in {"approve", "reject"}:
        raise ModerationError("Please choose to approve or reject.")
    ids = sorted(record_ids(review_ids))  # an id the database cannot hold names no review
    if not ids:
        raise ModerationError("Please tick at least one review.")
    reviews = db.session.scalars(
        sa.select(Review).where(Review.id.in_(ids)).order_by(Review.id)
        .options(selectinload(Review.reports), joinedload(Review.provider))
    ).all()
    try:
        for review in reviews:
            if action == "approve":
                approve(review, actor, ip_address)
            else:
                reject(review, actor, reason, ip_address)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(reviews)


# --- the queue --------------------------------------------------------------------------------------------------

@dataclass
class QueueCounts:
    pending: int
    reported: int


def _needs_attention() -> sa.ColumnElement[bool]:
    """Pending reviews, and published ones with open reports below the threshold."""
    return sa.or_(Review.status == ModerationStatus.PENDING,
                  sa.and_(Review.status == ModerationStatus.APPROVED, Review.report_count > 0))


def queue(page: int, per_page: int) -> Page:
    """Reviews for a moderator, reported ones first, then oldest first (a fair queue)."""
    return paginate(
        sa.select(Review).where(_needs_attention())
        .order_by(Review.report_count.desc(), Review.created_at, Review.id),
        page, per_page,
        options=(joinedload(Review.provider), selectinload(Review.reports.and_(ReviewReport.resolved_at.is_(None)))),
    )


def _reported() -> sa.ColumnElement[bool]:
    """A review with open reports that a moderator has not yet rejected: the one meaning of "reported", for the
    queue page and the dashboard alike (report_count is the number of open reports; deciding resolves them)."""
    return sa.and_(Review.report_count > 0, Review.status != ModerationStatus.REJECTED)


def queue_counts() -> QueueCounts:
    """Pending and reported reviews, in one query."""
    row = db.session.execute(sa.select(
        sa.func.count(Review.id).filter(Review.status == ModerationStatus.PENDING),
        sa.func.count(Review.id).filter(_reported()),
    )).one()
    return QueueCounts(row[0] or 0, row[1] or 0)


def get_review(review_id: int) -> Review | None:
    return db.session.get(Review, review_id)
