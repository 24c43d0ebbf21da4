"""admin.consultations: admins only, newest first, paginated; status changes are audited."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, ConsultationRequest, RequestStatus, Role


def _request(provider, name="Jordan Example", minutes_ago=0, **fields):
    item = ConsultationRequest(
        provider_id=provider.id, name=name, email=fields.pop("email", "jordan@example.org"),
        phone=fields.pop("phone", None), preferred_contact_time="any",
        consent_given_at=datetime.now(UTC), created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/consultations")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_moderators_may_not_see_consultation_requests(client, make_user, login):
    login(make_user("mod@example.org", role=Role.MODERATOR))
    assert client.get("/admin/consultations").status_code == 403


def test_admins_see_requests_newest_first_with_contact_details(client, make_user, login, make_provider):
    provider = make_provider("Harbor Infusion Center")
    _request(provider, "Older Request", minutes_ago=60)
    _request(provider, "Newer Request", minutes_ago=1, phone="+12125550123")
    login(make_user())
    html = client.get("/admin/consultations").get_data(as_text=True)
    assert html.index("Newer Request") < html.index("Older Request")
    assert "Harbor Infusion Center" in html and "(212) 555-0123" in html
    assert "2 requests, newest first" in html
    assert 'href="/admin/consultations"' in html  # in the admin menu


def test_the_list_is_paginated(client, make_user, login, make_provider):
    provider = make_provider()
    for i in range(23):
        _request(provider, f"Person {i:02d}", minutes_ago=i)
    login(make_user())
    first = client.get("/admin/consultations").get_data(as_text=True)
    second = client.get("/admin/consultations?page=2").get_data(as_text=True)
    assert "Person 00" in first and "Person 19" in first and "Person 20" not in first
    assert "Person 20" in second and "Person 22" in second and "Person 00" not in second
    assert client.get("/admin/consultations?page=3").status_code == 404
    assert client.get("/admin/consultations?page=zero").status_code == 404


def test_the_list_loads_in_a_fixed_number_of_queries(client, make_user, login, make_provider, count_queries):
    login(make_user())
    for i in range(3):
        _request(make_provider(), f"P{i}")
    with count_queries() as few:
        client.get("/admin/consultations")
    for i in range(12):
        _request(make_provider(), f"Q{i}")
    with count_queries() as many:
        client.get("/admin/consultations")
    assert len(many) == len(few)


def test_stored_text_is_escaped_in_the_admin_list(client, make_user, login, make_provider):
    _request(make_provider(), name="<script>alert(1)</script>", message="<b>bold</b>")
    login(make_user())
    html = client.get("/admin/consultations").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


def test_shared_assessment_answers_are_shown_to_admins(client, make_user, login, make_provider):
    from .test_assessment import make_answers

    _request(make_provider(), assessment_answers=make_answers(history=["psychosis"]).to_dict())
    login(make_user())
    html = client.get("/admin/consultations").get_data(as_text=True)
    assert "Self-assessment answers (sent by the patient)" in html
    assert "Psychosis or hallucinations, now or in the past" in html


def test_changing_a_status_is_written_to_the_audit_trail(client, make_user, login, make_provider):
    item = _request(make_provider())
    admin = login(make_user())
    response = client.post(f"/admin/consultations/{item.id}/status", data={"status": "resolved", "page": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status == RequestStatus.RESOLVED
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.target_type, event.target_id) == ("consultation_request.status",
                                                                  "consultation_request", item.id)
    assert event.actor_id == admin.id
    assert event.before == {"status": "open"} and event.after == {"status": "resolved"}


def test_saving_the_same_status_writes_nothing(client, make_user, login, make_provider):
    item = _request(make_provider())
    login(make_user())
    client.post(f"/admin/consultations/{item.id}/status", data={"status": "open"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_an_unknown_status_or_request_is_refused(client, make_user, login, make_provider):
    item = _request(make_provider())
    login(make_user())
    assert client.post(f"/admin/consultations/{item.id}/status", data={"status": "deleted"}).status_code == 400
    assert client.post("/admin/consultations/999999/status", data={"status": "resolved"}).status_code == 404
    assert client.post("/admin/consultations/99999999999999/status", data={"status": "resolved"}).status_code == 404
    assert client.get("/admin/consultations?status=nonsense").status_code == 404
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status == RequestStatus.OPEN


def test_the_list_filters_by_status(client, make_user, login, make_provider):
    provider = make_provider()
    _request(provider, "Still Open")
    _request(provider, "Done Already", status=RequestStatus.RESOLVED)
    login(make_user())
    html = client.get("/admin/consultations?status=resolved").get_data(as_text=True)
    assert "Done Already" in html and "Still Open" not in html


def test_moderators_may_not_change_a_status(client, make_user, login, make_provider):
    item = _request(make_provider())
    login(make_user("mod@example.org", role=Role.MODERATOR))
    assert client.post(f"/admin/consultations/{item.id}/status", data={"status": "resolved"}).status_code == 403
