"""The trust summary (vetting/trust.py): computed once, stored on the provider in the same flush as any change to
its sources, and counted by today's date when read."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import profiles
from clinic_finder.models import ChecklistSource, License, LicenseStatus, ModerationStatus, Provider, Review
from clinic_finder.vetting import checklist as vetting
from clinic_finder.vetting import trust

TODAY = datetime.now(UTC).date()


def _fresh(provider_id: int) -> Provider:
    db.session.expire_all()
    return db.session.get(Provider, provider_id)


def test_a_license_verified_with_gaps_is_not_a_verified_check(make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.UNVERIFIED)
    check = next(i for i in vetting.checklist_for(p).items if i.key == "licenses_verified")
    assert check.display == "0 of 1 license verified"
    assert not check.verified
    assert _fresh(p.id).checks_verified == 0


def test_a_verified_no_is_shown_but_not_counted(make_provider):
    p = make_provider()
    vetting.set_check(p, "acls_staff_on_site", "no", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC), verified_by="checker@example.org")
    db.session.commit()
    check = next(i for i in vetting.checklist_for(p).items if i.key == "acls_staff_on_site")
    assert check.display == "No" and check.source == ChecklistSource.ADMIN_VERIFIED and not check.verified
    assert _fresh(p.id).checks_verified == 0


def test_the_summary_is_stored_in_the_same_transaction_as_its_sources(make_provider, add_license, add_review):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED)
    add_review(p, 4)
    add_review(p, 2)
    stored = _fresh(p.id)
    assert (stored.license_status, stored.rating_count, stored.rating_average) == (LicenseStatus.VERIFIED, 2, 3.0)
    assert stored.checks_verified == 1 and stored.checks_total == len(vetting.definitions_for(stored))
    assert stored.last_verified_at is not None
    # A moderator takes one review down: the summary follows in the same commit, with no extra call.
    review = db.session.scalar(sa.select(Review).where(Review.overall_rating == 2))
    review.status = ModerationStatus.REJECTED
    db.session.commit()
    assert (_fresh(p.id).rating_count, _fresh(p.id).rating_average) == (1, 4.0)
    # Deleting the license is a change to a source too.
    db.session.delete(db.session.scalar(sa.select(License)))
    db.session.commit()
    stored = _fresh(p.id)
    assert stored.license_status == LicenseStatus.UNVERIFIED and stored.checks_verified == 0
    assert trust.differences(stored) == {}


def test_a_license_past_its_expiry_is_expired_before_the_nightly_job(client, make_provider, add_license):
    p = make_provider()
    lic = add_license(p, LicenseStatus.VERIFIED, expires_on=TODAY + timedelta(days=5))
    stored = _fresh(p.id)
    assert stored.license_status == LicenseStatus.VERIFIED and stored.checks_verified == 1
    assert stored.license_valid_until == TODAY + timedelta(days=5)
    # Six days pass: the summary was stored when the license was valid, and its expiry date has gone by since without
    # any row being written (the nightly `licenses expire` has not run).
    db.session.execute(sa.update(License).where(License.id == lic.id).values(expires_on=TODAY - timedelta(days=1)))
    db.session.execute(sa.update(Provider).where(Provider.id == p.id)
                       .values(license_valid_until=TODAY - timedelta(days=1)))
    db.session.commit()
    stored = _fresh(p.id)
    assert stored.license_status == LicenseStatus.VERIFIED  # the stored row, untouched
    shown = trust.summary_of(stored)
    assert shown.license_status == LicenseStatus.EXPIRED and shown.checks_verified == 0
    assert trust.differences(stored) == {}  # what is shown equals a recomputation from the rows
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "License: Expired" in html and "0 of 18 checks verified" in html
    body = profiles.profile_json(profiles.load_profile(p.id))
    assert body["license_status"] == "expired" and body["checklist"]["verified"] == 0
    # The same rule in SQL, for search: one statement, no provider loaded.
    row = db.session.execute(sa.select(trust.license_status_sql(TODAY), trust.checks_verified_sql(TODAY))
                             .where(Provider.id == p.id)).one()
    assert tuple(row) == ("expired", 0)


def test_facts_from_reviews_without_reviews_are_not_shown(client, make_provider):
    p = make_provider(free_consultation=False)
    vetting.set_check(p, "response_time", "Same day", ChecklistSource.FROM_REVIEWS)
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.SELF_REPORTED)
    db.session.commit()
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "Same day" not in html and "No reviews yet" in html
    # The listing says no consultation: no button, and the form is not open.
    assert "Not offered" in html and "Request a free consultation" not in html
    assert client.get(f"/providers/{p.id}/consultation").status_code == 404


def test_the_profile_shows_who_prescribes(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, state="DC")
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "Who prescribes" in html and ", MD" in html and "District of Columbia" in html
    body = profiles.profile_json(profiles.load_profile(p.id))
    assert body["prescribers"][0]["credential"] == "MD" and body["prescribers"][0]["states"] == ["DC"]


def test_stored_summary_columns_are_what_search_reads(make_provider, add_license, add_review):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, expires_on=date.today() + timedelta(days=90))
    add_review(p, 5)
    row = db.session.execute(sa.select(Provider.checks_verified, Provider.checks_total, Provider.rating_count,
                                       Provider.rating_average, trust.license_status_sql())
                             .where(Provider.id == p.id)).one()
    assert tuple(row) == (1, 18, 1, 5.0, "verified")


def test_a_fact_checked_by_our_team_that_is_not_a_pass_says_so(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED)
    add_license(p, LicenseStatus.UNVERIFIED, state="NJ")
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "1 of 2 licenses verified" in html and "not a verified pass" in html
    assert "0 of 18 checks verified" in html
