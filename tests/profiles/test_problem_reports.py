"""Report a problem: on every profile, into the admins' queue, nothing shown until resolved."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import problem_reports
from clinic_finder.models import AuditEvent, ProblemCategory, ProblemReport, RequestStatus, Role


def _reports():
    return db.session.scalars(sa.select(ProblemReport)).all()


def test_every_profile_links_to_the_report_form(client, make_provider):
    p = make_provider()
    assert f'href="/providers/{p.id}/report"' in client.get(f"/providers/{p.id}").get_data(as_text=True)
    html = client.get(f"/providers/{p.id}/report").get_data(as_text=True)
    for category in ProblemCategory:
        assert category.label in html


def test_a_report_goes_to_the_queue_and_changes_nothing_on_the_profile(client, make_provider):
    p = make_provider("Open Clinic", phone="(212) 555-0100")
    before = client.get(f"/providers/{p.id}").get_data(as_text=True)
    response = client.post(f"/providers/{p.id}/report", data={"category": "wrong_phone", "note": "Disconnected."})
    assert response.status_code == 302
    [report] = _reports()
    assert (report.category, report.status, report.note) == (ProblemCategory.WRONG_PHONE, RequestStatus.OPEN,
                                                             "Disconnected.")
    after = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "(212) 555-0100" in after
    assert "Disconnected." not in after and "Wrong phone" not in after
    assert before.count("555-0100") == after.count("555-0100")
    assert problem_reports.open_count() == 1


def test_other_and_license_concern_need_a_note(client, make_provider):
    p = make_provider()
    for category in ("other", "license_concern"):
        response = client.post(f"/providers/{p.id}/report", data={"category": category, "note": ""})
        assert response.status_code == 422
        assert "Please describe the problem" in response.get_data(as_text=True)
    assert _reports() == []


def test_bad_report_input_is_explained(client, make_provider):
    p = make_provider()
    html = client.post(f"/providers/{p.id}/report", data={}).get_data(as_text=True)
    assert "Please choose what is wrong" in html
    html = client.post(f"/providers/{p.id}/report", data={"category": "haunted"}).get_data(as_text=True)
    assert "Not a valid choice" in html
    response = client.post(f"/providers/{p.id}/report", data={"category": "closed", "reporter_email": "bad@"})
    assert "valid email address" in response.get_data(as_text=True)
    assert _reports() == []
    assert client.get("/providers/999/report").status_code == 404


def test_admin_resolves_or_dismisses_with_audit(client, make_provider, make_user, login_as):
    p = make_provider("Reported Clinic")
    admin = login_as(make_user())
    first = problem_reports.create_report(p, problem_reports.ReportInput("closed", None, None))
    second = problem_reports.create_report(p, problem_reports.ReportInput("wrong_address", "Moved.", None))
    html = client.get("/admin/problem-reports").get_data(as_text=True)
    assert "Reported Clinic" in html and "Provider has closed" in html and "Moved." in html

    response = client.post(f"/admin/problem-reports/{first.id}/close", data={"status": "dismissed"})
    assert response.status_code == 302
    db.session.refresh(first)
    assert first.status == RequestStatus.OPEN  # dismissing needs a note
    client.post(f"/admin/problem-reports/{first.id}/close", data={"status": "dismissed",
                                                                 "resolution_note": "Called: still open."})
    client.post(f"/admin/problem-reports/{second.id}/close", data={"status": "resolved"})
    db.session.expire_all()
    assert db.session.get(ProblemReport, first.id).status == RequestStatus.DISMISSED
    assert db.session.get(ProblemReport, second.id).status == RequestStatus.RESOLVED
    assert db.session.get(ProblemReport, second.id).resolved_by_id == admin.id
    actions = sorted(e.action for e in db.session.scalars(sa.select(AuditEvent)))
    assert actions == ["problem_report.dismissed", "problem_report.resolved"]
    assert problem_reports.open_count() == 0
    assert "No open problem reports" in client.get("/admin/problem-reports").get_data(as_text=True)
    assert "Called: still open." in client.get("/admin/problem-reports?status=dismissed").get_data(as_text=True)


def test_problem_report_admin_pages_need_an_admin(client, make_provider, make_user, login_as):
    p = make_provider()
    report = problem_reports.create_report(p, problem_reports.ReportInput("closed", None, None))
    assert client.get("/admin/problem-reports").status_code == 302  # to the sign-in page
    login_as(make_user("mod@example.org", Role.MODERATOR))
    assert client.get("/admin/problem-reports").status_code == 403
    assert client.post(f"/admin/problem-reports/{report.id}/close", data={"status": "resolved"}).status_code == 403


def test_bad_admin_queue_parameters_are_not_errors(client, make_user, login_as):
    login_as(make_user())
    assert client.get("/admin/problem-reports?status=nope").status_code == 404
    assert client.get("/admin/problem-reports?page=x").status_code == 404
    assert client.post("/admin/problem-reports/999/close", data={"status": "resolved"}).status_code == 404
