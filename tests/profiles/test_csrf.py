"""With CSRF on (as in production), every form of the profiles feature carries a working token."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db
from clinic_finder.listings import submissions as listings
from clinic_finder.models import ListingSubmission, ModerationStatus, ProblemReport

from ..forms import form_tokens
from .conftest import valid_listing


@pytest.fixture
def csrf_client(app):
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    protected = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
                            "SESSION_COOKIE_SECURE": False})
    yield protected.test_client()
    with protected.app_context():
        db.session.remove()
        db.engine.dispose()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_public_forms_work_with_csrf_on(csrf_client, make_provider):
    p = make_provider()
    assert csrf_client.post("/listings/new", data=valid_listing()).status_code == 400
    tokens = form_tokens(csrf_client.get("/listings/new").get_data(as_text=True))
    assert csrf_client.post("/listings/new", data={**valid_listing(), **tokens}).status_code == 302
    assert csrf_client.post("/listings/new", data={**valid_listing(), **tokens}).status_code == 400  # sent once

    url = f"/providers/{p.id}/report"
    assert csrf_client.post(url, data={"category": "closed"}).status_code == 400
    tokens = form_tokens(csrf_client.get(url).get_data(as_text=True))
    assert csrf_client.post(url, data={"category": "closed", **tokens}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemReport)) == 1


def test_admin_decisions_work_with_csrf_on(csrf_client, make_user, login_as):
    for name in ("One Clinic", "Two Clinic", "Three Clinic"):  # a fresh form for each: each can be sent once
        tokens = form_tokens(csrf_client.get("/listings/new").get_data(as_text=True))
        csrf_client.post("/listings/new", data={**valid_listing(name=name), **tokens})
    one, two, three = db.session.scalars(sa.select(ListingSubmission).order_by(ListingSubmission.id)).all()
    login_as(make_user(), csrf_client)
    html = csrf_client.get("/admin/listings").get_data(as_text=True)
    token = _token(html)
    assert 'form="bulk-form"' in html
    assert csrf_client.post(f"/admin/listings/{one.id}/decide", data={"decision": "approve"}).status_code == 400
    assert csrf_client.post(f"/admin/listings/{one.id}/decide",
                            data={"decision": "approve", "csrf_token": token}).status_code == 302
    assert csrf_client.post("/admin/listings/bulk", data={"ids": [two.id, three.id], "decision": "reject",
                                                          "reason": "Test", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert [s.status for s in (one, two, three)] == [ModerationStatus.APPROVED, ModerationStatus.REJECTED,
                                                     ModerationStatus.REJECTED]
    assert listings.pending_count() == 0
