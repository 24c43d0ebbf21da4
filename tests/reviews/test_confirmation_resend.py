"""A new confirmation link on request: it replaces the old one and gets its own two weeks, the page never tells
whether an address wrote a review, and the form cannot flood an inbox."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, OutboxMessage, Review

SAME_ANSWER = "If a review written with"


def _submit(client, provider, valid_review, **changes) -> str:
    data = dict(valid_review(provider.id), **changes)
    assert client.post(f"/providers/{provider.id}/reviews/new", data=data).status_code == 302
    body = db.session.scalars(sa.select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/reviews/confirm/\S+)", body).group(1)


def _age(days: float) -> None:
    for review in db.session.scalars(sa.select(Review)):
        review.created_at = datetime.now(UTC) - timedelta(days=days)
    db.session.commit()


def _links() -> list[str]:
    bodies = db.session.scalars(sa.select(OutboxMessage.body).order_by(OutboxMessage.id)).all()
    return [re.search(r"http://localhost(/reviews/confirm/\S+)", b).group(1) for b in bodies]


def test_an_expired_link_can_be_replaced_and_the_new_one_works(client, make_provider, valid_review):
    provider = make_provider("Harbor Infusion Center")
    old = _submit(client, provider, valid_review)
    _age(20)
    expired = client.get(old)
    assert expired.status_code == 404 and "/reviews/confirm/resend" in expired.get_data(as_text=True)
    sent = client.post("/reviews/confirm/resend", data={"email": "  Sam@Example.org "})
    assert sent.status_code == 200 and SAME_ANSWER in sent.get_data(as_text=True)
    links = _links()
    assert len(links) == 2 and links[1] != old
    message = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == "sam@example.org" and "Harbor Infusion Center" in message.subject
    assert client.post(old).status_code == 404  # the old link is spent
    assert client.post(links[1]).status_code == 200
    db.session.expire_all()
    assert db.session.scalars(sa.select(Review)).one().email_confirmed_at is not None


def test_the_answer_is_the_same_for_an_address_that_wrote_nothing(client, make_provider, valid_review):
    provider = make_provider()
    _submit(client, provider, valid_review)
    _age(1)
    known = client.post("/reviews/confirm/resend", data={"email": "sam@example.org"}).get_data(as_text=True)
    unknown = client.post("/reviews/confirm/resend", data={"email": "nobody@example.org"}).get_data(as_text=True)
    assert SAME_ANSWER in known and SAME_ANSWER in unknown
    assert known.replace("sam@example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert len(_links()) == 2  # only the address that wrote a review got mail


def test_confirmed_rejected_and_fresh_reviews_get_no_new_link(client, make_provider, valid_review):
    confirmed, rejected, fresh = make_provider("A"), make_provider("B"), make_provider("C")
    client.post(_submit(client, confirmed, valid_review))
    _submit(client, rejected, valid_review)
    db.session.scalars(sa.select(Review).where(Review.provider_id == rejected.id)).one().status = \
        ModerationStatus.REJECTED
    db.session.commit()
    _age(1)
    _submit(client, fresh, valid_review)  # sent a moment ago: not sent again within ten minutes
    before = len(_links())
    client.post("/reviews/confirm/resend", data={"email": "sam@example.org"})
    assert len(_links()) == before
    # A second request at once sends nothing more either.
    _age(1)
    client.post("/reviews/confirm/resend", data={"email": "sam@example.org"})
    client.post("/reviews/confirm/resend", data={"email": "sam@example.org"})
    assert len(_links()) == before + 1


def test_a_bad_address_is_explained_beside_the_field(client):
    for value, message in (("", "Please give your email address"), ("not-an-address", "valid email address")):
        response = client.post("/reviews/confirm/resend", data={"email": value})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert 'aria-invalid="true"' in response.get_data(as_text=True) or "has-error" in response.get_data(
            as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_the_submitted_page_links_to_a_resend(client, make_provider, valid_review):
    provider = make_provider()
    _submit(client, provider, valid_review)
    page = client.get(f"/providers/{provider.id}/reviews/submitted").get_data(as_text=True)
    assert 'href="/reviews/confirm/resend"' in page
