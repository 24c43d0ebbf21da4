"""Listing submissions and problem reports are rate-limited per client IP (limits are off in TestConfig)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db, limiter
from clinic_finder.models import ListingSubmission, ProblemReport

from .conftest import valid_listing


@pytest.fixture
def limited_app(app):
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    limited = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "LISTING_SUBMISSION_RATE_LIMIT": "2 per hour",
                          "PROBLEM_REPORT_RATE_LIMIT": "2 per hour", "SESSION_COOKIE_SECURE": False})
    limiter.reset()
    yield limited
    limiter.reset()
    limiter.enabled = False  # the limiter is shared by every app: off again for the rest of the suite
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_listing_submissions_are_limited(limited_app):
    client = limited_app.test_client()
    assert client.post("/listings/new", data=valid_listing()).status_code == 302
    assert client.post("/listings/new", data=valid_listing()).status_code == 302
    blocked = client.post("/listings/new", data=valid_listing())
    assert blocked.status_code == 429
    assert client.get("/listings/new").status_code == 200
    assert _count(limited_app, ListingSubmission) == 2


def test_problem_reports_are_limited(limited_app, make_provider):
    p = make_provider()
    client = limited_app.test_client()
    url = f"/providers/{p.id}/report"
    for _ in range(2):
        assert client.post(url, data={"category": "closed"}).status_code == 302
    assert client.post(url, data={"category": "closed"}).status_code == 429
    other = client.post(url, data={"category": "closed"}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 302
    assert _count(limited_app, ProblemReport) == 3
