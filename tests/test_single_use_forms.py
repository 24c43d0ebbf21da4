"""A rendered public form can be sent once: posting the same rendering again and again stores one thing.

CSRF is on here, as in production (the one-time nonce travels with the CSRF token)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.extensions import db
from clinic_finder.models import ConsultationRequest, ListingSubmission, OutboxMessage, Review, SpentFormToken

from .forms import form_tokens
from .guide.conftest import valid_consultation
from .profiles.conftest import valid_listing
from .reviews.conftest import GOOD_TEXT, last_month


@pytest.fixture
def production_like(app):
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    made = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "REVIEW_MIN_SECONDS": 0})
    yield made.test_client()
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _review(html: str) -> dict:
    month, year = last_month()
    form_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html).group(1)
    return {"overall_rating": "4", "experience_rating": "5", "professionalism_rating": "4",
            "customer_service_rating": "3", "safety_rating": "5", "mode": "in_clinic", "route": "iv",
            "treatment_month": month, "treatment_year": year, "text": GOOD_TEXT, "display_name": "Sam",
            "consent": "y", "website": "", "form_token": form_token, **form_tokens(html)}


def test_one_rendered_review_form_posted_25_times_stores_one_review(production_like, make_provider):
    provider = make_provider()
    url = f"/providers/{provider.id}/reviews/new"
    data = _review(production_like.get(url).get_data(as_text=True))
    answers = [production_like.post(url, data={**data, "email": f"victim{i}@example.org"}).status_code
               for i in range(25)]
    assert answers[0] == 302 and set(answers[1:]) == {400}
    assert _count(Review) == 1 and _count(OutboxMessage) == 1
    refused = production_like.post(url, data={**data, "email": "late@example.org"}).get_data(as_text=True)
    assert "already been sent once" in refused


def test_one_rendered_listing_form_posted_12_times_stores_one_submission(production_like, db):
    tokens = form_tokens(production_like.get("/listings/new").get_data(as_text=True))
    answers = [production_like.post("/listings/new", data={**valid_listing(name=f"Clinic {i}"), **tokens}).status_code
               for i in range(12)]
    assert answers.count(302) == 1
    assert _count(ListingSubmission) == 1


def test_one_rendered_consultation_form_posted_again_sends_one_request(production_like, make_provider):
    provider = make_provider(email="x@clinic.example", free_consultation=True)
    url = f"/providers/{provider.id}/consultation"
    tokens = form_tokens(production_like.get(url).get_data(as_text=True))
    for _ in range(5):
        production_like.post(url, data={**valid_consultation(), **tokens})
    assert _count(ConsultationRequest) == 1 and _count(OutboxMessage) == 1


def test_a_form_without_its_one_time_token_or_with_a_forged_one_is_refused(production_like, make_provider):
    provider = make_provider(email="x@clinic.example", free_consultation=True)
    url = f"/providers/{provider.id}/consultation"
    tokens = form_tokens(production_like.get(url).get_data(as_text=True))
    assert production_like.post(url, data={**valid_consultation(), "csrf_token": tokens["csrf_token"]}
                                ).status_code == 400
    # One letter of the signature changed, well before its last character (whose low bits base64 ignores), and
    # always to a different letter: "…xx" at the end was, once in a while, the signature itself.
    token = tokens["form_once"]
    at = len(token) - 6
    forged = {**tokens, "form_once": token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]}
    assert production_like.post(url, data={**valid_consultation(), **forged}).status_code == 400
    assert _count(ConsultationRequest) == 0


def test_a_form_with_mistakes_comes_back_with_a_fresh_token_that_works(production_like, make_provider):
    provider = make_provider(email="x@clinic.example", free_consultation=True)
    url = f"/providers/{provider.id}/consultation"
    first = form_tokens(production_like.get(url).get_data(as_text=True))
    again = production_like.post(url, data={**valid_consultation(email="not an address"), **first})
    fresh = form_tokens(again.get_data(as_text=True))
    assert fresh["form_once"] != first["form_once"]
    assert production_like.post(url, data={**valid_consultation(), **fresh}).status_code == 302
    assert _count(ConsultationRequest) == 1


def test_each_rendering_gets_its_own_token(production_like, make_provider):
    provider = make_provider()
    url = f"/providers/{provider.id}/report"
    one, two = (form_tokens(production_like.get(url).get_data(as_text=True))["form_once"] for _ in range(2))
    assert one != two
    assert production_like.post(url, data={"category": "closed", **form_tokens(
        production_like.get(url).get_data(as_text=True))}).status_code == 302
    assert _count(SpentFormToken) == 1
