"""Staff sign-in: the form, safe redirects, throttling per account and per IP, session fixation, sign-out."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, User
from clinic_finder.staff import accounts as staff_accounts

from .conftest import PASSWORD, csrf_token_in


def _sign_in(client, email="admin@example.org", password=PASSWORD, environ_base=None, **fields):
    return client.post("/auth/login", data={"email": email, "password": password, **fields},
                       environ_base=environ_base or {})


def _events(action):
    # Oldest first: tests read the last event as the latest.
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_the_sign_in_page_has_the_form(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html and 'autocomplete="current-password"' in html


def test_the_right_password_signs_in_and_opens_the_dashboard(client, admin):
    response = _sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    [event] = _events("user.sign_in")
    assert event.actor_id == admin.id and event.ip_address == "127.0.0.1"
    db.session.expire_all()
    assert db.session.get(User, admin.id).last_login_at is not None


def test_the_email_is_matched_whatever_its_case(client, admin):
    assert _sign_in(client, email="  ADMIN@Example.org ").status_code == 302


def test_a_wrong_password_is_refused_and_counted(client, admin):
    response = _sign_in(client, password="not the password at all")
    assert response.status_code == 401
    assert "Those details did not work" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).failed_logins == 1
    [event] = _events("user.sign_in_refused")
    assert event.target_id == admin.id and event.after["reason"] == "wrong password"


def test_an_unknown_account_gets_the_same_answer_and_writes_nothing(client, admin):
    unknown = _sign_in(client, email="nobody@example.org")
    wrong = _sign_in(client, password="not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    text = "Those details did not work"
    assert text in unknown.get_data(as_text=True) and text in wrong.get_data(as_text=True)
    assert len(_events("user.sign_in_refused")) == 1  # only the known account's failure


def test_an_unknown_account_costs_a_password_hash_like_a_known_one(admin, monkeypatch):
    checked = []
    real = staff_accounts.check_password_hash
    monkeypatch.setattr(staff_accounts, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    staff_accounts.authenticate("nobody@example.org", "whatever password")
    assert len(checked) == 1 and checked[0].startswith("scrypt:")


def test_five_failures_pause_the_account_even_for_the_right_password(client, admin):
    for _ in range(staff_accounts.MAX_FAILED_LOGINS):
        assert _sign_in(client, password="wrong password here").status_code == 401
    db.session.expire_all()
    assert db.session.get(User, admin.id).locked_until is not None
    assert _sign_in(client).status_code == 401
    assert "paused" in _events("user.sign_in_refused")[-1].after["reason"]


def test_a_paused_account_signs_in_again_once_the_pause_is_over(client, admin):
    admin.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert _sign_in(client).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, admin):
    admin.active = False
    db.session.commit()
    assert _sign_in(client).status_code == 401


def test_empty_fields_are_refused_politely(client, admin):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter your email address." in html and "Please enter your password." in html


@pytest.mark.parametrize("target", ["/admin/consultations", "/admin/?page=2"])
def test_sign_in_returns_to_the_page_asked_for(client, admin, target):
    response = _sign_in(client, next=target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "/admin/\x0a//evil.example", "admin"])
def test_sign_in_never_redirects_off_the_site(client, admin, target):
    response = _sign_in(client, next=target)
    assert response.headers["Location"] == "/admin/"


def test_an_anonymous_visit_to_an_admin_page_comes_back_after_sign_in(client, admin):
    response = client.get("/admin/consultations")
    assert response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/admin/consultations"' in html


def test_signing_in_starts_a_fresh_session(client, admin):
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    _sign_in(client)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == f"{admin.id}:{admin.session_version}"
        assert sess.permanent


def test_sign_out_is_a_post_and_ends_the_session(client, admin):
    _sign_in(client)
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert client.get("/admin/").status_code == 302
    assert len(_events("user.sign_out")) == 1


def test_a_password_change_ends_existing_sessions(client, admin):
    _sign_in(client)
    staff_accounts.change_password(admin, "a brand new long passphrase")
    assert client.get("/admin/").status_code == 302


def test_a_session_older_than_its_lifetime_is_over(other_app, admin):
    app = other_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    client = app.test_client()
    assert _sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    time.sleep(2.1)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_cookies_are_secure_httponly_and_samesite_by_default(other_app, admin):
    client = other_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True).test_client()
    cookie = _sign_in(client, environ_base={"wsgi.url_scheme": "https"}).headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_with_csrf_on_a_forged_sign_in_or_sign_out_is_refused(other_app, admin):
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    assert _sign_in(client).status_code == 400
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    assert _sign_in(client, csrf_token=token).status_code == 302
    assert client.post("/auth/logout").status_code == 400  # no token: still signed in
    assert client.get("/admin/").status_code == 200
    token = csrf_token_in(client.get("/admin/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_sign_in_attempts_are_limited_per_ip(other_app, admin):
    client = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()
    for _ in range(3):
        assert _sign_in(client, password="wrong password here").status_code == 401
    blocked = _sign_in(client)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert client.get("/auth/login").status_code == 200  # reading the form is not limited
    assert _sign_in(client, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 302


def test_a_form_replayed_after_sign_out_is_refused(other_app, admin):
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    assert _sign_in(client, csrf_token=token).status_code == 302
    admin_token = csrf_token_in(client.get("/admin/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": admin_token}).status_code == 302
    # The old session's tokens died with it: replaying the captured sign-in or sign-out changes nothing.
    assert _sign_in(client, csrf_token=token).status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": admin_token}).status_code == 400
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("email", ["admin\x00@example.org", "\x7f", "a" * 300, "admin@example.org\n"])
def test_odd_emails_are_refused_not_a_server_error(client, admin, email):
    assert _sign_in(client, email=email).status_code in (400, 401)
