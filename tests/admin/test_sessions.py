"""Staff sessions live on the server: a copied cookie stops working at sign-out, and an account's sessions can all
be ended (password change, deactivation, "sign out everywhere")."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, StaffSession
from clinic_finder.staff import accounts as staff_accounts

from .conftest import PASSWORD
from .test_sign_in import _sign_in

THIEF = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "another browser"}


def _copy_cookie(app, client):
    """Another browser, at another address, holding a copy of the client's session cookie."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.environ_base.update(THIEF)
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def _opens(client, path):
    response = client.get(path)
    return response.status_code == 200


def test_a_copied_cookie_stops_working_at_sign_out(app, client, admin):
    assert _sign_in(client).status_code == 302
    thief = _copy_cookie(app, client)
    assert _opens(thief, "/admin/") and _opens(thief, "/admin/accounts")  # the copy works while the session does
    assert client.post("/auth/logout").status_code == 302
    for path in ("/admin/", "/admin/accounts"):
        response = thief.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
        assert 'name="password"' in thief.get(response.headers["Location"]).get_data(as_text=True)


def test_signing_out_ends_only_this_browsers_session(app, client, admin):
    laptop, phone = app.test_client(), app.test_client()
    assert _sign_in(laptop).status_code == _sign_in(phone).status_code == 302
    laptop.post("/auth/logout")
    assert not _opens(laptop, "/admin/")
    assert _opens(phone, "/admin/")


def test_a_password_change_ends_every_session_of_the_account(app, admin):
    laptop, phone = app.test_client(), app.test_client()
    _sign_in(laptop), _sign_in(phone)
    staff_accounts.change_password(admin, "a brand new long passphrase")
    assert not _opens(laptop, "/admin/") and not _opens(phone, "/admin/")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0
    assert _sign_in(laptop, password="a brand new long passphrase").status_code == 302


def test_an_admin_can_sign_an_account_out_everywhere(app, client, signed_in_admin, moderator):
    laptop, phone = app.test_client(), app.test_client()
    _sign_in(laptop, "mod@example.org"), _sign_in(phone, "mod@example.org")
    assert _opens(laptop, "/admin/reviews")
    assert "Sign out everywhere" in client.get("/admin/accounts").get_data(as_text=True)
    assert client.post(f"/admin/accounts/{moderator.id}/sign-out").status_code == 302
    assert not _opens(laptop, "/admin/reviews") and not _opens(phone, "/admin/reviews")
    assert _opens(client, "/admin/accounts")  # the admin's own session goes on
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.sign_out_everywhere")).all()
    assert event.target_id == moderator.id and event.actor_id == signed_in_admin.id
    assert _sign_in(laptop, "mod@example.org", PASSWORD).status_code == 302  # the account itself is fine


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app, client, signed_in_admin, moderator):
    other = app.test_client()
    _sign_in(other, "mod@example.org")
    client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "0"})
    client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "1"})
    assert not _opens(other, "/admin/")


def test_a_cookie_without_a_server_session_signs_nobody_in(app, client, admin):
    _sign_in(client)
    with client.session_transaction() as sess:
        sess.pop("staff_session")
    assert not _opens(client, "/admin/")
    _sign_in(client)
    with client.session_transaction() as sess:
        sess["staff_session"] = "made-up"
    assert not _opens(client, "/admin/")


def test_signing_in_again_ends_the_browsers_previous_session(app, client, admin):
    _sign_in(client)
    thief = _copy_cookie(app, client)
    _sign_in(client)
    assert _opens(client, "/admin/") and not _opens(thief, "/admin/")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 1


def test_a_visitor_without_a_session_cookie_is_anonymous_without_flask_logins_look_up(app, client, admin,
                                                                                      monkeypatch):
    from clinic_finder.extensions import login_manager

    looked_up = []
    load = login_manager._load_user
    monkeypatch.setattr(login_manager, "_load_user", lambda: looked_up.append(1) or load())
    page = client.get("/search?q=10001")
    assert page.status_code == 200 and "Sign out" not in page.get_data(as_text=True) and looked_up == []
    assert client.get("/admin/").status_code == 302  # still asked to sign in
    # Signed in, the cookie is read as before: the staff page opens and names the account.
    assert _sign_in(client).status_code == 302
    assert "Signed in as admin@example.org" in client.get("/admin/").get_data(as_text=True) and looked_up
