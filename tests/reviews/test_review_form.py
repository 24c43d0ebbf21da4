"""The review form: a valid review is stored pending with its confirmation email; bad input is refused beside
the field with nothing stored."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.models import ListingStatus, ModerationStatus, OutboxMessage, Review

from .conftest import GOOD_TEXT


def _url(provider) -> str:
    return f"/providers/{provider.id}/reviews/new"


def test_the_form_shows_every_criterion_and_defaults_to_an_anonymous_display_name(client, make_provider):
    provider = make_provider("Harbor Infusion Center")
    html = client.get(_url(provider)).get_data(as_text=True)
    for label in ("Overall", "Experience and expertise", "Professionalism", "Customer service",
                  "Safety and monitoring (optional)", "Value for money (optional)", "Where were you treated?",
                  "How was the ketamine given?", "When were you treated?", "Your review", "Display name"):
        assert label in html
    assert 'value="Anonymous patient"' in html
    assert 'href="/reviews/guidelines"' in html
    assert 'name="form_token"' in html and 'name="website"' in html


def test_a_valid_review_is_stored_pending_unconfirmed_with_a_confirmation_email(client, make_provider,
                                                                               valid_review, count_rows):
    provider = make_provider("Harbor Infusion Center")
    response = client.post(_url(provider), data=valid_review(provider.id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/providers/{provider.id}/reviews/submitted")
    review = db.session.scalars(sa.select(Review)).one()
    assert review.status == ModerationStatus.PENDING and review.email_confirmed_at is None
    assert (review.overall_rating, review.experience_rating, review.professionalism_rating,
            review.customer_service_rating, review.safety_rating, review.value_rating) == (4, 5, 4, 3, 5, None)
    assert review.mode.value == "in_clinic" and review.route.value == "iv"
    assert review.treatment_month.day == 1 and review.treatment_month < datetime.now(UTC).date()
    assert review.display_name == "Sam" and review.contact_email == "sam@example.org"
    assert review.confirm_token_hash and len(review.confirm_token_hash) == 64
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.kind == "review_confirmation" and message.recipient == "sam@example.org"
    assert "Harbor Infusion Center" in message.subject
    assert "http://localhost/reviews/confirm/" in message.body
    # Pending reviews do not count.
    db.session.refresh(provider)
    assert provider.rating_count == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in page


def test_a_blank_display_name_becomes_anonymous_patient(client, make_provider, valid_review):
    provider = make_provider()
    assert client.post(_url(provider), data=valid_review(provider.id, display_name="  ")).status_code == 302
    assert db.session.scalars(sa.select(Review.display_name)).one() == "Anonymous patient"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"overall_rating": "7"}, "overall_rating", "Please choose a rating from 1 to 5."),
    ({"overall_rating": "0"}, "overall_rating", "Please choose a rating from 1 to 5."),
    ({"experience_rating": None}, "experience_rating", "Please choose a rating from 1 to 5."),
    ({"customer_service_rating": "abc"}, "customer_service_rating", "Please choose a rating from 1 to 5."),
    ({"value_rating": "6"}, "value_rating", "Please choose a rating from 1 to 5."),
    ({"mode": "hospital"}, "mode", "clinic or at home"),
    ({"route": ""}, "route", "Please choose how the ketamine was given."),
    ({"treatment_month": ""}, "treatment_month", "Please choose the month and year"),
    ({"treatment_year": "1875"}, "treatment_month", "from 2000 onwards"),
    ({"treatment_year": "9" * 40, "treatment_month": "9" * 40}, "treatment_month", "Please choose a month and year"),
    ({"text": "Too short to help anyone."}, "text", "at least 50 characters (you wrote 25)"),
    ({"text": "x" * 5001}, "text", "under 5,000 characters (it has 5,001)"),
    ({"text": GOOD_TEXT + "\x00"}, "text", "invisible control characters"),
    ({"display_name": "n" * 81}, "display_name", "under 80 characters"),
    ({"email": ""}, "email", "Please give your email address"),
    ({"email": "not-an-email"}, "email", "Please enter a valid email address"),
    ({"consent": None}, "consent", "review guidelines"),
])
def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_stored(client, make_provider, valid_review,
                                                                        nothing_stored, overrides, field, message):
    provider = make_provider()
    response = client.post(_url(provider), data=valid_review(provider.id, **overrides))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Nothing has been stored yet" in html
    nothing_stored()


@pytest.mark.parametrize("months_ahead", [1, 13])
def test_a_future_treatment_month_is_refused(client, make_provider, valid_review, nothing_stored, months_ahead):
    provider = make_provider()
    today = datetime.now(UTC).date()
    index = today.year * 12 + today.month - 1 + months_ahead
    year, month = divmod(index, 12)
    html = client.post(_url(provider), data=valid_review(provider.id, treatment_month=str(month + 1),
                                                         treatment_year=str(year))).get_data(as_text=True)
    assert "The treatment month cannot be in the future." in html
    nothing_stored()


def test_this_month_is_accepted_and_the_rule_knows_the_calendar():
    from datetime import date

    from clinic_finder.reviews import submission as rules

    assert rules.check_treatment_month(date(2026, 11, 30), today=date(2026, 11, 1)) == date(2026, 11, 1)
    with pytest.raises(InvalidInput):
        rules.check_treatment_month(date(2027, 1, 1), today=date(2026, 12, 31))


def test_html_in_any_field_is_stored_as_text_and_escaped_on_every_page(client, make_provider, valid_review,
                                                                      add_review, make_user, login_as):
    provider = make_provider()
    script = "<script>alert('x')</script>"
    data = valid_review(provider.id, text=GOOD_TEXT + " " + script, display_name="<b>Sam</b>")
    assert client.post(_url(provider), data=data).status_code == 302
    review = db.session.scalars(sa.select(Review)).one()
    assert review.text.endswith(script) and review.display_name == "<b>Sam</b>"
    # A bad field re-renders what was typed, escaped.
    html = client.post(_url(provider), data={**data, "overall_rating": "9"}).get_data(as_text=True)
    assert script not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("status", [ListingStatus.PENDING, ListingStatus.SUSPENDED, ListingStatus.CLOSED])
def test_an_unpublished_provider_cannot_be_reviewed(client, make_provider, valid_review, nothing_stored, status):
    provider = make_provider(listing_status=status)
    assert client.get(_url(provider)).status_code == 404
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 404
    nothing_stored()


@pytest.mark.parametrize("provider_id", [999999, 2**40])
def test_an_unknown_provider_is_a_404(client, valid_review, nothing_stored, provider_id):
    assert client.get(f"/providers/{provider_id}/reviews/new").status_code == 404
    assert client.post(f"/providers/{provider_id}/reviews/new", data=valid_review(1)).status_code == 404
    nothing_stored()


def test_the_guidelines_page_explains_the_confirmed_email_badge(client, db):
    html = client.get("/reviews/guidelines").get_data(as_text=True)
    assert "Review guidelines" in html and "Confirmed email" in html
    assert "we do not check that they were a patient" in html
    assert "verified patient" not in html.lower()
