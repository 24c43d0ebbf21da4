"""Admins see facts verified over a year ago and confirm them again (the one thing that moves the date)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistItem, ChecklistSource, Role
from clinic_finder.vetting import checklist as vetting


def test_recheck_list_and_confirm(client, make_provider, make_user, login_as):
    p = make_provider("Stale Clinic")
    old = vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                            verified_at=datetime.now(UTC) - timedelta(days=400))
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=20))
    db.session.commit()
    assert "Due for re-check" in client.get(f"/providers/{p.id}").get_data(as_text=True)
    login_as(make_user())
    html = client.get("/admin/recheck").get_data(as_text=True)
    assert "DEA registration on file" in html
    assert "Free consultation" not in html
    assert client.post(f"/admin/recheck/checks/{old.id}/confirm").status_code == 302
    db.session.expire_all()
    assert datetime.now(UTC) - db.session.get(ChecklistItem, old.id).verified_at < timedelta(minutes=1)
    assert "Nothing is due" in client.get("/admin/recheck").get_data(as_text=True)
    assert "Due for re-check" not in client.get(f"/providers/{p.id}").get_data(as_text=True)


def test_only_verified_facts_can_be_confirmed(client, make_provider, make_user, login_as):
    p = make_provider()
    reported = vetting.set_check(p, "dea_registration", "yes", ChecklistSource.SELF_REPORTED)
    db.session.commit()
    login_as(make_user())
    assert client.post(f"/admin/recheck/checks/{reported.id}/confirm").status_code == 404
    assert client.post("/admin/recheck/checks/999/confirm").status_code == 404


def test_recheck_needs_an_admin(client, make_user, login_as):
    assert client.get("/admin/recheck").status_code == 302
    login_as(make_user("mod@example.org", Role.MODERATOR))
    assert client.get("/admin/recheck").status_code == 403
