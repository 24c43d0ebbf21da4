"""With CSRF on (as in production), the review, confirmation, report and moderation forms carry working tokens."""
from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, Review, Role

from ..forms import form_tokens


@pytest.fixture
def csrf_app(app):
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    protected = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
                            "SESSION_COOKIE_SECURE": False, "REVIEW_MIN_SECONDS": 0})
    yield protected
    with protected.app_context():
        db.session.remove()
        db.engine.dispose()


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def test_review_and_moderation_forms_work_with_csrf_on(csrf_app, make_provider, valid_review, make_user, login_as):
    provider = make_provider()
    client = csrf_app.test_client()
    url = f"/providers/{provider.id}/reviews/new"
    assert client.post(url, data=valid_review(provider.id)).status_code == 400
    html = client.get(url).get_data(as_text=True)
    data = {**valid_review(provider.id), **form_tokens(html), "form_token": _hidden(html, "form_token")}
    time.sleep(0.01)
    assert client.post(url, data=data).status_code == 302
    review = db.session.scalars(sa.select(Review)).one()

    login_as(make_user("mod@example.org", role=Role.MODERATOR), client)
    queue = client.get("/admin/reviews").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', queue).group(1)
    assert client.post(f"/admin/reviews/{review.id}/moderate", data={"approve": "Approve"}).status_code == 400
    done = client.post(f"/admin/reviews/{review.id}/moderate", data={"approve": "Approve", "csrf_token": token})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Review, review.id).status == ModerationStatus.APPROVED
