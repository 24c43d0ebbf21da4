"""The admin queue of listing submissions: diff, one-by-one and bulk decisions, audit, access."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import submissions as listings
from clinic_finder.models import AuditEvent, ListingSubmission, ModerationStatus, Provider, Role

from .conftest import valid_listing


def _submit(client, path="/listings/new", **overrides):
    assert client.post(path, data=valid_listing(**overrides)).status_code == 302
    return db.session.scalars(sa.select(ListingSubmission).order_by(ListingSubmission.id.desc())).first()


def test_queue_shows_pending_submissions_with_the_diff(client, make_provider, make_user, login_as):
    p = make_provider("Harbor Light Ketamine Clinic", phone="(212) 555-0100")
    correction = _submit(client, f"/providers/{p.id}/correction", note="New number")
    new = _submit(client, name="Brand New Clinic")
    login_as(make_user())
    html = client.get("/admin/listings").get_data(as_text=True)
    assert f"#{correction.id} · Correction" in html and f"#{new.id} · New listing" in html
    assert "<del>(212) 555-0100</del>" in html
    assert "(212) 555-0123" in html
    assert "New number" in html
    assert "Brand New Clinic" in html


def test_approve_one_publishes_it(client, make_user, login_as):
    submission = _submit(client)
    login_as(make_user())
    response = client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "approve"})
    assert response.status_code == 302
    provider = db.session.scalar(sa.select(Provider))
    assert provider.name == "Harbor Light Ketamine Clinic"
    assert client.get(f"/providers/{provider.id}").status_code == 200
    assert "approved" in client.get("/admin/listings").get_data(as_text=True)


def test_reject_one_needs_a_reason(client, make_user, login_as):
    submission = _submit(client)
    login_as(make_user())
    client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "reject", "reason": ""})
    db.session.refresh(submission)
    assert submission.status == ModerationStatus.PENDING
    client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "reject", "reason": "Duplicate."})
    db.session.refresh(submission)
    assert (submission.status, submission.reason) == (ModerationStatus.REJECTED, "Duplicate.")
    assert "Duplicate." in client.get("/admin/listings?status=rejected").get_data(as_text=True)


def test_bulk_approve_and_reject(client, make_user, login_as):
    a, b, c = (_submit(client, name=f"Clinic {n}") for n in "ABC")
    login_as(make_user())
    response = client.post("/admin/listings/bulk", data={"ids": [a.id, b.id], "decision": "approve"})
    assert response.status_code == 302
    assert listings.pending_count() == 1
    client.post("/admin/listings/bulk", data={"ids": [c.id], "decision": "reject"})  # no reason: refused
    assert listings.pending_count() == 1
    client.post("/admin/listings/bulk", data={"ids": [c.id, a.id], "decision": "reject", "reason": "Spam"})
    db.session.expire_all()
    assert db.session.get(ListingSubmission, c.id).status == ModerationStatus.REJECTED
    assert db.session.get(ListingSubmission, a.id).status == ModerationStatus.APPROVED  # already decided
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("listing_submission.approve") == 2
    assert actions.count("listing_submission.reject") == 1


def test_bad_decisions_are_400_or_404_not_500(client, make_user, login_as):
    submission = _submit(client)
    login_as(make_user())
    assert client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "delete"}).status_code == 400
    assert client.post("/admin/listings/999/decide", data={"decision": "approve"}).status_code == 404
    # Ticked boxes that name no submission are skipped, as in the review queue: none left is "please tick one".
    for ids in (["x"], ["9" * 400], ["99999999999"]):
        answer = client.post("/admin/listings/bulk", data={"ids": ids, "decision": "approve"}, follow_redirects=True)
        assert answer.status_code == 200 and "Please tick at least one submission" in answer.get_data(as_text=True)
    assert listings.pending_count() == 1
    assert client.get("/admin/listings?status=unknown").status_code == 404
    assert client.get("/admin/listings?page=0").status_code == 404


def test_listing_queue_needs_an_admin(client, make_user, login_as):
    submission = _submit(client)
    assert client.get("/admin/listings").status_code == 302
    login_as(make_user("mod@example.org", Role.MODERATOR))
    assert client.get("/admin/listings").status_code == 403
    assert client.post(f"/admin/listings/{submission.id}/decide", data={"decision": "approve"}).status_code == 403
    assert client.post("/admin/listings/bulk", data={"ids": [submission.id], "decision": "approve"}).status_code \
        == 403


def test_queue_query_count_does_not_grow_with_submissions(client, make_provider, make_user, login_as,
                                                          count_queries):
    login_as(make_user())
    for i in range(2):
        _submit(client, f"/providers/{make_provider().id}/correction", note="Fix")
    with count_queries() as few:
        assert client.get("/admin/listings").status_code == 200
    for i in range(10):
        _submit(client, f"/providers/{make_provider().id}/correction", note="Fix")
    with count_queries() as many:
        assert client.get("/admin/listings").status_code == 200
    assert len(few) == len(many)
