"""How fresh a verified fact is: "verified 12 days ago", and which facts are due for a re-check.

Only a real verification by our team moves a verified date. An import, a seed or a save that changes nothing never
does: directories whose "last updated" stamp moves on every save tell patients something that is not true.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from clinic_finder import wording
from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, page_of_list
from clinic_finder.models import ChecklistItem, ChecklistSource, Clinician, License, LicenseStatus, Provider, User
from clinic_finder.staff import audit
from clinic_finder.vetting.checklist import BY_KEY, RECHECK_AFTER

__all__ = ["RECHECK_AFTER", "DueItem", "describe", "due_count", "due_for_recheck", "is_due", "reverify_check"]


def _now() -> datetime:
    return datetime.now(UTC)


def age_in_days(verified_at: datetime, now: datetime | None = None) -> int:
    return max(0, ((now or _now()).date() - verified_at.astimezone(UTC).date()).days)


def describe(verified_at: datetime | None, now: datetime | None = None) -> str:
    """A patient-readable age: "verified today", "verified 12 days ago", "verified 14 months ago"."""
    if verified_at is None:
        return "not verified"
    return "verified " + wording.days_ago(verified_at, (now or _now()).date())


def is_due(verified_at: datetime | None, now: datetime | None = None) -> bool:
    """True when a verification is more than a year old: the fact may have changed since."""
    return verified_at is not None and (now or _now()) - verified_at > RECHECK_AFTER


@dataclass(frozen=True)
class DueItem:
    """One verified fact whose verification is more than a year old."""

    kind: str  # "check" or "license"
    id: int
    provider: Provider
    label: str
    value: str
    verified_at: datetime


def _cutoff(now: datetime) -> datetime:
    return now - RECHECK_AFTER


def _due_checks(now: datetime) -> sa.Select:
    return sa.select(ChecklistItem).where(
        ChecklistItem.source == ChecklistSource.ADMIN_VERIFIED,
        ChecklistItem.verified_at.is_not(None),
        ChecklistItem.verified_at < _cutoff(now),
    )


def _due_licenses(now: datetime) -> sa.Select:
    # Expired and revoked licenses are findings in themselves; re-checking them would not change what patients see.
    return sa.select(License).where(
        License.verified_at.is_not(None),
        License.verified_at < _cutoff(now),
        License.status.not_in([LicenseStatus.EXPIRED, LicenseStatus.REVOKED]),
    )


def due_count(now: datetime | None = None) -> int:
    now = now or _now()
    checks = db.session.scalar(sa.select(sa.func.count()).select_from(_due_checks(now).subquery())) or 0
    licenses = db.session.scalar(sa.select(sa.func.count()).select_from(_due_licenses(now).subquery())) or 0
    return checks + licenses


def due_for_recheck(page: int, per_page: int, now: datetime | None = None) -> Page:
    """Verified facts and licenses older than a year, oldest verification first (two queries, then paged)."""
    now = now or _now()
    checks = db.session.scalars(_due_checks(now).options(joinedload(ChecklistItem.provider))).all()
    licenses = db.session.scalars(
        _due_licenses(now).options(joinedload(License.clinician).joinedload(Clinician.provider))
    ).all()
    items = [
        DueItem("check", c.id, c.provider, BY_KEY[c.key].label if c.key in BY_KEY else c.key, c.value or "",
                c.verified_at)
        for c in checks
    ] + [
        DueItem("license", lic.id, lic.clinician.provider,
                f"License {lic.state} {lic.license_number} ({lic.clinician.full_name})", lic.status.label,
                lic.verified_at)
        for lic in licenses
    ]
    items.sort(key=lambda i: (i.verified_at, i.kind, i.id))
    return page_of_list(items, page, per_page)


def get_due_check(item_id: int) -> ChecklistItem | None:
    return db.session.get(ChecklistItem, item_id)


def reverify_check(item: ChecklistItem, actor: User, ip_address: str | None = None,
                   now: datetime | None = None) -> None:
    """Record that our team confirmed the fact again today: the one action that moves its verified date."""
    if item.source != ChecklistSource.ADMIN_VERIFIED:
        raise ValueError("only a fact our team verified before can be confirmed again")
    before = audit.snapshot(item, ["value", "source", "verified_at"])
    item.verified_at = now or _now()
    item.verified_by = actor.email
    audit.record(actor, "checklist_item.reverify", "checklist_item", item.id, before=before,
                 after=audit.snapshot(item, ["value", "source", "verified_at"]), ip_address=ip_address)
    db.session.commit()
