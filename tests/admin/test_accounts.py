"""Staff accounts page: listing, lifting a sign-in pause, deactivating (which ends sessions), all audited."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, User

from .test_sign_in import _sign_in


def _reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_admins_see_every_staff_account(client, signed_in_admin, moderator):
    html = client.get("/admin/accounts").get_data(as_text=True)
    assert "admin@example.org" in html and "mod@example.org" in html and "(you)" in html
    assert 'href="/admin/accounts"' in html


def test_an_admin_can_lift_a_pause(client, signed_in_admin, moderator):
    moderator.locked_until = datetime.now(UTC) + timedelta(minutes=10)
    moderator.failed_logins = 0
    db.session.commit()
    assert "Paused until" in client.get("/admin/accounts").get_data(as_text=True)
    assert client.post(f"/admin/accounts/{moderator.id}/unlock").status_code == 302
    assert _reload(moderator).locked_until is None
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.unlock")).all()
    assert event.target_id == moderator.id and event.actor_id == signed_in_admin.id
    client.post(f"/admin/accounts/{moderator.id}/unlock")  # nothing to lift: nothing written
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "user.unlock")) == 1


def test_deactivating_an_account_ends_its_sessions(app, client, signed_in_admin, moderator):
    other = app.test_client()
    assert _sign_in(other, "mod@example.org").status_code == 302
    assert other.get("/admin/").status_code == 200
    assert client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "0"}).status_code == 302
    assert _reload(moderator).active is False
    assert other.get("/admin/").status_code == 302
    assert _sign_in(other, "mod@example.org").status_code == 401
    client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "1"})
    assert _reload(moderator).active is True
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.target_id == moderator.id,
                                                                     AuditEvent.action.like("user.%activate"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["user.deactivate", "user.activate"]


def test_an_admin_cannot_deactivate_themselves(client, signed_in_admin):
    response = client.post(f"/admin/accounts/{signed_in_admin.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert "cannot deactivate or reactivate your own account" in response.get_data(as_text=True)
    assert _reload(signed_in_admin).active is True


def test_bad_requests_change_nothing(client, signed_in_admin, moderator):
    assert client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "maybe"}).status_code == 400
    assert client.post("/admin/accounts/999999/unlock").status_code == 404
    assert client.post("/admin/accounts/99999999999/active", data={"active": "0"}).status_code == 404
    assert _reload(moderator).active is True


def test_moderators_cannot_manage_accounts(client, signed_in_moderator, admin):
    assert client.get("/admin/accounts").status_code == 403
    assert client.post(f"/admin/accounts/{admin.id}/active", data={"active": "0"}).status_code == 403
    assert _reload(admin).active is True


def test_an_account_deactivated_directly_in_the_database_is_shut_out(client, signed_in_moderator):
    db.session.execute(sa.update(User).where(User.id == signed_in_moderator.id).values(active=False))
    db.session.commit()
    assert client.get("/admin/").status_code == 302
