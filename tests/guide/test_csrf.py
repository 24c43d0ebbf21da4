"""With CSRF on (as in production), every form of this feature carries a working token."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db
from clinic_finder.models import ConsultationRequest

from ..forms import form_tokens
from .conftest import valid_assessment, valid_consultation


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


def test_the_assessment_and_consultation_forms_work_with_csrf_on(csrf_client, make_provider):
    provider = make_provider(email="x@clinic.example")
    assert csrf_client.post("/assessment", data=valid_assessment()).status_code == 400  # CSRFProtect refuses
    token = _token(csrf_client.get("/assessment").get_data(as_text=True))
    html = csrf_client.post("/assessment", data={**valid_assessment(), "csrf_token": token}).get_data(as_text=True)
    assert "Your self-assessment result" in html
    keep_token = _token(html)
    answers = re.search(r'name="answers" type="hidden" value="([^"]+)"', html).group(1)
    kept = csrf_client.post("/assessment/keep", data={"csrf_token": keep_token, "answers": answers})
    assert kept.status_code == 302 and "/search?" in kept.headers["Location"]

    url = f"/providers/{provider.id}/consultation"
    assert csrf_client.post(url, data=valid_consultation()).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationRequest)) == 0
    tokens = form_tokens(csrf_client.get(url).get_data(as_text=True))
    sent = csrf_client.post(url, data={**valid_consultation(send_answers="y"), **tokens})
    assert sent.status_code == 302
    stored = db.session.scalars(sa.select(ConsultationRequest)).all()
    assert len(stored) == 1 and stored[0].assessment_answers["zip_code"] == "10001"
