"""What a provider's profile shows of its reviews (owned by the reviews feature; this is the first cut)."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from .extensions import db
from .models import Provider, Review
from .ratings import counted_reviews


@dataclass
class ReviewsPanel:
    provider: Provider
    reviews: list[Review] = field(default_factory=list)


def panel_for(provider: Provider, page: int = 1) -> ReviewsPanel:
    recent = db.session.scalars(
        sa.select(Review)
        .where(Review.provider_id == provider.id, counted_reviews())
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(10)
    ).all()
    return ReviewsPanel(provider, list(recent))
