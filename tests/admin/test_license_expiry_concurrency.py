"""Two `licenses expire` runs at the same moment (two cron hosts, or a slow run overlapping the next) expire each
license once: PostgreSQL's row locks with SKIP LOCKED divide the work; nothing is audited twice."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.licensing import expiry as license_expiry
from clinic_finder.models import AuditEvent, JobRun, License, LicenseStatus


def test_overlapping_runs_expire_each_license_once(app, make_provider, add_license):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's; set TEST_DATABASE_URL to run this")
    lapsed_on = datetime.now(UTC).date() - timedelta(days=2)
    ids = []
    for i in range(15):
        provider = make_provider(f"Clinic {i}")
        ids += [add_license(provider, LicenseStatus.VERIFIED, state=s, expires_on=lapsed_on).id
                for s in ("NY", "NJ", "CT", "PA")]
    db.session.remove()

    start, reports, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context():
            try:
                start.wait()
                reports.append(license_expiry.run_job()[1])
            except Exception as exc:  # noqa: BLE001 (reported below, with the test's failure)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    done = [lic_id for report in reports for lic_id in report.expired]
    assert sorted(done) == sorted(ids)  # together, each license once
    expired_events = Counter(db.session.scalars(
        sa.select(AuditEvent.target_id).where(AuditEvent.action == "license.expire")))
    assert set(expired_events) == set(ids) and set(expired_events.values()) == {1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(License)
                             .where(License.status == LicenseStatus.EXPIRED)) == len(ids)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 2
