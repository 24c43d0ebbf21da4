"""Free-consultation requests: checking what a person sends, storing it, and queueing it for the provider.

The request and its outbox message are written in one transaction, so a provider is never told about a request
that was not stored, and nothing is stored half-way. Staff see requests in the admin list and change their status
there, each change written to the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from clinic_finder.extensions import db
from clinic_finder.guide.assessment import Answers
from clinic_finder.inputs.contact import email_address, phone_e164, phone_for_display, phone_number
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import plain_text
from clinic_finder.listings.directory import published
from clinic_finder.mail.outbox import queue_message
from clinic_finder.models import ConsultationRequest, Provider, RequestStatus, User
from clinic_finder.staff import audit

NAME_MAX_CHARS = 120
MESSAGE_MAX_CHARS = 2000
OUTBOX_KIND = "consultation_request"

CONTACT_TIMES: tuple[tuple[str, str], ...] = (
    ("any", "Any time"),
    ("morning", "Mornings (8 am – noon)"),
    ("afternoon", "Afternoons (noon – 5 pm)"),
    ("evening", "Evenings (5 pm – 8 pm)"),
    ("weekend", "Weekends"),
)





@dataclass(frozen=True)
class ConsultationInput:
    name: str
    email: str | None
    phone: str | None
    preferred_contact_time: str
    message: str | None
    consent: bool
    assessment: Answers | None = None  # only when the person ticked "send my answers"












def validate(data: ConsultationInput) -> ConsultationInput:
    """The input cleaned and normalized; InvalidInput for the first rule it breaks."""
    name = plain_text(data.name, "name", "name", NAME_MAX_CHARS, required="Please tell us your name.")
    if "<" in name or ">" in name:
        raise InvalidInput("name", "Please use plain text in your name: remove the < and > characters.")
    email = email_address(data.email, "email")
    phone = phone_number(data.phone, "phone")
    if email is None and phone is None:
        raise InvalidInput("email", "Please give an email address or a phone number so the provider can reach you.")
    if data.preferred_contact_time not in dict(CONTACT_TIMES):
        raise InvalidInput("preferred_contact_time", "Please choose when you would like to be contacted.")
    message = plain_text(data.message, "message", "message", MESSAGE_MAX_CHARS, multiline=True)
    if not data.consent:
        raise InvalidInput("consent", "Please agree that we pass your details to this provider.")
    return ConsultationInput(name, email, phone and phone_e164(phone), data.preferred_contact_time, message, True,
                             data.assessment)


def create_request(provider: Provider, data: ConsultationInput, fallback_recipient: str) -> ConsultationRequest:
    """Store a request and queue its delivery to the provider (or to fallback_recipient when the provider has no
    email address on file), in one transaction."""
    clean = validate(data)
    request = ConsultationRequest(
        provider_id=provider.id,
        name=clean.name,
        email=clean.email,
        phone=clean.phone,
        preferred_contact_time=clean.preferred_contact_time,
        message=clean.message,
        consent_given_at=datetime.now(UTC),
        assessment_answers=clean.assessment.to_dict() if clean.assessment else None,
        status=RequestStatus.OPEN,
    )
    db.session.add(request)
    recipient = provider.email or fallback_recipient
    try:
        db.session.flush()
        # The subject is logged by queue_message, so it names the request, not the person.
        queue_message(OUTBOX_KIND, recipient, f"New free-consultation request #{request.id} via clinic_finder",
                      provider_message(provider, request, clean.assessment, forwarded=not provider.email))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return request


def provider_message(provider: Provider, request: ConsultationRequest, answers: Answers | None,
                     forwarded: bool) -> str:
    times = dict(CONTACT_TIMES)
    lines = []
    if forwarded:
        lines += [f"[For staff: {provider.name} (provider #{provider.id}) has no email address on file. "
                  "Please pass this request on.]", ""]
    lines += [
        f"Hello {provider.name},",
        "",
        "Someone has asked for a free consultation through clinic_finder. Please contact them directly.",
        "",
        f"Name: {request.name}",
        f"Email: {request.email or 'not given'}",
        f"Phone: {phone_for_display(request.phone) or 'not given'}",
        f"Preferred contact time: {times.get(request.preferred_contact_time or 'any', 'Any time')}",
        "",
        "Message:",
        request.message or "(no message)",
    ]
    if answers is not None:
        lines += ["", "They chose to share their self-assessment answers (not a diagnosis):"]
        lines += [f"- {question}: {answer}" for question, answer in answers.labelled()]
    lines += [
        "",
        f"Request #{request.id}, consent given {request.consent_given_at:%Y-%m-%d %H:%M} UTC.",
        "clinic_finder is a directory, not a medical service.",
    ]
    return "\n".join(lines)


def provider_for_request(provider_id: int) -> Provider | None:
    """The published provider a person may send a request to, or None: only a listing that offers a free
    consultation takes requests, so the profile's "Free consultation: Not offered" is never beside a form."""
    return db.session.scalar(published().where(Provider.id == provider_id, Provider.free_consultation.is_(True)))


def get_request(request_id: int) -> ConsultationRequest | None:
    return db.session.get(ConsultationRequest, request_id)


def list_requests(page: int, per_page: int, status: RequestStatus | None = None) -> Page:
    """Requests for staff, newest first, with their provider loaded in the same query."""
    stmt = sa.select(ConsultationRequest)
    if status is not None:
        stmt = stmt.where(ConsultationRequest.status == status)
    return paginate(stmt.order_by(ConsultationRequest.created_at.desc(), ConsultationRequest.id.desc()), page, per_page,
                    options=(joinedload(ConsultationRequest.provider),))


def set_status(request: ConsultationRequest, status: RequestStatus, actor: User,
               ip_address: str | None = None) -> bool:
    """Change a request's status and record who did it; False (and nothing written) when it is unchanged."""
    if request.status == status:
        return False
    before = audit.snapshot(request, ["status"])
    request.status = status
    # The retention period runs from the last time it was handled; reopening stops the clock.
    request.handled_at = None if status == RequestStatus.OPEN else datetime.now(UTC)
    audit.record(actor, "consultation_request.status", "consultation_request", request.id,
                 before=before, after=audit.snapshot(request, ["status"]), ip_address=ip_address)
    db.session.commit()
    return True


def answers_summary(stored: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Stored answers in plain words for the admin list (empty when none were sent)."""
    if not stored:
        return []
    try:
        return Answers.from_dict(stored).labelled()
    except ValueError:
        return [("Answers", "could not be read")]
