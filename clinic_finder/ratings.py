"""A provider's rating summary. Only approved reviews whose email was confirmed count."""
from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import ModerationStatus, Provider, Review


def counted_reviews() -> sa.ColumnElement[bool]:
    return sa.and_(Review.status == ModerationStatus.APPROVED, Review.email_confirmed_at.is_not(None))


def refresh_rating(provider: Provider) -> None:
    """Recompute the cached average and count from the database (call after any moderation change)."""
    db.session.flush()
    count, average = db.session.execute(
        sa.select(sa.func.count(Review.id), sa.func.avg(Review.overall_rating)).where(
            Review.provider_id == provider.id, counted_reviews()
        )
    ).one()
    provider.rating_count = int(count or 0)
    provider.rating_average = round(float(average), 2) if average is not None else None
