"""The audit trail: listed and filtered for admins, append-only in the ORM and in the database itself."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, AuditTrailIsAppendOnly, User
from clinic_finder.staff import audit


def _event(actor=None, action="license.verify", target_type="license", target_id=1, days_ago=0, **fields):
    event = audit.record(actor, action, target_type, target_id, **fields)
    event.created_at = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.commit()
    return event


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_admins_see_events_newest_first_with_before_and_after(client, signed_in_admin):
    _event(signed_in_admin, target_id=7, days_ago=2, before={"status": "unverified"}, after={"status": "verified"})
    _event(None, action="license.expire", target_id=8, after={"status": "expired"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert html.index("license.expire") < html.index("license.verify")
    assert "<del>unverified</del> → <ins>verified</ins>" in html
    assert 'href="/admin/licenses/7"' in html and "system" in html and "2 events." in html


@pytest.mark.parametrize("query, expected", [
    ("actor=Admin@Example.org", {"a1", "a2"}),
    ("actor=SYSTEM", {"s1"}),
    ("action=review.approve", {"a2"}),
    ("target_type=provider", {"s1"}),
    ("target_type=license&target_id=5", {"a1"}),
    ("date_from={old}&date_to={old}", {"a2"}),
    ("date_from={recent}", {"a1", "s1"}),
])
def test_the_list_filters_by_actor_action_record_and_date(client, signed_in_admin, query, expected):
    _event(signed_in_admin, target_id=5, ip_address="a1")
    _event(signed_in_admin, action="review.approve", target_type="review", target_id=9, days_ago=10,
           ip_address="a2")
    _event(None, action="provider.license_status", target_type="provider", target_id=3, ip_address="s1")
    today = datetime.now(UTC).date()
    url = "/admin/audit?" + query.format(old=(today - timedelta(days=10)).isoformat(),
                                         recent=(today - timedelta(days=1)).isoformat())
    html = client.get(url).get_data(as_text=True)
    shown = {label for label in ("a1", "a2", "s1") if f'<span class="meta">{label}</span>' in html}
    assert shown == expected


def test_bad_filters_are_refused_politely(client, signed_in_admin):
    _event(signed_in_admin)
    for query, message in (("date_from=yesterday", "Not a valid date value"),
                           ("date_from=2025-02-02&date_to=2025-02-01", "cannot be before the start date"),
                           ("target_id=-4", "record number from 1 to 2,147,483,647"),
                               ("target_id=99999999999", "record number from 1 to 2,147,483,647"),
                               ("target_id=%C2%B2", "as a whole number"),
                               ("date_to=9999-12-31", "between 1900 and 2199"),
                               ("date_from=0001-01-01", "between 1900 and 2199"),
                           ("action=drop.table", "Not a valid choice")):
        response = client.get("/admin/audit?" + query)
        assert response.status_code == 400 and message in response.get_data(as_text=True), query
    assert client.get("/admin/audit?page=0").status_code == 404


def test_the_list_is_paginated_keeping_the_filter(client, signed_in_admin):
    for i in range(25):
        _event(signed_in_admin, target_id=i + 1)
    first = client.get("/admin/audit?action=license.verify").get_data(as_text=True)
    assert "Page 1 of 2" in first and "/admin/audit?page=2&amp;action=license.verify" in first
    assert client.get("/admin/audit?page=3").status_code == 404


def test_an_empty_trail_says_so(client, signed_in_admin):
    assert "No audit events." in client.get("/admin/audit").get_data(as_text=True)


def test_moderators_and_visitors_cannot_read_the_trail(client, moderator, login_as):
    assert client.get("/admin/audit").status_code == 302
    login_as(moderator)
    assert client.get("/admin/audit").status_code == 403


def test_no_route_can_change_or_delete_an_event(app, client, signed_in_admin):
    event = _event(signed_in_admin)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/admin/audit").status_code == 405
        assert getattr(client, method)(f"/admin/audit/{event.id}").status_code in (404, 405)
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint == "admin.audit"]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in audit_rules] == [["GET"]]


def test_the_orm_refuses_to_change_or_delete_an_event(signed_in_admin):
    event = _event(signed_in_admin)
    event.action = "something.else"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_raw_updates_and_deletes(signed_in_admin):
    event = _event(signed_in_admin)
    for statement in (sa.update(AuditEvent).values(action="forged"), sa.delete(AuditEvent),
                      sa.update(AuditEvent).values(actor_id=None, actor_label="someone else")):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    db.session.expire_all()
    assert db.session.get(AuditEvent, event.id).action == "license.verify" and _count() == 1


def test_deleting_a_staff_account_keeps_its_events_and_who_it_was(make_user):
    user = make_user("leaver@example.org")
    event = _event(user)
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(AuditEvent, event.id)
    assert kept.actor_id is None and kept.actor_label == "leaver@example.org"


def test_the_trail_loads_in_a_fixed_number_of_queries(client, signed_in_admin, count_queries):
    _event(signed_in_admin)
    with count_queries() as few:
        client.get("/admin/audit")
    for i in range(10):
        _event(None, target_id=i)
    with count_queries() as many:
        client.get("/admin/audit")
    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["target_id=abc", "date_from=99999-01-01", "actor=%00", "actor=" + "x" * 300,
                                   "target_type=%F0%9F%92%A5", "page=1&page=2", "date_to=0001-01-01"])
def test_odd_filters_are_answered_without_a_server_error(client, signed_in_admin, query):
    _event(signed_in_admin)
    assert client.get("/admin/audit?" + query).status_code in (200, 400)
