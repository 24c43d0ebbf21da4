"""Consultation requests are rate-limited per client IP (TestConfig disables limits; this test turns them on)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db, limiter
from clinic_finder.models import ConsultationRequest

from .conftest import valid_consultation


@pytest.fixture
def limited_app(app):
    """A second app on the same database with rate limiting on: two POSTs per hour per IP."""
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    limited = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "CONSULTATION_RATE_LIMIT": "2 per hour",
                          "SESSION_COOKIE_SECURE": False})
    limiter.reset()
    yield limited
    # The limiter is one object shared by every app: switch it off again for the rest of the suite.
    limiter.reset()
    limiter.enabled = False
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_posting_too_many_requests_from_one_ip_answers_429_and_stores_no_more(limited_app, make_provider):
    provider = make_provider(email="x@clinic.example")
    client = limited_app.test_client()
    url = f"/providers/{provider.id}/consultation"
    assert client.post(url, data=valid_consultation()).status_code == 302
    assert client.post(url, data=valid_consultation()).status_code == 302
    blocked = client.post(url, data=valid_consultation())
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    assert client.get(url).status_code == 200  # reading the form is not limited
    other_ip = client.post(url, data=valid_consultation(), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other_ip.status_code == 302
    with limited_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationRequest)) == 3
