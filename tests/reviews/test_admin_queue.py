"""admin.review_queue: moderators and admins only; pending and reported reviews with privacy flags; approve and
reject one by one or in bulk, each audited."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, Clinician, Credential, ModerationStatus, Review, Role
from clinic_finder.reviews import moderation as review_moderation


@pytest.fixture
def moderator(make_user, login_as):
    return login_as(make_user("mod@example.org", role=Role.MODERATOR))


def test_sign_in_is_required(client):
    response = client.get("/admin/reviews")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/admin/reviews/1/moderate", data={"approve": "Approve"}).status_code == 302


def test_the_queue_shows_pending_and_reported_reviews_with_privacy_flags(client, make_provider, add_review,
                                                                       valid_review, moderator):
    provider = make_provider("Harbor Infusion Center", commit=False)
    provider.clinicians.append(Clinician(full_name="Ana Ruiz", credential=Credential.MD))
    db.session.commit()
    text = ("Dr. Ana Ruiz was kind. Call me at 212-555-0123 or write to pat@example.org if you want to know "
            "more about the infusion.")
    assert client.post(f"/providers/{provider.id}/reviews/new",
                       data=valid_review(provider.id, text=text, display_name="Maria Lopez")).status_code == 302
    published = add_review(provider, 5, text="A published review that readers have reported as advertising.")
    review_moderation.report(published, "It is advertising or spam", "reader-1", threshold=3)
    add_review(provider, 3, text="Already published and unreported, so not in the queue at all, fine.")
    html = client.get("/admin/reviews").get_data(as_text=True)
    assert "1 awaiting moderation · 1 with open reports" in html
    assert html.index("advertising or spam") < html.index("Dr. Ana Ruiz was kind")  # reported first
    for flag in ("contains an email address", "contains a phone number", "names a staff member: Ana Ruiz",
                 "display name looks like a full name"):
        assert f"Privacy: {flag}" in html
    assert "Email not confirmed yet" in html
    assert "not in the queue at all" not in html


def test_the_queue_lists_staff_flags_and_report_reasons_in_a_stable_order(client, make_provider, add_review,
                                                                         valid_review, moderator):
    provider = make_provider("Harbor Infusion Center", commit=False)
    provider.clinicians.extend([Clinician(full_name="Ana Ruiz", credential=Credential.MD),
                                Clinician(full_name="Bo Lee", credential=Credential.RN)])
    db.session.commit()
    text = "Bo Lee started the infusion and Ana Ruiz checked on me twice; both were kind and careful throughout."
    assert client.post(f"/providers/{provider.id}/reviews/new",
                       data=valid_review(provider.id, text=text)).status_code == 302
    published = add_review(provider, 5, text="A published review that readers have reported twice, for two reasons.")
    review_moderation.report(published, "It is advertising or spam", "reader-1", threshold=3)
    review_moderation.report(published, "It names a member of staff", "reader-2", threshold=3)
    html = client.get("/admin/reviews").get_data(as_text=True)
    # The team's order (as on the profile) and the order the reports came in, whatever order rows come back in.
    assert html.index("names a staff member: Ana Ruiz") < html.index("names a staff member: Bo Lee")
    assert html.index("It is advertising or spam") < html.index("It names a member of staff")


def test_approve_and_reject_one_review_from_the_queue(client, make_provider, add_review, moderator):
    provider = make_provider()
    first = add_review(provider, 5, status=ModerationStatus.PENDING)
    second = add_review(provider, 1, status=ModerationStatus.PENDING,
                        text="A second review with quite different words about the billing department.")
    response = client.post(f"/admin/reviews/{first.id}/moderate", data={"approve": "Approve", "page": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/reviews?page=1")
    no_reason = client.post(f"/admin/reviews/{second.id}/moderate", data={"reject": "Reject", "reason": ""},
                            follow_redirects=True)
    assert "Please give a reason for rejecting the review." in no_reason.get_data(as_text=True)
    client.post(f"/admin/reviews/{second.id}/moderate", data={"reject": "Reject", "reason": "Off-topic"})
    db.session.expire_all()
    assert first.status == ModerationStatus.APPROVED
    assert second.status == ModerationStatus.REJECTED and second.moderation_reason == "Off-topic"
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["review.approve", "review.reject"]
    assert client.post("/admin/reviews/999999/moderate", data={"approve": "Approve"}).status_code == 404


def test_a_moderation_post_without_a_pressed_button_changes_nothing(client, make_provider, add_review, moderator):
    review = add_review(make_provider(), 5, status=ModerationStatus.PENDING)
    for data in ({}, {"reason": "Off-topic", "page": "1"}):
        response = client.post(f"/admin/reviews/{review.id}/moderate", data=data)
        assert response.status_code == 400
        assert "Choose Approve or Reject" in response.get_data(as_text=True)
    db.session.expire_all()
    assert review.status == ModerationStatus.PENDING
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_bulk_approve_from_the_queue(client, make_provider, add_review, moderator):
    provider = make_provider()
    reviews = [add_review(provider, 4, status=ModerationStatus.PENDING,
                          text=f"Review number {i} with enough words to be a real review of the clinic.")
               for i in range(3)]
    response = client.post("/admin/reviews/bulk", data={
        "review_ids": [str(reviews[0].id), str(reviews[2].id), "junk"], "action": "approve", "page": "1"},
        follow_redirects=True)
    assert "2 reviews approved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [r.status for r in reviews] == [ModerationStatus.APPROVED, ModerationStatus.PENDING,
                                           ModerationStatus.APPROVED]
    assert provider.rating_count == 2
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 2
    none_ticked = client.post("/admin/reviews/bulk", data={"action": "approve"}, follow_redirects=True)
    assert "Please tick at least one review." in none_ticked.get_data(as_text=True)


def test_an_empty_queue_says_so(client, moderator):
    assert "Nothing to moderate." in client.get("/admin/reviews").get_data(as_text=True)
    assert client.get("/admin/reviews?page=2").status_code == 404
    assert client.get("/admin/reviews?page=x").status_code == 404


def test_admins_may_moderate_too(client, make_user, login_as, make_provider, add_review):
    login_as(make_user("admin@example.org", role=Role.ADMIN))
    review = add_review(make_provider(), 3, status=ModerationStatus.PENDING)
    client.post(f"/admin/reviews/{review.id}/moderate", data={"approve": "Approve"})
    assert db.session.get(Review, review.id).status == ModerationStatus.APPROVED


def test_the_queue_loads_in_a_fixed_number_of_queries(client, make_provider, add_review, moderator, count_queries):
    def fill(n):
        for i in range(n):
            review = add_review(make_provider(), 1 + i % 5, status=ModerationStatus.PENDING,
                                text=f"Queue review {i} {n} with enough words to be a real review of a clinic.")
            if i % 2:
                review.status = ModerationStatus.APPROVED
                db.session.commit()
                review_moderation.report(review, "Spam", f"reader-{i}", threshold=5)

    fill(2)
    client.get("/admin/reviews")
    with count_queries() as few:
        assert client.get("/admin/reviews").status_code == 200
    fill(10)
    client.get("/admin/reviews")  # the same warm-up: tests share one session, so the user is cached alike
    with count_queries() as many:
        html = client.get("/admin/reviews").get_data(as_text=True)
    assert html.count('name="review_ids"') == 12
    assert len(few) == len(many), (few, many)
