"""Approving or rejecting submissions: what changes, what never does, and the audit trail."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import approval as listing_approval
from clinic_finder.listings import submissions as listings
from clinic_finder.models import AuditEvent, ChecklistSource, ListingStatus, ModerationStatus, Provider
from clinic_finder.vetting import checklist as vetting

from .conftest import valid_listing


def _submit(provider=None, **overrides):
    data = valid_listing(**overrides)
    submitter = {k: data.pop(k, None) for k in ("submitter_name", "submitter_email", "note")}
    if provider is not None and not submitter["note"]:
        submitter["note"] = "Please update."
    return listings.submit(data, submitter, provider)


def _actions():
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_approving_a_new_listing_publishes_a_provider_reported_not_verified(make_user):
    admin = make_user()
    submission = _submit()
    provider = listing_approval.approve(submission, admin, ip_address="198.51.100.7")
    assert provider.listing_status == ListingStatus.PUBLISHED
    assert provider.name == "Harbor Light Ketamine Clinic"
    assert provider.slug == "harbor-light-ketamine-clinic"
    assert [r.value for r in provider.routes] == ["iv"]
    assert provider.locations[0].zip_code == "10001" and provider.locations[0].lat is not None
    npi = next(i for i in provider.checklist_items if i.key == "npi")
    assert npi.source == ChecklistSource.SELF_REPORTED and npi.verified_at is None
    assert submission.status == ModerationStatus.APPROVED and submission.provider_id == provider.id
    assert _actions() == ["listing_submission.approve", "provider.create"]
    assert listings.pending_count() == 0


def test_second_listing_with_the_same_name_gets_its_own_slug(make_user):
    admin = make_user()
    first = listing_approval.approve(_submit(), admin)
    second = listing_approval.approve(_submit(), admin)
    assert (first.slug, second.slug) == ("harbor-light-ketamine-clinic", "harbor-light-ketamine-clinic-2")


def test_diff_shows_what_a_correction_changes(make_provider):
    p = make_provider("Harbor Light Ketamine Clinic", phone="(212) 555-0100", price_min_usd=450,
                      price_max_usd=650, zip_code="10001", city="New York")
    submission = _submit(p, phone="(212) 555-0123")
    changed = {row.field: row for row in listing_approval.diff(submission) if row.changed}
    assert changed["phone"].current == "(212) 555-0100"
    assert changed["phone"].proposed == "(212) 555-0123"
    assert "price_min_usd" not in changed


def test_approving_a_correction_changes_only_what_changed_and_never_moves_a_verified_date(make_provider,
                                                                                          make_user):
    admin = make_user()
    p = make_provider("Harbor Light Ketamine Clinic", phone="(212) 555-0100", free_consultation=True)
    long_ago = datetime.now(UTC) - timedelta(days=300)
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.ADMIN_VERIFIED, verified_at=long_ago)
    vetting.set_check(p, "npi", "1234567893", ChecklistSource.ADMIN_VERIFIED, verified_at=long_ago)
    db.session.commit()
    submission = _submit(p, phone="(212) 555-0123", free_consultation=None)
    listing_approval.approve(submission, admin)
    db.session.expire_all()
    p = db.session.get(Provider, p.id)
    assert p.phone == "(212) 555-0123"
    checks = {i.key: i for i in p.checklist_items}
    # The NPI is unchanged: still verified, same date. The consultation answer changed: now the provider's word.
    assert checks["npi"].source == ChecklistSource.ADMIN_VERIFIED and checks["npi"].verified_at == long_ago
    assert checks["free_consultation"].value == "no"
    assert checks["free_consultation"].source == ChecklistSource.SELF_REPORTED
    assert checks["free_consultation"].verified_at is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "provider.update"))
    assert event.before["phone"] == "(212) 555-0100" and event.after["phone"] == "(212) 555-0123"


def test_an_unchanged_correction_changes_nothing(make_provider, make_user):
    admin = make_user()
    p = make_provider("Harbor Light Ketamine Clinic")
    submission = _submit(p)
    # make the payload equal to the listing as it stands
    submission.payload = {**listings.listing_fields(p), "note": "no change"}
    db.session.commit()
    before_updated = p.updated_at
    listing_approval.approve(submission, admin)
    db.session.expire_all()
    assert db.session.get(Provider, p.id).updated_at == before_updated


def test_reject_needs_a_reason_and_is_audited(make_user):
    admin = make_user()
    submission = _submit()
    with pytest.raises(listing_approval.DecisionError, match="reason"):
        listing_approval.reject(submission, admin, "  ")
    listing_approval.reject(submission, admin, "Could not confirm this practice exists.")
    assert submission.status == ModerationStatus.REJECTED
    assert submission.reason == "Could not confirm this practice exists."
    assert _actions() == ["listing_submission.reject"]
    with pytest.raises(listing_approval.DecisionError, match="already"):
        listing_approval.approve(submission, admin)


def test_a_payload_that_no_longer_passes_the_rules_cannot_be_approved(make_user):
    admin = make_user()
    submission = _submit()
    submission.payload = {**submission.payload, "zip_code": "00000"}
    db.session.commit()
    with pytest.raises(listing_approval.DecisionError, match="ZIP code"):
        listing_approval.approve(submission, admin)
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_bulk_decisions_go_one_by_one(make_user):
    admin = make_user()
    good, bad = _submit(), _submit(name="Second Clinic")
    bad.payload = {**bad.payload, "phone": "555"}
    db.session.commit()
    result = listing_approval.decide_many([good, bad], "approve", admin)
    assert result.done == [good.id]
    assert [sid for sid, _ in result.failed] == [bad.id]
    with pytest.raises(listing_approval.DecisionError, match="reason"):
        listing_approval.decide_many([bad], "reject", admin, "")
    assert listing_approval.decide_many([bad], "reject", admin, "Invalid phone").done == [bad.id]


def _decision_mail():
    from clinic_finder.models import OutboxMessage

    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == listing_approval.DECISION_KIND)
                              .order_by(OutboxMessage.id)).all()


def test_the_submitter_is_told_of_each_decision(make_user, make_provider):
    admin = make_user()
    published = listing_approval.approve(_submit(submitter_name="Dana", submitter_email="dana@example.org"), admin,
                                         profile_url=lambda pid: f"https://directory.example/providers/{pid}")
    correction = _submit(make_provider("Old Name Clinic"), submitter_email="ops@example.org")
    listing_approval.approve(correction, admin)
    refused = _submit(submitter_email="late@example.org", name="Closed Clinic")
    listing_approval.reject(refused, admin, "We could not reach the practice by phone.")
    first, second, third = _decision_mail()
    assert first.recipient == "dana@example.org"
    assert first.subject == "Your listing of Harbor Light Ketamine Clinic is published"
    assert first.body.startswith("Hello Dana,")
    assert f"https://directory.example/providers/{published.id}" in first.body
    assert second.recipient == "ops@example.org" and second.subject.startswith("Your correction to ")
    assert third.recipient == "late@example.org"
    assert third.subject == "Your submission for Closed Clinic was not published"
    assert "We could not reach the practice by phone." in third.body


def test_the_admin_queue_sends_the_decision_with_the_profile_link(client, make_user, login_as):
    login_as(make_user())
    submission = _submit(submitter_email="dana@example.org")
    response = client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "approve"})
    assert response.status_code == 302
    [mail] = _decision_mail()
    provider = db.session.scalars(sa.select(Provider)).one()
    assert f"http://localhost/providers/{provider.id}" in mail.body
