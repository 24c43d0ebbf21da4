"""Review and report POSTs are rate-limited per client IP, with memory storage and with Redis (several workers
share Redis). TestConfig disables limits; these tests build an app with them on."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db, limiter
from clinic_finder.models import Review, ReviewReport

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 (any failure means "no Redis here")
        return False


@pytest.fixture(params=["memory://", pytest.param(REDIS_URL, marks=pytest.mark.redis)], ids=["memory", "redis"])
def limited_app(app, request):
    if request.param.startswith("redis") and not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    limited = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": request.param, "REVIEW_RATE_LIMIT": "2 per hour",
                          "REVIEW_REPORT_RATE_LIMIT": "1 per hour", "REVIEW_RESEND_RATE_LIMIT": "2 per hour",
                          "SESSION_COOKIE_SECURE": False,
                          # Our own keys on the shared Redis: reset() below clears only these.
                          "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": "CF_REVIEWS_TEST"}})
    with limited.app_context():
        expected = "RedisStorage" if request.param.startswith("redis") else "MemoryStorage"
        assert type(limiter.storage).__name__ == expected
        limiter.reset()
    yield limited
    # The limiter is one object shared by every app: clear it and switch it off again for the rest of the suite.
    with limited.app_context():
        limiter.reset()
    limiter.enabled = False
    limiter._storage_options.pop("key_prefix", None)  # init_app merges options into the shared limiter
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_too_many_reviews_from_one_ip_answer_a_friendly_429_and_store_nothing_more(limited_app, make_provider,
                                                                                   valid_review):
    provider = make_provider()
    client = limited_app.test_client()
    url = f"/providers/{provider.id}/reviews/new"
    assert client.post(url, data=valid_review(provider.id, email="a@example.org")).status_code == 302
    # An invalid attempt counts too: the limit is on attempts, so a script cannot probe without limit.
    assert client.post(url, data=valid_review(provider.id, text="short")).status_code == 200
    blocked = client.post(url, data=valid_review(provider.id, email="c@example.org",
                                                 text="A third review with different words about the waiting "
                                                      "room and the parking."))
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    html = blocked.get_data(as_text=True)
    assert "Please wait a little before sending again" in html and "What you just sent was not stored" in html
    assert client.get(url).status_code == 200  # reading the form is not limited
    other_ip = client.post(url, data=valid_review(provider.id, email="d@example.org",
                                                  text="From another address: the nurse was patient and the "
                                                       "recovery room comfortable."),
                           environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other_ip.status_code == 302
    with limited_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 2


def test_reports_are_limited_separately(limited_app, make_provider, add_review):
    review = add_review(make_provider(), 3)
    client = limited_app.test_client()
    assert client.post(f"/reviews/{review.id}/report", data={"reason": "false"}).status_code == 302
    assert client.post(f"/reviews/{review.id}/report", data={"reason": "offensive"}).status_code == 429
    with limited_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewReport)) == 1


def test_resending_confirmation_links_is_limited_per_ip(limited_app):
    client = limited_app.test_client()
    for _ in range(2):
        assert client.post("/reviews/confirm/resend", data={"email": "sam@example.org"}).status_code == 200
    refused = client.post("/reviews/confirm/resend", data={"email": "sam@example.org"})
    assert refused.status_code == 429
    assert client.get("/reviews/confirm/resend").status_code == 200  # reading the form is never limited
