"""Anyone can report a published review with a reason; pending or rejected reviews cannot be reported."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, ReviewReport


def test_reporting_a_published_review(client, make_provider, add_review):
    provider = make_provider()
    review = add_review(provider, 2)
    form = client.get(f"/reviews/{review.id}/report")
    assert form.status_code == 200 and "Why should a moderator look at this review?" in form.get_data(as_text=True)
    response = client.post(f"/reviews/{review.id}/report",
                           data={"reason": "personal_details", "details": "Names a <b>nurse</b>"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/providers/{provider.id}#reviews")
    stored = db.session.scalars(sa.select(ReviewReport)).one()
    assert stored.reason.startswith("It contains personal details") and stored.reason.endswith("Names a <b>nurse</b>")
    assert stored.reporter_fingerprint and "127.0.0.1" not in stored.reporter_fingerprint


def test_a_report_needs_a_reason(client, make_provider, add_review):
    review = add_review(make_provider(), 2)
    html = client.post(f"/reviews/{review.id}/report", data={"reason": "bogus"}).get_data(as_text=True)
    assert "Please choose a reason." in html
    assert db.session.scalar(sa.select(sa.func.count(ReviewReport.id))) == 0


def test_the_third_report_returns_the_review_to_the_queue(client, make_provider, add_review):
    provider = make_provider()
    review = add_review(provider, 1)
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        client.post(f"/reviews/{review.id}/report", data={"reason": "false"}, environ_base={"REMOTE_ADDR": ip})
    db.session.expire_all()
    assert review.status == ModerationStatus.PENDING and provider.rating_count == 0
    assert client.get(f"/reviews/{review.id}/report").status_code == 404


def test_unpublished_and_unknown_reviews_cannot_be_reported(client, make_provider, add_review):
    pending = add_review(make_provider(), 2, status=ModerationStatus.PENDING)
    for url in (f"/reviews/{pending.id}/report", "/reviews/999999/report", f"/reviews/{2**40}/report"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"reason": "false"}).status_code == 404
