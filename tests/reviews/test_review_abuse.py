"""Anti-abuse on the review form: honeypot, minimum time to fill the form in, duplicate detection."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, Review
from clinic_finder.reviews import submission as review_submission
from clinic_finder.reviews.abuse import FormTiming, fingerprint, honeypot_filled

from .conftest import GOOD_TEXT


def _url(provider) -> str:
    return f"/providers/{provider.id}/reviews/new"


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, make_provider, valid_review,
                                                                 nothing_stored):
    provider = make_provider()
    response = client.post(_url(provider), data=valid_review(provider.id, website="http://spam.example"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/reviews/submitted")
    nothing_stored()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, make_provider):
    html = client.get(_url(make_provider())).get_data(as_text=True)
    hidden = html.split('<div class="honeypot" aria-hidden="true">', 1)[1].split("</div>", 1)[0]
    assert 'name="website"' in hidden and 'tabindex="-1"' in hidden


def test_a_form_sent_faster_than_a_person_could_is_refused_with_a_fresh_token(app, client, make_provider,
                                                                              valid_review, nothing_stored):
    provider = make_provider()
    assert app.config["REVIEW_MIN_SECONDS"] == 5  # the production default applies in the tests too
    response = client.post(_url(provider), data=valid_review(provider.id, seconds_ago=1))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That was quick!" in html
    assert GOOD_TEXT.split(",")[0] in html  # what they wrote is kept
    nothing_stored()
    assert client.post(_url(provider), data=valid_review(provider.id, seconds_ago=6)).status_code == 302


@pytest.mark.parametrize("token", ["", "forged.token", None])
def test_a_missing_or_forged_form_token_is_refused(client, make_provider, valid_review, nothing_stored, token):
    provider = make_provider()
    data = valid_review(provider.id)
    data["form_token"] = token
    data = {k: v for k, v in data.items() if v is not None}
    html = client.post(_url(provider), data=data).get_data(as_text=True)
    assert "This form is out of date" in html
    nothing_stored()


def test_a_token_for_another_provider_or_from_yesterday_is_refused(app):
    timing = FormTiming(app.secret_key)
    now = time.time()
    assert timing.seconds_since_render(timing.token(1, now - 30), 1, now) == pytest.approx(30, abs=1)
    assert timing.seconds_since_render(timing.token(1, now - 30), 2, now) is None
    assert timing.seconds_since_render(timing.token(1, now - 2 * 86400), 1, now) is None
    assert timing.seconds_since_render(FormTiming("other key").token(1, now - 30), 1, now) is None


def test_honeypot_and_fingerprint_helpers():
    assert not honeypot_filled("") and not honeypot_filled("  ") and not honeypot_filled(None)
    assert honeypot_filled("x")
    assert fingerprint("k", "203.0.113.9") == fingerprint("k", "203.0.113.9") != fingerprint("k", "203.0.113.10")
    assert "203.0.113.9" not in fingerprint("k", "203.0.113.9")
    assert fingerprint("k", None) is None


def test_a_second_review_from_the_same_email_is_not_stored_and_the_answer_does_not_tell(
        client, make_provider, valid_review, count_rows, outbox):
    provider, other = make_provider(), make_provider()
    first = client.post(_url(provider), data=valid_review(provider.id))
    assert first.status_code == 302
    second = client.post(_url(provider), data=valid_review(
        provider.id, email="SAM@example.org",
        text="A different review entirely, about the booking team and the long wait for a first visit.",
    ))
    # A stranger who types someone's address learns nothing: the same answer as for a new review.
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert count_rows(Review) == 1
    # Only the address itself is told, by email.
    notices = [m for m in outbox() if m.kind == review_submission.REPEAT_NOTICE_KIND]
    assert [m.recipient for m in notices] == ["sam@example.org"]
    assert "already reviewed" in notices[0].body
    # The same person may review another provider.
    assert client.post(_url(other), data=valid_review(other.id)).status_code == 302
    assert count_rows(Review) == 2


def test_near_identical_text_for_the_same_provider_is_refused(client, make_provider, valid_review, count_rows):
    provider = make_provider()
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 302
    tweaked = GOOD_TEXT.upper().replace("quiet.", "quiet!!") + " "
    html = client.post(_url(provider), data=valid_review(provider.id, email="other@example.org",
                                                         text=tweaked)).get_data(as_text=True)
    assert "nearly the same text has already been received" in html
    assert count_rows(Review) == 1


def test_a_rejected_review_does_not_block_a_corrected_one(client, make_provider, valid_review, count_rows):
    provider = make_provider()
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 302
    review = db.session.scalars(sa.select(Review)).one()
    review.status = ModerationStatus.REJECTED
    db.session.commit()
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 302
    assert count_rows(Review) == 2


def test_similarity_threshold():
    base = "The staff were kind and the clinic monitored my blood pressure throughout every single session."
    assert review_submission.texts_nearly_identical(base, base.replace("kind", "kind,"))
    assert review_submission.texts_nearly_identical(base, base.replace("kind", "friendly"))  # one word changed
    assert not review_submission.texts_nearly_identical(
        base, "Booking was slow and nobody called me back after my second infusion, which was disappointing.")


def test_the_same_review_sent_again_is_refused_for_its_text_whoever_sends_it(client, make_provider, valid_review,
                                                                           count_rows, outbox):
    provider = make_provider()
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 302
    for email in ("sam@example.org", "someone.else@example.org"):  # the answer does not depend on the address
        html = client.post(_url(provider), data=valid_review(provider.id, email=email)).get_data(as_text=True)
        assert 'id="text-error"' in html and "nearly the same text" in html
        assert 'id="email-error"' not in html
    assert count_rows(Review) == 1
    assert [m.kind for m in outbox()] == [review_submission.OUTBOX_KIND]


def test_repeat_notices_to_one_address_are_at_most_one_a_day(client, make_provider, valid_review, count_rows, outbox):
    provider = make_provider()
    assert client.post(_url(provider), data=valid_review(provider.id)).status_code == 302
    for i in range(3):
        text = f"Attempt {i}: a wholly different account of the check-in desk, parking and the follow-up calls."
        assert client.post(_url(provider), data=valid_review(provider.id, text=text)).status_code == 302
    assert count_rows(Review) == 1
    assert [m.kind for m in outbox()].count(review_submission.REPEAT_NOTICE_KIND) == 1
