"""Patient reviews rated on the guide's criteria, and reports against published reviews."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import Mode, ModerationStatus, Route, enum_column
from clinic_finder.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.provider import Provider

RATING_COLUMNS = (
    "overall_rating",
    "experience_rating",
    "professionalism_rating",
    "customer_service_rating",
    "safety_rating",
    "value_rating",
)


def _rating_checks():
    return tuple(
        sa.CheckConstraint(f"{col} IS NULL OR ({col} >= 1 AND {col} <= 5)", name=f"{col}_1_to_5")
        for col in RATING_COLUMNS
    )


class Review(db.Model):
    __tablename__ = "review"
    __table_args__ = (
        *_rating_checks(),
        sa.Index("ix_review_provider_status_created", "provider_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"))
    overall_rating: Mapped[int]
    experience_rating: Mapped[int]
    professionalism_rating: Mapped[int]
    customer_service_rating: Mapped[int]
    safety_rating: Mapped[int | None]
    value_rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)
    display_name: Mapped[str] = mapped_column(sa.String(80), default="Anonymous patient")
    # Private: never rendered on a public page, never exported; deleted after the retention period
    # (privacy/retention.py), when only its keyed fingerprint stays for duplicate checks.
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_email_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    route: Mapped[Route | None] = mapped_column(enum_column(Route))
    mode: Mapped[Mode | None] = mapped_column(enum_column(Mode))
    treatment_month: Mapped[date | None]  # always the first day of the month
    status: Mapped[ModerationStatus] = mapped_column(
        enum_column(ModerationStatus), default=ModerationStatus.PENDING, index=True
    )
    moderation_reason: Mapped[str | None] = mapped_column(sa.String(500))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Privacy or abuse signals for the moderator, e.g. "contains an email address".
    flags: Mapped[str | None] = mapped_column(sa.String(500))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_token_hash: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    # When the current confirmation link was sent (a resend starts its clock again); None: at created_at.
    confirm_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_count: Mapped[int] = mapped_column(default=0)
    submitter_fingerprint: Mapped[str | None] = mapped_column(sa.String(128))  # hashed IP, for abuse checks
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="reviews")
    # Oldest first: the moderation queue lists the reasons in the order readers sent them.
    reports: Mapped[list[ReviewReport]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                       order_by="ReviewReport.id")

    @property
    def counts_toward_rating(self) -> bool:
        return self.status == ModerationStatus.APPROVED and self.email_confirmed_at is not None


class ReviewReport(db.Model):
    __tablename__ = "review_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    reporter_fingerprint: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    review: Mapped[Review] = relationship(back_populates="reports")
