"""Lapsing licenses: marking licenses past their expiry date as expired and lowering their providers' status.

Run nightly by `flask licenses expire`. It is idempotent (an expired license is not touched again) and safe when
two runs overlap: on PostgreSQL the rows are locked and a second run skips the ones the first holds. A revoked
license stays revoked (it is already worse than expired).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from clinic_finder.extensions import db
from clinic_finder.licensing import status as licensing
from clinic_finder.models import Clinician, JobRun, License, LicenseStatus, Provider
from clinic_finder.staff import audit

JOB_NAME = "licenses expire"
_UNTOUCHED = (LicenseStatus.EXPIRED, LicenseStatus.REVOKED)


@dataclass
class ExpiryReport:
    expired: list[int] = field(default_factory=list)
    providers_lowered: list[int] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (f"{len(self.expired)} license{'s' if len(self.expired) != 1 else ''} marked expired; "
                f"{len(self.providers_lowered)} provider{'s' if len(self.providers_lowered) != 1 else ''} "
                "lowered")


def lapsed(today: date) -> sa.Select:
    return sa.select(License).where(License.expires_on < today, License.status.not_in(_UNTOUCHED))


def expire_lapsed(today: date | None = None) -> ExpiryReport:
    """Mark every lapsed license expired (as the system, audited) and commit; returns what changed."""
    today = today or datetime.now(UTC).date()
    provider_path = joinedload(License.clinician).joinedload(Clinician.provider)
    stmt = lapsed(today).order_by(License.id).options(
        provider_path.selectinload(Provider.clinicians).selectinload(Clinician.licenses),
        provider_path.selectinload(Provider.checklist_items),
    )
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=License, skip_locked=True)
    report = ExpiryReport()
    providers: dict[int, tuple[Provider, LicenseStatus]] = {}
    for lic in db.session.scalars(stmt).unique():
        provider = lic.clinician.provider
        providers.setdefault(provider.id, (provider, provider.license_status))
        report.expired.append(lic.id)
        audit.record(None, "license.expire", "license", lic.id, before={"status": lic.status.value},
                     after={"status": LicenseStatus.EXPIRED.value, "expires_on": lic.expires_on.isoformat()})
        lic.status = LicenseStatus.EXPIRED
    for provider, before in providers.values():
        after = licensing.refresh_license_status(provider, today)
        if after != before:
            report.providers_lowered.append(provider.id)
            audit.record(None, "provider.license_status", "provider", provider.id,
                         before={"license_status": before.value}, after={"license_status": after.value})
    db.session.commit()
    return report


def run_job(today: date | None = None) -> tuple[JobRun, ExpiryReport]:
    """The cron entry point: the run is recorded in job_run (the dashboard shows the last one)."""
    run = JobRun(name=JOB_NAME)
    db.session.add(run)
    db.session.commit()
    report = expire_lapsed(today)
    run.finished_at = datetime.now(UTC)
    run.summary = report.summary
    db.session.commit()
    return run, report


def last_run() -> JobRun | None:
    return db.session.scalar(sa.select(JobRun).where(JobRun.name == JOB_NAME, JobRun.finished_at.is_not(None))
                             .order_by(JobRun.finished_at.desc(), JobRun.id.desc()).limit(1))
