"""Free-consultation requests: checking what a person sends, storing it, and queueing it for the provider.

The request and its outbox message are written in one transaction, so a provider is never told about a request
that was not stored, and nothing is stored half-way. Staff see requests in the admin list and change their status
there, each change written to the audit trail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import phonenumbers
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import joinedload

from clinic_finder.extensions import db
from clinic_finder.guide.assessment import Answers
from clinic_finder.listings.directory import Page, published
from clinic_finder.mail.outbox import queue_message
from clinic_finder.models import ConsultationRequest, Provider, RequestStatus, User
from clinic_finder.staff import audit

NAME_MAX_CHARS = 120
MESSAGE_MAX_CHARS = 2000
OUTBOX_KIND = "consultation_request"
CONTROL_CHARACTERS_MESSAGE = "Please remove the invisible control characters from this text."

CONTACT_TIMES: tuple[tuple[str, str], ...] = (
    ("any", "Any time"),
    ("morning", "Mornings (8 am – noon)"),
    ("afternoon", "Afternoons (noon – 5 pm)"),
    ("evening", "Evenings (5 pm – 8 pm)"),
    ("weekend", "Weekends"),
)

# Plain text only: anything that looks like markup is refused with a message rather than silently altered.
_MARKUP = re.compile(r"<\s*/?\s*[a-z!?]", re.IGNORECASE)


class InvalidConsultation(ValueError):
    """Input that breaks a rule; field names the form field it belongs beside."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ConsultationInput:
    name: str
    email: str | None
    phone: str | None
    preferred_contact_time: str
    message: str | None
    consent: bool
    assessment: Answers | None = None  # only when the person ticked "send my answers"


def has_markup(text: str | None) -> bool:
    return bool(text) and bool(_MARKUP.search(text))


def has_control_characters(text: str | None, allow_line_breaks: bool = False) -> bool:
    """Invisible control characters (a NUL byte, say) have no place in a name or a message, and PostgreSQL
    refuses NUL in text columns, so they are refused with a message instead of failing later."""
    allowed = {"\n", "\r", "\t"} if allow_line_breaks else set()
    return bool(text) and any(ch not in allowed and (ord(ch) < 32 or ord(ch) == 127) for ch in text)


def normalize_email(raw: str) -> str:
    """The email address in normalized form, or InvalidConsultation with a reason a person can act on."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise InvalidConsultation("email", f"Please enter a valid email address: {reason}.") from None


def normalize_phone(raw: str) -> str:
    """A US phone number (or an international one starting with +) in E.164 form."""
    try:
        number = phonenumbers.parse(raw.strip(), "US")
    except phonenumbers.NumberParseException:
        raise InvalidConsultation("phone", "Please enter a phone number, e.g. 212-555-0123.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidConsultation("phone", "This does not look like a valid phone number. Please check it.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def validate(data: ConsultationInput) -> ConsultationInput:
    """The input cleaned and normalized; InvalidConsultation for the first rule it breaks."""
    name = (data.name or "").strip()
    if not name:
        raise InvalidConsultation("name", "Please tell us your name.")
    if len(name) > NAME_MAX_CHARS:
        raise InvalidConsultation("name", f"Please keep your name under {NAME_MAX_CHARS} characters.")
    email = normalize_email(data.email) if data.email and data.email.strip() else None
    phone = normalize_phone(data.phone) if data.phone and data.phone.strip() else None
    if email is None and phone is None:
        raise InvalidConsultation("email", "Please give an email address or a phone number so the provider can "
                                           "reach you.")
    if data.preferred_contact_time not in dict(CONTACT_TIMES):
        raise InvalidConsultation("preferred_contact_time", "Please choose when you would like to be contacted.")
    message = (data.message or "").strip() or None
    if message and len(message) > MESSAGE_MAX_CHARS:
        raise InvalidConsultation("message", f"Please keep your message under {MESSAGE_MAX_CHARS:,} characters "
                                             f"(it has {len(message):,}).")
    if has_control_characters(name):
        raise InvalidConsultation("name", CONTROL_CHARACTERS_MESSAGE)
    if has_control_characters(message, allow_line_breaks=True):
        raise InvalidConsultation("message", CONTROL_CHARACTERS_MESSAGE)
    if "<" in name or ">" in name:
        raise InvalidConsultation("name", "Please use plain text in your name: remove the < and > characters.")
    if has_markup(message):
        raise InvalidConsultation("message", "Please use plain text: remove the HTML tags (text between < and >).")
    if not data.consent:
        raise InvalidConsultation("consent", "Please agree that we pass your details to this provider.")
    return ConsultationInput(name, email, phone, data.preferred_contact_time, message, True, data.assessment)


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
        f"Phone: {display_phone(request.phone) or 'not given'}",
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


# Ids are 32-bit integers in the database; a larger number in a URL cannot match and must not reach PostgreSQL.
_MAX_ID = 2**31 - 1


def provider_for_request(provider_id: int) -> Provider | None:
    """The published provider a person may send a request to, or None."""
    if not 0 < provider_id <= _MAX_ID:
        return None
    return db.session.scalar(published().where(Provider.id == provider_id))


def get_request(request_id: int) -> ConsultationRequest | None:
    if not 0 < request_id <= _MAX_ID:
        return None
    return db.session.get(ConsultationRequest, request_id)


def list_requests(page: int, per_page: int, status: RequestStatus | None = None) -> Page:
    """Requests for staff, newest first, with their provider loaded in the same query."""
    stmt = sa.select(ConsultationRequest)
    if status is not None:
        stmt = stmt.where(ConsultationRequest.status == status)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(joinedload(ConsultationRequest.provider))
        .order_by(ConsultationRequest.created_at.desc(), ConsultationRequest.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), total, page, per_page)


def set_status(request: ConsultationRequest, status: RequestStatus, actor: User,
               ip_address: str | None = None) -> bool:
    """Change a request's status and record who did it; False (and nothing written) when it is unchanged."""
    if request.status == status:
        return False
    before = audit.snapshot(request, ["status"])
    request.status = status
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
