"""Moderation: approve and reject (with a kept reason), one by one and in bulk, reports returning a review to the
queue, ratings counting only approved and confirmed reviews, and the audit trail."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, ModerationStatus, ReviewReport, Role
from clinic_finder.reviews import moderation as review_moderation


@pytest.fixture
def moderator(make_user):
    return make_user("mod@example.org", role=Role.MODERATOR)


def test_approving_publishes_and_counts_only_when_confirmed(make_provider, add_review, moderator):
    provider = make_provider()
    confirmed = add_review(provider, 5, status=ModerationStatus.PENDING)
    unconfirmed = add_review(provider, 1, status=ModerationStatus.PENDING, confirmed=False)
    assert provider.rating_count == 0
    review_moderation.moderate([confirmed.id, unconfirmed.id], "approve", moderator)
    db.session.expire_all()
    assert confirmed.status == unconfirmed.status == ModerationStatus.APPROVED
    assert confirmed.moderated_by_id == moderator.id and confirmed.moderated_at is not None
    assert (provider.rating_count, provider.rating_average) == (1, 5.0)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.target_id, e.actor_id) for e in events] == [
        ("review.approve", confirmed.id, moderator.id), ("review.approve", unconfirmed.id, moderator.id)]
    assert events[0].before["status"] == "pending" and events[0].after["status"] == "approved"


def test_rejecting_needs_a_reason_and_keeps_it(make_provider, add_review, moderator):
    provider = make_provider()
    review = add_review(provider, 2)
    assert provider.rating_count == 1
    with pytest.raises(review_moderation.ModerationError):
        review_moderation.moderate([review.id], "reject", moderator, reason="   ")
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0
    review_moderation.moderate([review.id], "reject", moderator, reason="Names a member of staff")
    db.session.expire_all()
    assert review.status == ModerationStatus.REJECTED and review.moderation_reason == "Names a member of staff"
    assert (provider.rating_count, provider.rating_average) == (0, None)
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.action == "review.reject" and event.after["moderation_reason"] == "Names a member of staff"


def test_reports_return_a_review_to_the_queue_at_the_threshold(make_provider, add_review, moderator):
    provider = make_provider()
    review = add_review(provider, 5)
    assert not review_moderation.report(review, "Spam", "reader-1", threshold=2)
    assert not review_moderation.report(review, "Spam again", "reader-1", threshold=2)  # same reader: not twice
    assert review.report_count == 1 and review.status == ModerationStatus.APPROVED
    assert review_moderation.report(review, "Names a nurse", "reader-2", threshold=2)
    db.session.expire_all()
    assert review.status == ModerationStatus.PENDING and review.report_count == 2
    assert "after 2 reports" in review.moderation_reason
    assert provider.rating_count == 0  # no longer counts while back in the queue
    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["review.returned_by_reports"]
    # Approving again resolves the reports so a fresh threshold applies.
    review_moderation.moderate([review.id], "approve", moderator)
    db.session.expire_all()
    assert review.report_count == 0 and provider.rating_count == 1
    assert db.session.scalar(sa.select(sa.func.count(ReviewReport.id))
                             .where(ReviewReport.resolved_at.is_(None))) == 0


def test_bulk_moderation_is_all_or_nothing(make_provider, add_review, moderator):
    provider = make_provider()
    reviews = [add_review(provider, 4, status=ModerationStatus.PENDING) for _ in range(3)]
    assert review_moderation.moderate([r.id for r in reviews] + [999999, 2**40], "reject", moderator,
                                      reason="Advertising") == 3
    db.session.expire_all()
    assert {r.status for r in reviews} == {ModerationStatus.REJECTED}
    with pytest.raises(review_moderation.ModerationError):
        review_moderation.moderate([], "approve", moderator)
    with pytest.raises(review_moderation.ModerationError):
        review_moderation.moderate([reviews[0].id], "delete", moderator)

