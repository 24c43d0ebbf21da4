"""The admin's license work lists: to verify, expiring within 30 days, expired, roster mismatches — with counts for
the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.models import Clinician, License, LicenseStatus, Provider, RosterMismatch

EXPIRING_WITHIN = timedelta(days=30)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    empty: str


QUEUES: tuple[Queue, ...] = (
    Queue("to_verify", "To verify", "No license is waiting to be verified."),
    Queue("expiring", "Expiring within 30 days", "No verified license expires in the next 30 days."),
    Queue("expired", "Expired", "No license has expired."),
    Queue("roster_mismatch", "Roster mismatches", "No license disagrees with a board roster."),
    Queue("all", "All licenses", "No licenses yet."),
)
BY_KEY = {q.key: q for q in QUEUES}


def _condition(key: str, today: date):
    if key == "to_verify":
        return License.status.in_([LicenseStatus.UNVERIFIED, LicenseStatus.PENDING])
    if key == "expiring":
        return sa.and_(License.status == LicenseStatus.VERIFIED, License.expires_on >= today,
                       License.expires_on <= today + EXPIRING_WITHIN)
    if key == "expired":
        # Also licenses past their date that the nightly `licenses expire` has not reached yet.
        return sa.or_(License.status == LicenseStatus.EXPIRED,
                      sa.and_(License.expires_on < today,
                              License.status.not_in([LicenseStatus.REVOKED, LicenseStatus.REJECTED])))
    if key == "roster_mismatch":
        return sa.exists().where(RosterMismatch.license_id == License.id, RosterMismatch.resolved_at.is_(None))
    return sa.true()


def counts(today: date) -> dict[str, int]:
    """Every queue's size in one query."""
    columns = [sa.func.count().filter(_condition(q.key, today)).label(q.key) for q in QUEUES if q.key != "all"]
    row = db.session.execute(sa.select(*columns).select_from(License)).one()
    return dict(row._mapping)


def list_queue(key: str, page: int, per_page: int, today: date) -> Page:
    """One page of a queue, soonest expiry first, with clinician and provider loaded in the same query."""
    return paginate(
        sa.select(License).where(_condition(key, today))
        .join(License.clinician).join(Clinician.provider)
        .order_by(License.expires_on.is_(None), License.expires_on, Provider.name, License.id),
        page, per_page,
        options=(joinedload(License.clinician).joinedload(Clinician.provider),
                 # Only this queue shows the reasons; the dashboard's short lists keep their query count.
                 *((selectinload(License.open_roster_mismatches),) if key == "roster_mismatch" else ())),
    )


def get_license(license_id: int) -> License | None:
    return db.session.scalar(
        sa.select(License).where(License.id == license_id)
        .options(joinedload(License.clinician).joinedload(Clinician.provider), joinedload(License.verified_by),
                 selectinload(License.open_roster_mismatches), selectinload(License.disciplinary_actions))
    )
