"""Absolute links come from PUBLIC_BASE_URL, never from the Host header; unknown hosts are refused."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db
from clinic_finder.models import OutboxMessage, Review
from clinic_finder.models.enums import ModerationStatus
from tests import factories


def _pending_review(provider, email="sam@example.org"):
    review = factories.add_review(provider, status=ModerationStatus.PENDING, confirmed=False, email=email)
    review.created_at = review.confirm_sent_at = datetime.now(UTC) - timedelta(days=2)
    db.session.commit()
    return review


@pytest.fixture
def public_app(app):
    """The test database, served as https://clinics.example.org and also reachable as localhost."""

    class PublicConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PUBLIC_BASE_URL = "https://clinics.example.org"
        TRUSTED_HOSTS = ["clinics.example.org", "localhost"]

    made = create_app(PublicConfig)
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_resend_for_an_unknown_host_is_refused_and_queues_nothing(client, make_provider):
    _pending_review(make_provider())
    response = client.post("/reviews/confirm/resend", data={"email": "sam@example.org"},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)
    assert not any("evil.example" in m.body for m in db.session.scalars(sa.select(OutboxMessage)))


@pytest.mark.parametrize("path", ["/", "/api/v1/providers?near=10001", "/auth/login", "/healthz"])
def test_every_route_refuses_an_unknown_host(client, path):
    assert client.get(path, headers={"Host": "evil.example"}).status_code == 400
    assert client.get(path, headers={"Host": "localhost.evil.example"}).status_code == 400


def test_links_use_the_public_base_url_whatever_trusted_host_was_asked_for(public_app, make_provider):
    provider = make_provider()
    _pending_review(provider)
    client = public_app.test_client()
    assert client.post("/reviews/confirm/resend", data={"email": "sam@example.org"}).status_code == 200
    [message] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert re.search(r"https://clinics\.example\.org/reviews/confirm/\S+", message.body)
    assert "localhost" not in message.body
    api = client.get(f"/api/v1/providers/{provider.id}").get_json()
    assert api["url"] == f"https://clinics.example.org/providers/{provider.id}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 1


def test_trusted_hosts_default_to_the_public_host_and_the_local_names(app):
    class Deployed(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PUBLIC_BASE_URL = "https://clinics.example.org/"
        TRUSTED_HOSTS = None

    assert create_app(Deployed).config["TRUSTED_HOSTS"] == ["clinics.example.org", "127.0.0.1", "localhost"]


@pytest.mark.parametrize("url", ["clinics.example.org", "ftp://clinics.example.org", "https://"])
def test_a_public_base_url_that_is_not_one_stops_start_up(app, url):
    class Broken(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PUBLIC_BASE_URL = url

    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(Broken)
