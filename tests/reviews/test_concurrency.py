"""Identical reviews sent at the same moment store one: the duplicate check and the insert are serialised on the
provider's row (SELECT … FOR UPDATE on PostgreSQL, the write lock on SQLite)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import OutboxMessage, Review

from .conftest import post_form


def test_twenty_identical_concurrent_submissions_store_one(live_server, make_provider, valid_review):
    host, port = live_server
    provider = make_provider()
    data = valid_review(provider.id)
    start = threading.Barrier(20)

    def send(_):
        start.wait()
        return post_form(host, port, f"/providers/{provider.id}/reviews/new", data)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(send, range(20)))
    # Answers depend on timing (a copy that arrives after the first is stored is refused for its text; one that
    # passed that check before is silently not stored), and never on whether the address has reviewed before.
    # The stored rows tell the truth: one review, one confirmation link, at most one notice to the address.
    assert all(status == 302 or "nearly the same text" in body for status, body in results)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1
    kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
    assert kinds.count("review_confirmation") == 1 and kinds.count("review_repeat_notice") <= 1


def test_different_reviews_sent_together_are_all_stored_once(live_server, make_provider, valid_review):
    host, port = live_server
    provider = make_provider()
    payloads = [valid_review(provider.id, email=f"person{i}@example.org",
                             text=f"Reviewer {i}: " + " ".join(f"word{i * 7 + j}" for j in range(12)))
                for i in range(12)]
    start = threading.Barrier(len(payloads))

    def send(data):
        start.wait()
        return post_form(host, port, f"/providers/{provider.id}/reviews/new", data)[0]

    with ThreadPoolExecutor(len(payloads)) as pool:
        statuses = list(pool.map(send, payloads))
    assert statuses == [302] * len(payloads)
    db.session.expire_all()
    emails = db.session.scalars(sa.select(Review.contact_email)).all()
    assert sorted(emails) == sorted(p["email"] for p in payloads)
