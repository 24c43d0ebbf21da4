"""A directory with a row in every kind of table an archive must carry (tests/databases.py makes the databases to move it to).

Plain functions (not fixtures) because the archive tests build them inside apps of their own.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db
from clinic_finder.licensing import evidence_files
from clinic_finder.models import (
    ChecklistSource,
    ConsultationRequest,
    DisciplinaryAction,
    DisciplineKind,
    GeocodeCacheEntry,
    ImportDifference,
    ImportOrigin,
    ImportSource,
    JobRun,
    LicenseStatus,
    ListingSubmission,
    MismatchKind,
    ModerationStatus,
    NpiDeactivation,
    OutboxMessage,
    ProblemCategory,
    ProblemReport,
    RequestStatus,
    ReviewReport,
    Role,
    RosterMismatch,
    SpentFormToken,
    StaffSession,
    SubmissionKind,
)
from clinic_finder.staff import audit
from clinic_finder.vetting import checklist as vetting

from .. import factories

PASSWORD = "correct horse battery staple"
EVIDENCE = b"%PDF-1.4\n% fictional evidence for a demo license DEMO-NY-000001\n%%EOF\n"


def app_for(url: str, evidence_dir: Path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        EVIDENCE_DIR = str(evidence_dir)

    return create_app(Config)




def fill_every_table(evidence_dir: Path) -> None:
    """Providers with locations, clinicians and licenses (one verified with an evidence file), checklist facts,
    reviews in every state with a report, the public's queues, staff with sessions, the audit trail, and the
    app's own bookkeeping. Run inside an app context."""
    admin = factories.make_user("admin@example.org", password=PASSWORD)
    factories.make_user("moderator@example.org", Role.MODERATOR, password=PASSWORD)
    clinic = factories.make_provider("Archive Clinic", at_home=True, states_served=("NY", "NJ"))
    factories.make_provider("Quiet Home Care", in_clinic=False, at_home=True, states_served=("CT",))
    lic = factories.add_license(clinic, verified_at=factories.now() - timedelta(days=3))
    stored = evidence_files.store(evidence_dir, EVIDENCE, "application/pdf")
    lic.evidence_file, lic.evidence_mime, lic.verified_by_id = stored.name, stored.mime, admin.id
    revoked = factories.add_license(clinic, LicenseStatus.REVOKED, state="NJ")
    vetting.set_check(clinic, "acls_staff_on_site", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=factories.now() - timedelta(days=9), verified_by=admin.email, note="Called them")
    review = factories.add_review(clinic, 4)
    factories.add_review(clinic, 2, status=ModerationStatus.PENDING, confirmed=False)
    factories.add_review(clinic, 1, status=ModerationStatus.REJECTED)
    now = factories.now()
    db.session.add_all([
        ReviewReport(review_id=review.id, reason="Mentions a staff member's full name"),
        ConsultationRequest(provider_id=clinic.id, name="Pat Example", email="pat@example.org",
                            consent_given_at=now, assessment_answers={"phq2": [1, 2], "note": "fictional"}),
        ListingSubmission(kind=SubmissionKind.CORRECTION, provider_id=clinic.id, payload={"phone": "(212) 555-0199"},
                          submitter_email="owner@example.org"),
        ProblemReport(provider_id=clinic.id, category=ProblemCategory.WRONG_PHONE, status=RequestStatus.RESOLVED,
                      resolved_at=now, resolved_by_id=admin.id),
        StaffSession(user_id=admin.id, token_hash="a" * 64, expires_at=now + timedelta(hours=8)),
        OutboxMessage(kind="review_confirm", recipient="r@example.org", subject="Confirm", body="Fictional"),
        GeocodeCacheEntry(geocoder="nominatim", query="1 Main St, Albany, NY", lat=42.65, lon=-73.75),
        JobRun(name="licenses expire", finished_at=now, summary="0 expired"),
        SpentFormToken(nonce="n" * 40, spent_at=now),
        DisciplinaryAction(license_id=revoked.id, kind=DisciplineKind.PROBATION, board_wording="PROBATION - 2 YRS",
                           source="roster nj-md.csv, dated 2026-11-30 (fictional)", source_dated=now.date()),
        RosterMismatch(license_id=lic.id, kind=MismatchKind.STATUS, detail="roster: lapsed; we hold: verified",
                       source="roster ny-md.csv, dated 2026-11-30 (fictional)", source_dated=now.date()),
        ImportOrigin(provider_id=clinic.id, source=ImportSource.NPPES, source_key="1234567893",
                     source_label="NPPES file of 2026-11-09 (fictional)", baseline={"phone": "(212) 555-0100"},
                     details={"taxonomies": ["2084P0800X"]}, to_review=True),
        ImportDifference(provider_id=clinic.id, field="phone", current_value="(212) 555-0100",
                         incoming_value="(212) 555-0142", source_label="NPPES file of 2026-12-07 (fictional)"),
        NpiDeactivation(npi="1234567893", provider_id=clinic.id, clinician_id=lic.clinician_id,
                        deactivated_on=now.date() - timedelta(days=20), source_label="NPPES file of 2026-12-07"),
    ])
    audit.record(admin, "license.verify", "license", lic.id, before={"status": "unverified"},
                 after={"status": "verified", "évidence": "ünïcode ✓"}, ip_address="127.0.0.1")
    db.session.commit()


def table_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in db.metadata.sorted_tables}
