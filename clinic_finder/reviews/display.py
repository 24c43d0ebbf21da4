"""What a provider's profile shows of its reviews: the rating summary and a page of published reviews.

Published means approved by a moderator. An approved review whose email is not (yet) confirmed is shown without
the "Confirmed email" badge and does not count in the averages.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page
from clinic_finder.models import ModerationStatus, Provider, Review
from clinic_finder.reviews.ratings import RatingSummary, rating_summary

DEFAULT_PER_PAGE = 5


@dataclass
class ReviewsPanel:
    provider: Provider
    summary: RatingSummary
    page: Page

    @property
    def reviews(self) -> list[Review]:
        return self.page.items


def panel_for(provider: Provider, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> ReviewsPanel:
    """Two queries whatever the number of reviews: the aggregates, and one page of reviews newest first."""
    summary = rating_summary(provider.id)
    page = max(1, page)
    recent = db.session.scalars(
        sa.select(Review)
        .where(Review.provider_id == provider.id, Review.status == ModerationStatus.APPROVED)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all() if summary.published else []
    return ReviewsPanel(provider, summary, Page(list(recent), summary.published, page, per_page))
