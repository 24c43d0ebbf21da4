"""The admin dashboard: queue counts by role, expiring licenses, the expiry job's last run."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.licensing import expiry as license_expiry
from clinic_finder.models import (
    ChecklistSource,
    LicenseStatus,
    ListingSubmission,
    ModerationStatus,
    ProblemCategory,
    ProblemReport,
    RequestStatus,
    SubmissionKind,
)
from clinic_finder.reviews import moderation as review_moderation
from clinic_finder.vetting import checklist as vetting

TODAY = datetime.now(UTC).date()


def _tile(html, key):
    match = re.search(rf'id="tile-{key}">.*?<span class="tile-count">(\d+)</span>', html, re.S)
    return int(match.group(1)) if match else None


def _fill(make_provider, add_license, add_review):
    provider = make_provider("Harbor Infusion Center")
    add_license(provider, LicenseStatus.UNVERIFIED, state="NY")
    add_license(provider, LicenseStatus.UNVERIFIED, state="NJ")
    add_license(provider, LicenseStatus.VERIFIED, state="CT", expires_on=TODAY + timedelta(days=12))
    add_license(provider, LicenseStatus.EXPIRED, state="PA", expires_on=TODAY - timedelta(days=2))
    db.session.add(ListingSubmission(kind=SubmissionKind.NEW_LISTING, payload={"name": "New Clinic"}))
    db.session.add(ListingSubmission(kind=SubmissionKind.NEW_LISTING, payload={"name": "Done"},
                                     status=ModerationStatus.APPROVED))
    add_review(provider, status=ModerationStatus.PENDING)
    reported = add_review(provider)
    db.session.commit()
    # Through the domain, as a reader's report arrives, so the review's open-report count is kept with it.
    review_moderation.report(reported, "spam", "reader-1", threshold=10)
    review_moderation.report(reported, "rude", "reader-2", threshold=10)


def test_admins_see_every_queue_with_its_count(client, signed_in_admin, make_provider, add_license, add_review):
    _fill(make_provider, add_license, add_review)
    html = client.get("/admin/").get_data(as_text=True)
    assert _tile(html, "to_verify") == 2 and _tile(html, "expiring") == 1 and _tile(html, "expired") == 1
    assert _tile(html, "listing_submissions") == 1
    assert _tile(html, "pending_reviews") == 1 and _tile(html, "reported_reviews") == 1
    assert 'href="/admin/licenses?queue=to_verify"' in html
    assert "DEMO-CT-" in html and "Expiring soonest" in html
    assert "Next licenses to verify" in html and "DEMO-NY-" in html and "DEMO-NJ-" in html


def test_moderators_see_only_the_review_queues(client, signed_in_moderator, make_provider, add_license,
                                                add_review):
    _fill(make_provider, add_license, add_review)
    html = client.get("/admin/").get_data(as_text=True)
    assert _tile(html, "pending_reviews") == 1 and _tile(html, "reported_reviews") == 1
    assert _tile(html, "to_verify") is None and _tile(html, "listing_submissions") is None
    assert "Expiring soonest" not in html and "Next licenses to verify" not in html
    assert "/admin/licenses" not in html


def test_the_dashboard_shows_when_the_expiry_job_last_ran(client, signed_in_admin):
    assert "has never run" in client.get("/admin/").get_data(as_text=True)
    license_expiry.run_job()
    html = client.get("/admin/").get_data(as_text=True)
    assert "Last run" in html and "0 licenses marked expired" in html and "has never run" not in html


def test_an_empty_dashboard_says_so(client, signed_in_admin):
    html = client.get("/admin/").get_data(as_text=True)
    assert _tile(html, "to_verify") == 0 and "No verified license expires in the next 30 days." in html


def test_the_dashboard_loads_in_a_fixed_number_of_queries(client, signed_in_admin, make_provider, add_license,
                                                          add_review, count_queries):
    _fill(make_provider, add_license, add_review)
    with count_queries() as few:
        client.get("/admin/")
    for i in range(6):
        add_license(make_provider(), LicenseStatus.VERIFIED, expires_on=TODAY + timedelta(days=i + 1))
    with count_queries() as many:
        client.get("/admin/")
    # Issue 14 adds the data health panel: seven more queries, the same however many providers there are; the
    # import queues' three tiles one more.
    assert len(many) == len(few) <= 23


def test_open_problem_reports_and_stale_verifications_are_counted(client, signed_in_admin, make_provider):
    provider = make_provider("Lakeside Infusions")
    vetting.set_check(provider, "acls_staff_on_site", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=400))
    vetting.set_check(provider, "emergency_protocol", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=20))
    db.session.add_all([ProblemReport(provider=provider, category=ProblemCategory.WRONG_PHONE),
                        ProblemReport(provider=provider, category=ProblemCategory.CLOSED,
                                      status=RequestStatus.RESOLVED)])
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert _tile(html, "problem_reports") == 1
    assert _tile(html, "recheck_due") == 1
    assert 'href="/admin/problem-reports"' in html and 'href="/admin/recheck"' in html


def test_the_import_queues_have_tiles_counted_as_their_pages_count(client, signed_in_admin, make_provider):
    from datetime import date

    from clinic_finder.interchange import review_queue
    from clinic_finder.models import ImportDifference, ImportOrigin, ImportSource, NpiDeactivation

    providers = [make_provider(f"Imported Clinic {n}") for n in range(3)]
    for n, provider in enumerate(providers):  # two candidates wait; one was published already
        db.session.add(ImportOrigin(provider=provider, source=ImportSource.NPPES, source_key=f"k{n}",
                                    source_label="NPPES file of 2026-11-09", baseline={}, to_review=n < 2))
    for n, status in enumerate((RequestStatus.OPEN, RequestStatus.OPEN, RequestStatus.RESOLVED)):
        db.session.add(NpiDeactivation(npi=f"123456789{n}", provider=providers[0], deactivated_on=date(2026, 5, 14),
                                       source_label="NPPES file of 2026-11-09", status=status))
    for status in (RequestStatus.OPEN, RequestStatus.DISMISSED):
        db.session.add(ImportDifference(provider=providers[1], field="phone", current_value="1", incoming_value="2",
                                        source_label="clinics.csv", status=status))
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    pages = {"imports_to_review": (review_queue.candidates, "/admin/imports/to-review"),
             "deactivated_npis": (review_queue.open_deactivations, "/admin/imports/deactivated-npis"),
             "import_differences": (review_queue.open_differences, "/admin/imports/differences")}
    for key, (queue, url) in pages.items():
        assert _tile(html, key) == queue(1, 20).total, key
        assert re.search(rf'id="tile-{key}">\s*<a href="{url}">', html), key
    assert (_tile(html, "imports_to_review"), _tile(html, "deactivated_npis"), _tile(html, "import_differences")) \
        == (2, 2, 1)
    assert 'class="tile tile-urgent" id="tile-deactivated_npis"' in html
