"""The live figures behind "How we check" (/about/data): how much of the directory is verified, how old the
verifications are, and how much reviewing is going on. A few aggregate queries, all over published listings."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import (
    ChecklistItem,
    ChecklistSource,
    Clinician,
    License,
    LicenseStatus,
    ListingStatus,
    ModerationStatus,
    Provider,
    Review,
)
from clinic_finder.vetting.checklist import RECHECK_AFTER

REVIEW_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class LiveFigures:
    providers_listed: int
    licenses_on_file: int
    licenses_verified: int  # verified and not past their expiry date today
    median_verification_age_days: int | None  # licenses and checklist facts our team verified
    verifications_due: int  # verified over a year ago: due for a re-check
    reviews_published: int  # approved by a moderator in the window
    reviews_rejected: int
    window_days: int = REVIEW_WINDOW.days
    recheck_days: int = RECHECK_AFTER.days

    @property
    def share_of_licenses_verified(self) -> float | None:
        return self.licenses_verified / self.licenses_on_file if self.licenses_on_file else None


def live_figures(now: datetime | None = None) -> LiveFigures:
    now = now or datetime.now(UTC)
    today = now.date()
    listed = Provider.listing_status == ListingStatus.PUBLISHED
    providers = db.session.scalar(sa.select(sa.func.count()).select_from(Provider).where(listed)) or 0
    licenses = sa.select(License).join(Clinician).join(Provider).where(listed).subquery()
    total, verified = db.session.execute(sa.select(
        sa.func.count(),
        sa.func.count(sa.case((sa.and_(licenses.c.status == LicenseStatus.VERIFIED.value,
                                       sa.or_(licenses.c.expires_on.is_(None), licenses.c.expires_on >= today)),
                               1))))).one()
    license_dates = db.session.scalars(sa.select(License.verified_at).join(Clinician).join(Provider).where(
        listed, License.verified_at.is_not(None), License.status == LicenseStatus.VERIFIED)).all()
    fact_dates = db.session.scalars(sa.select(ChecklistItem.verified_at).join(Provider).where(
        listed, ChecklistItem.source == ChecklistSource.ADMIN_VERIFIED, ChecklistItem.verified_at.is_not(None))).all()
    ages = [(today - d.astimezone(UTC).date()).days for d in (*license_dates, *fact_dates)]
    since = now - REVIEW_WINDOW
    moderated = dict(db.session.execute(sa.select(Review.status, sa.func.count()).where(
        Review.moderated_at >= since).group_by(Review.status)).all())
    return LiveFigures(
        providers_listed=providers,
        licenses_on_file=int(total or 0),
        licenses_verified=int(verified or 0),
        median_verification_age_days=round(statistics.median(ages)) if ages else None,
        verifications_due=sum(1 for a in ages if a > RECHECK_AFTER.days),
        reviews_published=int(moderated.get(ModerationStatus.APPROVED, 0)),
        reviews_rejected=int(moderated.get(ModerationStatus.REJECTED, 0)),
    )
