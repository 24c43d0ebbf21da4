"""A database outage is a calm 503 with Retry-After, /healthz names what is down and nothing else, pages with
personal data are never cached, and HSTS is sent whenever the request came over HTTPS."""
from __future__ import annotations

import pytest

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db

from ..forms import form_tokens

UNREACHABLE = "postgresql://nobody@127.0.0.1:9/nowhere?connect_timeout=2"  # port 9: discard, nothing listens


@pytest.fixture
def outage_app(app):
    class Outage(TestConfig):
        SQLALCHEMY_DATABASE_URI = UNREACHABLE

    made = create_app(Outage)
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/providers", "/providers/1", "/search?q=10001"])
def test_pages_answer_a_calm_503_during_a_database_outage(outage_app, path):
    response = outage_app.test_client().get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert "temporarily unavailable" in html and "not medical advice" in html
    assert "OperationalError" not in html and "psycopg" not in html and "9/nowhere" not in html


def test_the_api_answers_a_json_503_during_a_database_outage(outage_app):
    response = outage_app.test_client().get("/api/v1/providers/1")
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert response.get_json()["error"]["code"] == "temporarily_unavailable"


def test_a_signed_in_admin_gets_the_calm_page_too(outage_app):
    client = outage_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["staff_session"] = "1:1", "token"
        sess.permanent = True
    response = client.get("/admin/")
    assert response.status_code == 503 and "temporarily unavailable" in response.get_data(as_text=True)


def test_healthz_names_what_is_down_without_internals(outage_app):
    response = outage_app.test_client().get("/healthz")
    assert response.status_code == 503 and "Retry-After" in response.headers
    body = response.get_json()
    assert body["database"] == "unavailable" and body["down"] == ["database"]
    assert body["rate_limit_store"] == "disabled"  # the tests switch rate limits off
    text = response.get_data(as_text=True)
    assert "Error" not in text and "psycopg" not in text and "127.0.0.1" not in text


def test_healthz_names_an_unreachable_rate_limit_store(app, db):
    from clinic_finder.extensions import limiter

    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    made = create_app({**config, "TESTING": True, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"})  # nothing listens on port 9
    try:
        response = made.test_client().get("/healthz")
    finally:
        limiter.enabled = False  # the limiter is shared by every app of the test session
        with made.app_context():
            db.session.remove()
            db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "down": ["rate_limit_store"], "database": "ok",
                                   "rate_limit_store": "unavailable"}


@pytest.mark.parametrize("path", ["/admin/consultations", "/admin/", "/admin/accounts"])
def test_staff_pages_are_never_cached(client, signed_in_admin, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_sign_in_and_its_redirects_are_never_cached(client):
    assert client.get("/admin/consultations").headers["Cache-Control"] == "no-store"
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"


def test_a_public_form_with_a_csrf_token_is_never_cached_but_a_plain_page_may_be(other_app, make_provider):
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    provider = make_provider(free_consultation=True)
    form = client.get(f"/providers/{provider.id}/consultation")
    assert form_tokens(form.get_data(as_text=True))["csrf_token"]
    assert form.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/guide").headers.get("Cache-Control", "")


def test_hsts_whenever_the_request_came_over_https(client, other_app):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age=" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    proxied = other_app(TRUSTED_PROXY_COUNT=1).test_client()
    response = proxied.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"})
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in proxied.get("/").headers
