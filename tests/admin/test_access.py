"""Every URL rule under /admin, walked as an anonymous visitor, a moderator and an admin.

The expected answer comes from the `required_roles` each admin view carries (admin/access.py): anonymous visitors
are sent to sign in, a role outside required_roles gets 403, a role inside is let through (whatever the page
then answers for an empty form or a dummy record, never a 403, a sign-in redirect or a 500). A rule without
required_roles fails the test: every admin route must check the role on the server.

Set ACCESS_TABLE_OUT=docs/access-table.md to write the route × role → status table.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_finder.extensions import db
from clinic_finder.licensing import evidence_files
from clinic_finder.models import (
    ConsultationRequest,
    ListingSubmission,
    ProblemReport,
    ReviewReport,
    Role,
    SubmissionKind,
)

ROLES = ("anonymous", "moderator", "admin")


@pytest.fixture
def records(app, make_provider, add_license, add_review, admin, moderator, tmp_path, monkeypatch):
    """One row of everything an admin URL can point at; ids by the URL argument names that use them."""
    from datetime import UTC, datetime

    provider = make_provider("Access Walk Clinic")
    lic = add_license(provider)
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path))
    stored = evidence_files.store(tmp_path, b"%PDF-1.4 walk", "application/pdf")
    lic.evidence_file, lic.evidence_mime = stored.name, stored.mime
    review = add_review(provider)
    db.session.add(ReviewReport(review_id=review.id, reason="walk"))
    consultation = ConsultationRequest(provider_id=provider.id, name="Walk", email="walk@example.org",
                                       consent_given_at=datetime.now(UTC))
    submission = ListingSubmission(kind=SubmissionKind.CORRECTION, provider_id=provider.id, payload={"phone": "x"})
    report = ProblemReport(provider_id=provider.id, category="other", note="walk")
    db.session.add_all([consultation, submission, report])
    db.session.commit()
    return {
        "license_id": lic.id, "request_id": consultation.id, "consultation_id": consultation.id,
        "review_id": review.id, "submission_id": submission.id, "listing_submission_id": submission.id,
        "report_id": report.id, "problem_report_id": report.id, "provider_id": provider.id,
        "clinician_id": lic.clinician_id, "user_id": admin.id,
    }


def _value(name: str, converter: str, ids: dict[str, int]):
    if name in ids:
        return ids[name]
    for key, value in ids.items():  # e.g. "id" in a rule of another feature: any seeded id will do
        if key.startswith(name) or name.startswith(key.removesuffix("_id")):
            return value
    return 1 if converter in ("IntegerConverter", "RecordIdConverter", "int") else "walk"


def admin_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")), key=lambda r: r.rule)


def _url(rule, ids) -> str:
    values = {name: _value(name, type(conv).__name__, ids) for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def _client(app, role, users, login_as):
    client = app.test_client()
    if role != "anonymous":
        login_as(users[role], client)
    return client


def walk(app, ids, users, login_as):
    """[(rule, method, url, roles, {role: status})] for every method of every /admin rule."""
    rows = []
    for rule in admin_rules(app):
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "required_roles", None)
        url = _url(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            statuses = {}
            for role in ROLES:
                client = _client(app, role, users, login_as)
                response = client.open(url, method=method, data={} if method != "GET" else None)
                statuses[role] = (response.status_code, response.headers.get("Location", ""))
            rows.append((rule, method, url, roles, statuses))
    return rows


def expected_refusal(role: str, roles) -> int | None:
    """302 (to sign in) or 403 when the role may not pass; None when it may."""
    if role == "anonymous":
        return 302
    return None if Role(role) in roles else 403


def test_every_admin_route_answers_each_role_as_its_required_roles_say(app, records, admin, moderator, login_as):
    users = {"admin": admin, "moderator": moderator}
    rows = walk(app, records, users, login_as)
    assert len(rows) >= 6  # dashboard, licenses, audit, consultations and their forms at least
    problems = []
    for rule, method, url, roles, statuses in rows:
        if roles is None:
            problems.append(f"{method} {rule.rule}: the view has no role check (use staff_required)")
            continue
        for role, (status, location) in statuses.items():
            refusal = expected_refusal(role, roles)
            if refusal == 302:
                ok = status == 302 and "/auth/login" in location
            elif refusal == 403:
                ok = status == 403
            else:
                ok = status != 403 and "/auth/login" not in location and status < 500
            if not ok:
                problems.append(f"{method} {url} as {role}: {status} {location}".strip())
    _write_table(rows)
    assert problems == []


def test_moderators_reach_the_dashboard_but_no_admin_only_page(app, records, moderator, login_as):
    client = _client(app, "moderator", {"moderator": moderator}, login_as)
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/licenses", f"/admin/licenses/{records['license_id']}", "/admin/audit",
                "/admin/consultations"):
        assert client.get(url).status_code == 403, url


def test_every_admin_form_needs_a_csrf_token(other_app, records, admin, login_as):
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_as(admin, client)
    posts = [(rule, _url(rule, records)) for rule in admin_rules(app) if "POST" in rule.methods]
    assert posts, "no admin form found"
    for rule, url in posts:
        response = client.post(url, data={})
        assert response.status_code == 400, f"POST {url} without a CSRF token answered {response.status_code}"
        assert "CSRF" in response.get_data(as_text=True)


def _write_table(rows) -> None:
    target = os.environ.get("ACCESS_TABLE_OUT")
    if not target:
        return
    lines = [
        "# Admin access table",
        "",
        "Generated by `tests/admin/test_access.py` (`ACCESS_TABLE_OUT=docs/access-table.md make test`): every URL",
        "rule under `/admin`, requested as an anonymous visitor, a moderator and an admin, with the status each got.",
        "302 → sign-in means the visitor was sent to `/auth/login`. Dummy ids point at one seeded row of each kind;",
        "forms are posted empty, so an allowed role sees the form's own refusal (400 or 422), or a redirect when a",
        "button-only form had nothing to do, rather than a change.",
        "",
        "| route | method | allowed roles | anonymous | moderator | admin |",
        "|---|---|---|---|---|---|",
    ]
    for rule, method, _url_, roles, statuses in rows:
        allowed = ", ".join(r.value for r in roles) if roles else "**none checked**"
        cells = []
        for role in ROLES:
            status, location = statuses[role]
            cells.append(f"{status} → sign-in" if status == 302 and "/auth/login" in location else str(status))
        lines.append(f"| `{rule.rule}` | {method} | {allowed} | " + " | ".join(cells) + " |")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text("\n".join(lines) + "\n")
