"""`flask licenses expire`: lapsed licenses become expired, providers drop, runs are idempotent and recorded."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.licensing import expiry as license_expiry
from clinic_finder.models import AuditEvent, JobRun, License, LicenseStatus, Provider

TODAY = datetime.now(UTC).date()


def _status(lic):
    db.session.expire_all()
    return db.session.get(License, lic.id).status


def test_expire_marks_lapsed_licenses_and_lowers_the_provider(runner, make_provider, add_license):
    provider = make_provider()
    good = add_license(provider, LicenseStatus.VERIFIED, state="NJ")
    lapsed = add_license(provider, LicenseStatus.VERIFIED, state="NY", expires_on=TODAY + timedelta(days=10))
    # Time passes: the expiry date goes by without any row being written (the stored summary still says verified).
    db.session.execute(sa.update(License).where(License.id == lapsed.id).values(expires_on=TODAY - timedelta(days=1)))
    db.session.commit()
    result = runner.invoke(args=["licenses", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 license marked expired; 1 provider lowered" in result.output
    assert _status(lapsed) == LicenseStatus.EXPIRED and _status(good) == LicenseStatus.VERIFIED
    assert db.session.get(Provider, provider.id).license_status == LicenseStatus.EXPIRED
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["license.expire", "provider.license_status"]
    assert set(db.session.scalars(sa.select(AuditEvent.actor_label))) == {"system"}


def test_a_license_expiring_today_is_still_valid(runner, make_provider, add_license):
    lic = add_license(make_provider(), LicenseStatus.VERIFIED, expires_on=TODAY)
    runner.invoke(args=["licenses", "expire"])
    assert _status(lic) == LicenseStatus.VERIFIED


def test_a_second_run_changes_nothing(runner, make_provider, add_license):
    add_license(make_provider(), LicenseStatus.VERIFIED, expires_on=TODAY - timedelta(days=3))
    runner.invoke(args=["licenses", "expire"])
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    second = runner.invoke(args=["licenses", "expire"])
    assert second.exit_code == 0 and "0 licenses marked expired; 0 providers lowered" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_revoked_stays_revoked_and_unverified_lapsed_becomes_expired(runner, make_provider, add_license):
    provider = make_provider()
    revoked = add_license(provider, LicenseStatus.REVOKED, state="NY", expires_on=TODAY - timedelta(days=9))
    unverified = add_license(provider, LicenseStatus.UNVERIFIED, state="NJ", expires_on=TODAY - timedelta(days=9))
    runner.invoke(args=["licenses", "expire"])
    assert _status(revoked) == LicenseStatus.REVOKED and _status(unverified) == LicenseStatus.EXPIRED
    assert db.session.get(Provider, provider.id).license_status == LicenseStatus.REVOKED  # still the worst


def test_each_run_is_recorded_for_the_dashboard(runner, make_provider, add_license):
    assert license_expiry.last_run() is None
    runner.invoke(args=["licenses", "expire"])
    run = license_expiry.last_run()
    assert run.name == "licenses expire" and run.finished_at is not None
    assert run.summary == "0 licenses marked expired; 0 providers lowered"
    runner.invoke(args=["licenses", "expire"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 2


def test_the_checklist_words_follow_without_moving_the_verified_date(runner, make_provider, add_license):
    provider = make_provider()
    add_license(provider, LicenseStatus.VERIFIED, state="NY", expires_on=TODAY - timedelta(days=1))
    runner.invoke(args=["licenses", "expire"])
    # Issue 14: the words are derived from the license rows, and the check no longer counts as verified.
    from clinic_finder.vetting import checklist as vetting

    db.session.expire_all()
    item = next(i for i in vetting.checklist_for(db.session.get(Provider, provider.id)).items
                if i.key == "licenses_verified")
    assert item.value == "0 of 1 license verified; 1 expired" and not item.verified
