"""An admin edits a listing directly: same rules as the public form, audited, unchanged saves write nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import submissions as listings
from clinic_finder.models import AuditEvent, ChecklistSource, ListingStatus, Provider, Role
from clinic_finder.vetting import checklist as vetting


def _form(provider, **overrides):
    data = {k: v for k, v in listings.listing_fields(provider).items() if v not in (None, False)}
    data = {k: ("y" if v is True else v) for k, v in data.items()}
    data["listing_status"] = provider.listing_status.value
    data.update(overrides)
    return data


def test_edit_form_is_prefilled_and_saves_only_real_changes(client, make_provider, make_user, login_as):
    admin = login_as(make_user())
    p = make_provider("Edit Me Clinic", phone="(212) 555-0100", zip_code="10001")
    when = datetime.now(UTC) - timedelta(days=100)
    vetting.set_check(p, "npi", "1234567893", ChecklistSource.ADMIN_VERIFIED, verified_at=when)
    db.session.commit()
    html = client.get(f"/admin/providers/{p.id}/edit").get_data(as_text=True)
    assert 'value="Edit Me Clinic"' in html and 'value="1234567893"' in html

    response = client.post(f"/admin/providers/{p.id}/edit", data=_form(p), follow_redirects=True)
    assert "Nothing changed, so nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0

    response = client.post(f"/admin/providers/{p.id}/edit", data=_form(p, phone="212 555 0123",
                                                                       listing_status="suspended"))
    assert response.status_code == 302
    db.session.expire_all()
    p = db.session.get(Provider, p.id)
    assert p.phone == "(212) 555-0123" and p.listing_status == ListingStatus.SUSPENDED
    npi = next(i for i in p.checklist_items if i.key == "npi")
    assert npi.verified_at == when  # an edit is not a verification, and the NPI did not change
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.actor_id) == ("provider.edit", admin.id)
    assert event.before == {"phone": "(212) 555-0100", "listing_status": "published"}
    assert event.after == {"phone": "(212) 555-0123", "listing_status": "suspended"}
    assert client.get(f"/providers/{p.id}").status_code == 404  # suspended listings are not public


def test_edit_uses_the_listing_rules(client, make_provider, make_user, login_as):
    login_as(make_user())
    p = make_provider("Edit Me Clinic")
    response = client.post(f"/admin/providers/{p.id}/edit", data=_form(p, zip_code="00000", price_min_usd="900",
                                                                       price_max_usd="100"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "could not find the ZIP code 00000" in html and "below the lowest" in html


def test_edit_needs_an_admin_and_a_real_provider(client, make_provider, make_user, login_as):
    p = make_provider()
    assert client.get(f"/admin/providers/{p.id}/edit").status_code == 302
    login_as(make_user("mod@example.org", Role.MODERATOR))
    assert client.get(f"/admin/providers/{p.id}/edit").status_code == 403
    login_as(make_user("admin2@example.org"))
    assert client.get("/admin/providers/999/edit").status_code == 404
    assert client.get("/admin/providers/99999999999/edit").status_code == 404
