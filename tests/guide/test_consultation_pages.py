"""/providers/<id>/consultation: a request stored with its outbox message, or nothing at all."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.guide import assessment, consultations
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.models import ConsultationRequest, ListingStatus, OutboxMessage, RequestStatus

from .conftest import valid_consultation
from .test_assessment import make_answers


def _requests():
    db.session.expire_all()
    return db.session.scalars(sa.select(ConsultationRequest)).all()


def _outbox():
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage)).all()


def test_the_form_shows_the_provider_and_the_emergency_numbers(client, make_provider):
    provider = make_provider("Harbor Infusion Center", free_consultation=True)
    html = client.get(f"/providers/{provider.id}/consultation").get_data(as_text=True)
    assert "Request a free consultation" in html and "Harbor Infusion Center" in html
    assert "not a medical service" in html
    assert 'href="tel:911"' in html and 'href="tel:988"' in html
    for name in ("name", "email", "phone", "preferred_contact_time", "message", "consent"):
        assert f'name="{name}"' in html
    assert 'name="send_answers"' not in html  # no answers kept, so nothing to offer


def test_unknown_or_unpublished_providers_are_not_found(client, make_provider, nothing_stored):
    pending = make_provider(listing_status=ListingStatus.PENDING, email="pending@example.org")
    for provider_id in (pending.id, 999999, 99999999999999):
        assert client.get(f"/providers/{provider_id}/consultation").status_code == 404
        assert client.post(f"/providers/{provider_id}/consultation", data=valid_consultation()).status_code == 404
    nothing_stored()


def test_a_valid_request_is_stored_and_queued_for_the_provider(client, make_provider):
    provider = make_provider("Harbor Infusion Center", email="intake@harbor.example")
    response = client.post(f"/providers/{provider.id}/consultation", data=valid_consultation())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/providers/{provider.id}/consultation/sent")
    [request] = _requests()
    assert request.provider_id == provider.id
    assert request.name == "Jordan Example"
    assert request.email == "jordan@example.org"
    assert request.phone == "+12125550123"
    assert request.preferred_contact_time == "evening"
    assert request.status == RequestStatus.OPEN
    assert request.consent_given_at.tzinfo is not None
    assert request.assessment_answers is None
    [message] = _outbox()
    assert message.kind == "consultation_request"
    assert message.recipient == "intake@harbor.example"
    assert message.subject == f"New free-consultation request #{request.id} via clinic_finder"
    assert "Name: Jordan Example" in message.body and "jordan@example.org" in message.body
    assert "(212) 555-0123" in message.body and "Evenings" in message.body
    assert "what a first session involves" in message.body
    assert message.sent_at is None and message.attempts == 0


def test_a_provider_without_email_gets_its_requests_through_the_admin_address(app, client, make_provider):
    provider = make_provider("No Email Clinic", email=None)
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(phone=None))
    [message] = _outbox()
    assert message.recipient == app.config["ADMIN_EMAIL"]
    assert "has no email address on file" in message.body
    assert _requests()[0].phone is None


def test_the_confirmation_page_says_what_happens_next(client, make_provider):
    provider = make_provider("Harbor Infusion Center")
    html = client.get(f"/providers/{provider.id}/consultation/sent").get_data(as_text=True)
    assert "What happens next" in html
    assert "contacts you directly" in html
    assert "not a medical service" in html
    assert 'href="tel:911"' in html and 'href="tel:988"' in html


def _post_invalid(client, provider, **overrides):
    response = client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(**overrides))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_invalid_email_is_explained_beside_the_field(client, make_provider, nothing_stored):
    html = _post_invalid(client, make_provider(), email="jordan@@example")
    assert 'id="email-error"' in html and "Please enter a valid email address" in html
    nothing_stored()


def test_an_invalid_phone_is_explained_beside_the_field(client, make_provider, nothing_stored):
    html = _post_invalid(client, make_provider(), phone="12")
    assert 'id="phone-error"' in html
    html = _post_invalid(client, make_provider(), phone="call me maybe")
    assert 'id="phone-error"' in html
    nothing_stored()


def test_email_or_phone_is_required(client, make_provider, nothing_stored):
    html = _post_invalid(client, make_provider(), email="", phone="")
    assert "Please give an email address or a phone number" in html
    nothing_stored()


def test_phone_alone_is_enough(client, make_provider):
    provider = make_provider(email="x@clinic.example")
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(email=""))
    [request] = _requests()
    assert request.email is None and request.phone == "+12125550123"


def test_a_message_over_2000_characters_is_refused(client, make_provider, nothing_stored):
    html = _post_invalid(client, make_provider(), message="a" * 2001)
    assert 'id="message-error"' in html and "under 2,000 characters" in html
    nothing_stored()


def test_a_message_of_exactly_2000_characters_is_accepted(client, make_provider):
    provider = make_provider()
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(message="b" * 2000))
    assert len(_requests()[0].message) == 2000


def test_consent_is_required(client, make_provider, nothing_stored):
    html = _post_invalid(client, make_provider(), consent=None)
    assert 'id="consent-error"' in html and "Please tick this box" in html
    nothing_stored()


def test_scripts_are_refused_in_every_text_field_and_come_back_escaped(client, make_provider, nothing_stored):
    provider = make_provider()
    payload = '<script>alert("x")</script>'
    for field in ("name", "message"):
        html = _post_invalid(client, provider, **{field: payload})
        assert f'id="{field}-error"' in html and "plain text" in html
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html
    for field in ("email", "phone"):
        html = _post_invalid(client, provider, **{field: payload})
        assert f'id="{field}-error"' in html
        assert "<script>alert" not in html
    nothing_stored()


def test_a_failure_while_queueing_stores_nothing(client, make_provider, monkeypatch, nothing_stored):
    provider = make_provider(email="x@clinic.example")

    def broken_queue(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(consultations, "queue_message", broken_queue)
    response = client.post(f"/providers/{provider.id}/consultation", data=valid_consultation())
    assert response.status_code == 500
    nothing_stored()


def _keep_answers(app, client, **overrides):
    with client.session_transaction() as session:
        session["assessment_answers"] = assessment.sign_answers(make_answers(**overrides), app.secret_key)


def test_kept_answers_are_sent_only_when_the_box_is_ticked(app, client, make_provider):
    provider = make_provider(email="x@clinic.example")
    _keep_answers(app, client, history=["high_blood_pressure"], medications="lisinopril")
    html = client.get(f"/providers/{provider.id}/consultation").get_data(as_text=True)
    assert 'name="send_answers"' in html and "lisinopril" in html
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(send_answers="y"))
    [request] = _requests()
    assert request.assessment_answers["history"] == ["high_blood_pressure"]
    assert request.assessment_answers["medications"] == "lisinopril"
    [message] = _outbox()
    assert "self-assessment answers (not a diagnosis)" in message.body
    assert "High blood pressure that is not under control" in message.body
    with client.session_transaction() as session:
        assert "assessment_answers" not in session


def test_kept_answers_are_not_stored_when_the_box_is_left_unticked(app, client, make_provider):
    provider = make_provider(email="x@clinic.example")
    _keep_answers(app, client, medications="lisinopril")
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation())
    [request] = _requests()
    assert request.assessment_answers is None
    assert "lisinopril" not in _outbox()[0].body
    with client.session_transaction() as session:
        assert "assessment_answers" not in session


def test_tampered_kept_answers_are_ignored(client, make_provider):
    provider = make_provider(email="x@clinic.example")
    with client.session_transaction() as session:
        session["assessment_answers"] = "tampered.token"
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(send_answers="y"))
    assert _requests()[0].assessment_answers is None


def test_domain_validation_refuses_what_the_form_might_miss(make_provider):
    import pytest

    base = consultations.ConsultationInput("Jo", "jo@example.org", None, "any", None, True)
    cases = {
        "name": base.__class__(" ", "jo@example.org", None, "any", None, True),
        "email": base.__class__("Jo", None, None, "any", None, True),
        "preferred_contact_time": base.__class__("Jo", "jo@example.org", None, "3am", None, True),
        "consent": base.__class__("Jo", "jo@example.org", None, "any", None, False),
        "message": base.__class__("Jo", "jo@example.org", None, "any", "<img src=x onerror=alert(1)>", True),
    }
    for field, data in cases.items():
        with pytest.raises(InvalidInput) as info:
            consultations.validate(data)
        assert info.value.field == field
    assert consultations.validate(base).email == "jo@example.org"


def test_control_characters_are_refused_not_a_server_error(client, make_provider, nothing_stored):
    provider = make_provider(email="x@clinic.example")
    for field, value in (("name", "Jo\x00rdan"), ("message", "hello\x00there"), ("email", "jo\x00@example.org"),
                         ("phone", "212\x00555\x000123")):
        response = client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(**{field: value}))
        assert response.status_code == 200, field
        assert f'id="{field}-error"' in response.get_data(as_text=True), field
    nothing_stored()


def test_line_breaks_in_a_message_are_kept(client, make_provider):
    provider = make_provider(email="x@clinic.example")
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(message="Line one\r\nLine two"))
    assert "Line two" in _requests()[0].message


def test_the_log_names_neither_the_person_nor_their_message(client, make_provider, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    provider = make_provider(email="x@clinic.example")
    client.post(f"/providers/{provider.id}/consultation", data=valid_consultation(message="Zyxoprinol question"))
    assert "outbox: queued consultation_request" in caplog.text
    assert "Jordan" not in caplog.text and "Zyxoprinol" not in caplog.text and "jordan@example.org" not in caplog.text
