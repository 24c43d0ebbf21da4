"""The one-time confirmation link: a GET shows a button (mail scanners open links), the POST confirms once."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, OutboxMessage, Review


def _submit(client, provider, valid_review) -> str:
    assert client.post(f"/providers/{provider.id}/reviews/new", data=valid_review(provider.id)).status_code == 302
    body = db.session.scalars(sa.select(OutboxMessage.body)).one()
    return re.search(r"http://localhost(/reviews/confirm/\S+)", body).group(1)


def test_the_link_confirms_once_and_then_no_longer_works(client, make_provider, valid_review):
    provider = make_provider("Harbor Infusion Center")
    link = _submit(client, provider, valid_review)
    page = client.get(link)
    assert page.status_code == 200 and "Confirm my email address" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(sa.select(Review)).one().email_confirmed_at is None  # opening it is not enough
    done = client.post(link)
    assert done.status_code == 200 and "Your email is confirmed" in done.get_data(as_text=True)
    review = db.session.scalars(sa.select(Review)).one()
    assert review.email_confirmed_at is not None and review.confirm_token_hash is None
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404


def test_confirming_an_approved_review_makes_it_count(client, make_provider, valid_review):
    provider = make_provider()
    link = _submit(client, provider, valid_review)
    review = db.session.scalars(sa.select(Review)).one()
    review.status = ModerationStatus.APPROVED
    db.session.commit()
    assert provider.rating_count == 0
    client.post(link)
    db.session.expire_all()
    assert (provider.rating_count, provider.rating_average) == (1, 4.0)


def test_an_unknown_or_expired_link_is_refused(client, make_provider, valid_review):
    provider = make_provider()
    link = _submit(client, provider, valid_review)
    assert client.get("/reviews/confirm/not-a-real-token").status_code == 404
    assert client.get("/reviews/confirm/" + "x" * 300).status_code == 404
    review = db.session.scalars(sa.select(Review)).one()
    review.created_at = datetime.now(UTC) - timedelta(days=15)
    db.session.commit()
    assert client.post(link).status_code == 404
    db.session.expire_all()
    assert db.session.scalars(sa.select(Review)).one().email_confirmed_at is None


def test_the_email_address_never_appears_on_public_pages(client, make_provider, valid_review):
    provider = make_provider()
    link = _submit(client, provider, valid_review)
    client.post(link)
    review = db.session.scalars(sa.select(Review)).one()
    review.status = ModerationStatus.APPROVED
    db.session.commit()
    for url in (f"/providers/{provider.id}", link, f"/reviews/{review.id}/report", "/reviews/guidelines"):
        assert "sam@example.org" not in client.get(url).get_data(as_text=True)
