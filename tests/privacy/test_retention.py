"""Contact details are deleted a set time after they have served their purpose; nothing else is."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ConsultationRequest, ModerationStatus, RequestStatus, Review
from clinic_finder.privacy import retention
from clinic_finder.reviews import submission as review_submission

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=91)
LATELY = NOW - timedelta(days=30)


def _decided(review: Review, when: datetime, status=ModerationStatus.APPROVED) -> Review:
    review.status, review.moderated_at = status, when
    db.session.commit()
    return review


def _request(provider, status=RequestStatus.RESOLVED, handled_at=LONG_AGO) -> ConsultationRequest:
    request = ConsultationRequest(provider_id=provider.id, name="Pat Doe", email="pat@example.org",
                                  phone="+12127364100", message="Please call after 5 pm.", status=status,
                                  preferred_contact_time="any", consent_given_at=LONG_AGO, created_at=LONG_AGO,
                                  handled_at=handled_at if status != RequestStatus.OPEN else None,
                                  assessment_answers={"zip_code": "10001"})
    db.session.add(request)
    db.session.commit()
    return request


def test_a_reviewer_address_is_deleted_after_the_decision_and_only_then(app, make_provider, add_review):
    provider = make_provider()
    old = _decided(add_review(provider, email="old@example.org"), LONG_AGO)
    recent = _decided(add_review(provider, email="recent@example.org"), LATELY)
    rejected = _decided(add_review(provider, email="gone@example.org"), LONG_AGO, ModerationStatus.REJECTED)
    pending = add_review(provider, email="waiting@example.org", status=ModerationStatus.PENDING)
    with app.test_request_context():
        report = retention.purge(NOW)
        assert (report.review_addresses, report.consultation_requests) == (2, 0)
        db.session.expire_all()
        assert old.contact_email is None and rejected.contact_email is None
        assert old.contact_email_hash == retention.email_fingerprint("old@example.org")
        assert "old@example.org" not in old.contact_email_hash
        assert (recent.contact_email, pending.contact_email) == ("recent@example.org", "waiting@example.org")
        assert old.text and old.status == ModerationStatus.APPROVED  # the review itself stays
        assert retention.purge(NOW).review_addresses == 0  # safe to run again from cron


def test_a_deleted_address_still_cannot_review_the_provider_twice(app, make_provider, add_review):
    provider = make_provider()
    _decided(add_review(provider, email="Sam@Example.org".lower()), LONG_AGO)
    with app.test_request_context():
        retention.purge(NOW)
        assert review_submission._reviewed_already(provider.id, "sam@example.org")
        assert not review_submission._reviewed_already(provider.id, "someone@example.org")


def test_handled_consultation_requests_lose_their_contact_details_open_ones_do_not(app, make_provider):
    provider = make_provider()
    handled = _request(provider)
    still_open = _request(provider, RequestStatus.OPEN)
    lately = _request(provider, RequestStatus.DISMISSED, handled_at=LATELY)
    with app.test_request_context():
        assert retention.purge(NOW).consultation_requests == 1
    db.session.expire_all()
    assert (handled.email, handled.phone, handled.message, handled.assessment_answers) == (None, None, None, None)
    assert handled.name == retention.REMOVED_NAME and handled.purged_at is not None
    assert handled.status == RequestStatus.RESOLVED  # what happened stays; who asked does not
    for kept in (still_open, lately):
        assert (kept.name, kept.email, kept.phone) == ("Pat Doe", "pat@example.org", "+12127364100")


def test_the_command_reports_and_a_dry_run_changes_nothing(runner, make_provider, add_review):
    provider = make_provider()
    _decided(add_review(provider, email="old@example.org"), datetime.now(UTC) - timedelta(days=400))
    _request(provider, handled_at=datetime.now(UTC) - timedelta(days=400))
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "would delete 1 reviewer email address(es)" in dry.output
    assert db.session.scalar(sa.select(sa.func.count()).where(Review.contact_email.is_(None))) == 0
    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0 and "deleted 1 reviewer email address(es)" in done.output
    assert "1 handled consultation request(s)" in done.output
    again = runner.invoke(args=["privacy", "purge"])
    assert "deleted 0 reviewer email address(es)" in again.output


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, app):
    html = client.get("/privacy").get_data(as_text=True)
    assert f"{app.config['REVIEW_CONTACT_RETENTION_DAYS']} days after" in html
    assert f"{app.config['CONSULTATION_RETENTION_DAYS']} days after" in html
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)


def test_the_forms_say_how_long_contact_details_are_kept(client, make_provider):
    provider = make_provider(free_consultation=True)
    for url in (f"/providers/{provider.id}/reviews/new", f"/providers/{provider.id}/consultation"):
        assert "days after" in client.get(url).get_data(as_text=True), url
