"""What the public sends us: consultation requests, listing submissions and problem reports."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import ModerationStatus, ProblemCategory, RequestStatus, SubmissionKind, enum_column
from clinic_finder.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.provider import Provider


class ConsultationRequest(db.Model):
    __tablename__ = "consultation_request"
    # A way to reach the patient, until the retention period deletes our copy (privacy/retention.py).
    __table_args__ = (sa.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL OR purged_at IS NOT NULL",
                                         name="has_contact"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    preferred_contact_time: Mapped[str | None] = mapped_column(sa.String(40))
    message: Mapped[str | None] = mapped_column(sa.Text)
    consent_given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Only present when the person chose to send their self-assessment answers along.
    assessment_answers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when staff last moved it out of "open"
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[Provider] = relationship()


class ListingSubmission(db.Model):
    """A proposed new listing or correction; never public until an admin approves it."""

    __tablename__ = "listing_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SubmissionKind] = mapped_column(enum_column(SubmissionKind))
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    submitter_name: Mapped[str | None] = mapped_column(sa.String(120))
    submitter_email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[ModerationStatus] = mapped_column(
        enum_column(ModerationStatus), default=ModerationStatus.PENDING, index=True
    )
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider | None] = relationship()


class ProblemReport(db.Model):
    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    category: Mapped[ProblemCategory] = mapped_column(enum_column(ProblemCategory))
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    reporter_email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.OPEN, index=True
    )
    resolution_note: Mapped[str | None] = mapped_column(sa.String(500))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship()
