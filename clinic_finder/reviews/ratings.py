"""A provider's rating summary on the guide's criteria. Only approved reviews whose email was confirmed count.

The provider row caches the overall average and count (for search sorting and filtering); refresh_rating() is
called by every change that can alter which reviews count.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, Provider, Review

# (column, label) in the order a profile shows them; the last two are optional on the form.
CRITERIA: tuple[tuple[str, str], ...] = (
    ("overall_rating", "Overall"),
    ("experience_rating", "Experience and expertise"),
    ("professionalism_rating", "Professionalism"),
    ("customer_service_rating", "Customer service"),
    ("safety_rating", "Safety and monitoring"),
    ("value_rating", "Value for money"),
)


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


@dataclass
class CriterionAverage:
    key: str
    label: str
    average: float | None
    count: int  # reviews that rated this criterion (the optional ones may have fewer)


@dataclass
class RatingSummary:
    count: int = 0  # reviews that count: approved and confirmed
    published: int = 0  # approved reviews shown on the profile, confirmed or not
    criteria: list[CriterionAverage] = field(default_factory=list)
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(5, 0, -1), 0))

    @property
    def average(self) -> float | None:
        return self.criteria[0].average if self.criteria else None

    def share(self, stars: int) -> float:
        return self.distribution.get(stars, 0) / self.count if self.count else 0.0


def _counted(expr):
    return sa.case((counted_reviews(), expr), else_=None)


@cache
def _summary_statement() -> sa.Select:
    # Built once per process: its eighteen CASE expressions cost more CPU to build than the query takes to run.
    columns = [sa.func.count(Review.id), sa.func.count(_counted(Review.id))]
    for key, _label in CRITERIA:
        col = getattr(Review, key)
        columns += [sa.func.avg(_counted(col)), sa.func.count(_counted(col))]
    columns += [sa.func.count(_counted(sa.case((Review.overall_rating == n, 1), else_=None)))
                for n in range(5, 0, -1)]
    return sa.select(*columns).where(Review.provider_id == sa.bindparam("provider_id"),
                                     Review.status == ModerationStatus.APPROVED)


def rating_summary(provider_id: int) -> RatingSummary:
    """Everything a profile shows about ratings, in one aggregate query."""
    row = db.session.execute(_summary_statement(), {"provider_id": provider_id}).one()
    published, count, *rest = row
    criteria = []
    for i, (key, label) in enumerate(CRITERIA):
        average, rated = rest[2 * i], rest[2 * i + 1]
        criteria.append(CriterionAverage(key, label, round(float(average), 1) if average is not None else None,
                                         int(rated or 0)))
    stars = rest[2 * len(CRITERIA):]
    distribution = {n: int(stars[i] or 0) for i, n in enumerate(range(5, 0, -1))}
    return RatingSummary(int(count or 0), int(published or 0), criteria, distribution)


def criterion_averages(provider_id: int) -> list[CriterionAverage]:
    return rating_summary(provider_id).criteria


def distribution(provider_id: int) -> dict[int, int]:
    """Counted reviews by overall rating, 5 stars first."""
    return rating_summary(provider_id).distribution
