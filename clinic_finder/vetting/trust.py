"""A provider's trust summary: checks verified out of checks, the worst license status, the review count and
average, and when it was last verified. One function computes it (compute_summary); it is stored on the provider
and recomputed in the flush that changes any of its sources, so search can filter and sort on it in SQL.

Two parts change with the clock without any row changing: a license lapses on its expiry date. The stored summary
keeps the date that happens (license_valid_until); summary_of() and the SQL expressions below count it by today's
date when read, so no page waits for the nightly `licenses expire`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from operator import attrgetter

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from clinic_finder.licensing.status import provider_licenses, valid_until, worst_license_status
from clinic_finder.models import (
    ChecklistItem,
    Clinician,
    License,
    LicenseStatus,
    Location,
    ModerationStatus,
    Provider,
    ProviderCondition,
    ProviderRoute,
    Review,
    ServiceState,
)
from clinic_finder.vetting.checklist import checklist_for


@dataclass(frozen=True)
class TrustSummary:
    checks_verified: int
    checks_total: int
    license_status: LicenseStatus
    license_valid_until: date | None
    rating_count: int
    rating_average: float | None
    last_verified_at: datetime | None

    @property
    def checks_text(self) -> str:
        return f"{self.checks_verified} of {self.checks_total} checks verified"

    def as_json(self) -> dict:
        return {"checklist": {"verified": self.checks_verified, "total": self.checks_total},
                "license_status": self.license_status.value,
                "rating": {"average": self.rating_average, "count": self.rating_count},
                "last_verified_at": self.last_verified_at.isoformat() if self.last_verified_at else None}


def _today() -> date:
    return datetime.now(UTC).date()


def counted(review: Review) -> bool:
    """A review that counts: approved by a moderator and its email confirmed (the rule ratings.py applies in SQL)."""
    return review.status == ModerationStatus.APPROVED and review.email_confirmed_at is not None


def compute_summary(provider: Provider, today: date | None = None) -> TrustSummary:
    """The summary from the provider's rows as they are now (loaded relationships; no query when loaded)."""
    today = today or _today()
    reviews = [r for r in provider.reviews if counted(r)]
    count = len(reviews)
    average = round(sum(r.overall_rating for r in reviews) / count, 2) if count else None
    checklist = checklist_for(provider, today=today, rating=(count, average))
    licenses = provider_licenses(provider)
    return TrustSummary(
        checks_verified=checklist.verified,
        checks_total=checklist.total,
        license_status=worst_license_status(licenses, today),
        license_valid_until=valid_until(licenses, today),
        rating_count=count,
        rating_average=average,
        last_verified_at=checklist.last_verified_at,
    )


# The stored summary's columns, in TrustSummary's field order (read for every card of every page: listing the
# fields again for each one cost more than the rest of stored_summary).
_STORED_COLUMNS = attrgetter(*(f.name for f in fields(TrustSummary)))


def stored_summary(provider: Provider) -> TrustSummary:
    """The summary stored on the provider's row (or a search card of it): its columns are named as the fields."""
    return TrustSummary(*_STORED_COLUMNS(provider))


def summary_of(provider: Provider, today: date | None = None) -> TrustSummary:
    """The stored summary as it stands today: what every page, export and the API show."""
    stored = stored_summary(provider)
    if not _lapsed(stored, today or _today()):
        return stored
    # A license lapsed since the summary was stored: the provider is expired, and "all licenses verified" no
    # longer counts (it counted exactly when the worst status was verified).
    was_verified = stored.license_status == LicenseStatus.VERIFIED
    return TrustSummary(stored.checks_verified - (1 if was_verified else 0), stored.checks_total,
                        LicenseStatus.EXPIRED, None, stored.rating_count, stored.rating_average,
                        stored.last_verified_at)


def _lapsed(summary: TrustSummary, today: date) -> bool:
    return summary.license_valid_until is not None and summary.license_valid_until < today


def apply_summary(provider: Provider, today: date | None = None) -> TrustSummary:
    """Recompute and store (only the columns that changed, so an unchanged provider is not rewritten)."""
    summary = compute_summary(provider, today)
    for column, value in (("checks_verified", summary.checks_verified), ("checks_total", summary.checks_total),
                          ("license_status", summary.license_status),
                          ("license_valid_until", summary.license_valid_until),
                          ("rating_count", summary.rating_count), ("rating_average", summary.rating_average),
                          ("last_verified_at", summary.last_verified_at)):
        if getattr(provider, column) != value:
            setattr(provider, column, value)
    return summary


def differences(provider: Provider, today: date | None = None) -> dict[str, tuple]:
    """{column: (stored, recomputed)} for each part of the stored summary that differs from its sources."""
    today = today or _today()
    fresh = compute_summary(provider, today)
    shown = summary_of(provider, today)
    out = {}
    for column in ("checks_verified", "checks_total", "license_status", "rating_count", "rating_average",
                   "last_verified_at"):
        if getattr(shown, column) != getattr(fresh, column):
            out[column] = (getattr(shown, column), getattr(fresh, column))
    return out


# --- For SQL readers (search, the API list): the same rule as summary_of(), in one statement. ---

def license_status_sql(today: date | None = None) -> sa.ColumnElement:
    """Provider.license_status as it stands today."""
    lapsed = sa.and_(Provider.license_valid_until.is_not(None), Provider.license_valid_until < (today or _today()))
    return sa.case((lapsed, sa.literal(LicenseStatus.EXPIRED.value)), else_=Provider.license_status)


def checks_verified_sql(today: date | None = None) -> sa.ColumnElement:
    """Provider.checks_verified as it stands today."""
    lapsed = sa.and_(Provider.license_valid_until.is_not(None), Provider.license_valid_until < (today or _today()),
                     Provider.license_status == LicenseStatus.VERIFIED)
    return Provider.checks_verified - sa.case((lapsed, 1), else_=0)


# --- Keeping the stored summary true: every flush that changes a source recomputes it. ---

def provider_of(session: Session, obj) -> Provider | None:
    """The provider whose summary depends on this row, loading it by id for rows made with a bare foreign key."""
    if isinstance(obj, Provider):
        return obj
    if isinstance(obj, License):
        clinician = obj.clinician
        if clinician is None and obj.clinician_id is not None:
            clinician = session.get(Clinician, obj.clinician_id)
        return provider_of(session, clinician) if clinician is not None else None
    if isinstance(obj, (Clinician, ChecklistItem, Review, Location, ServiceState, ProviderRoute, ProviderCondition)):
        provider = obj.provider
        if provider is None and obj.provider_id is not None:
            provider = session.get(Provider, obj.provider_id)
        return provider
    return None


_SOURCES = (Provider, Clinician, License, ChecklistItem, Review, Location, ServiceState)


def refresh_before_flush(session: Session, _context, _instances) -> None:
    """Recompute the summary of every provider whose rows this flush adds, changes or deletes."""
    providers: set[Provider] = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, _SOURCES):
                provider = provider_of(session, obj)
                if provider is not None and provider not in session.deleted:
                    providers.add(provider)
        if not providers:
            return
        today = _today()
        deleted = set(session.deleted)
        for provider in providers:
            _apply_without(provider, deleted, today)


def _apply_without(provider: Provider, deleted: set, today: date) -> None:
    """apply_summary(), leaving out rows this flush deletes (still in their collections until it runs)."""
    if not deleted:
        apply_summary(provider, today)
        return
    view = _Without(provider, deleted)
    summary = compute_summary(view, today)  # type: ignore[arg-type]
    for column in ("checks_verified", "checks_total", "license_status", "license_valid_until", "rating_count",
                   "rating_average", "last_verified_at"):
        if getattr(provider, column) != (value := getattr(summary, column)):
            setattr(provider, column, value)


class _Without:
    """A provider seen without the rows about to be deleted (read-only proxy for compute_summary)."""

    def __init__(self, provider: Provider, deleted: set):
        self._p, self._d = provider, deleted

    def __getattr__(self, name):
        value = getattr(self._p, name)
        if name in ("reviews", "checklist_items", "locations", "service_states"):
            return [x for x in value if x not in self._d]
        if name == "clinicians":
            return [_ClinicianWithout(c, self._d) for c in value if c not in self._d]
        return value


class _ClinicianWithout:
    def __init__(self, clinician: Clinician, deleted: set):
        self._c, self._d = clinician, deleted

    def __getattr__(self, name):
        value = getattr(self._c, name)
        if name == "licenses":
            return [x for x in value if x not in self._d]
        return value


def init_trust_summary(session_target) -> None:
    """Register the hook (create_app calls this with the app's scoped session)."""
    if not event.contains(session_target, "before_flush", refresh_before_flush):
        event.listen(session_target, "before_flush", refresh_before_flush)
