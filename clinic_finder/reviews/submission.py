"""Taking a review from a former patient: the rules its fields follow, duplicate detection, storing it as pending
and queueing the one-time confirmation email, all in one transaction so nothing is stored half-way.

Concurrent submissions for one provider are serialised on the provider's row (SELECT … FOR UPDATE on
PostgreSQL; a write to the row on SQLite, which takes the database's single write lock), so the duplicate check
and the insert cannot interleave: twenty identical reviews sent at once store one.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.inputs.contact import email_address
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from clinic_finder.listings.directory import published
from clinic_finder.mail.outbox import queue_message
from clinic_finder.models import Clinician, Mode, ModerationStatus, OutboxMessage, Provider, Review, Route
from clinic_finder.privacy.retention import email_fingerprint
from clinic_finder.reviews import privacy as review_privacy

TEXT_MIN_CHARS = 50
TEXT_MAX_CHARS = 5000
DISPLAY_NAME_MAX_CHARS = 80
DEFAULT_DISPLAY_NAME = "Anonymous patient"
EARLIEST_TREATMENT_YEAR = 2000
# Two texts this similar are one review sent twice: difflib's ratio over their words, after normalising case,
# spacing and punctuation. Words, not characters: as strict about "a few words changed" and about forty times
# faster, which matters because every submission is compared with the provider's recent reviews.
DUPLICATE_TEXT_RATIO = 0.85
# Compare with this many of the provider's latest reviews: enough for any real provider, bounded for a flood.
DUPLICATE_WINDOW = 500
OUTBOX_KIND = "review_confirmation"

REQUIRED_CRITERIA = ("overall_rating", "experience_rating", "professionalism_rating", "customer_service_rating")
OPTIONAL_CRITERIA = ("safety_rating", "value_rating")




@dataclass(frozen=True)
class ReviewInput:
    overall_rating: int | None
    experience_rating: int | None
    professionalism_rating: int | None
    customer_service_rating: int | None
    safety_rating: int | None
    value_rating: int | None
    mode: str | None
    route: str | None
    treatment_month: date | None
    text: str
    display_name: str | None
    email: str
    consent: bool




def check_rating(field: str, value: int | None, required: bool) -> int | None:
    if value is None:
        if required:
            raise InvalidInput(field, "Please choose a rating from 1 to 5.")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(field, "Please choose a rating from 1 to 5.")
    return value


def check_treatment_month(value: date | None, today: date | None = None) -> date:
    today = today or datetime.now(UTC).date()
    if value is None:
        raise InvalidInput("treatment_month", "Please tell us the month of your treatment.")
    month = value.replace(day=1)
    if month > today.replace(day=1):
        raise InvalidInput("treatment_month", "The treatment month cannot be in the future.")
    if month.year < EARLIEST_TREATMENT_YEAR:
        raise InvalidInput("treatment_month", f"Please choose a month from {EARLIEST_TREATMENT_YEAR} onwards.")
    return month


def check_text(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("text", "Please write about your experience.")
    if len(text) < TEXT_MIN_CHARS:
        raise InvalidInput("text", f"Please write at least {TEXT_MIN_CHARS} characters (you wrote {len(text)}), "
                                    "so other patients learn something from your review.")
    if len(text) > TEXT_MAX_CHARS:
        raise InvalidInput("text", f"Please keep your review under {TEXT_MAX_CHARS:,} characters "
                                    f"(it has {len(text):,}).")
    if has_control_characters(text, allow_line_breaks=True):
        raise InvalidInput("text", CONTROL_CHARACTERS_MESSAGE)
    return text


def check_display_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        return DEFAULT_DISPLAY_NAME
    if len(name) > DISPLAY_NAME_MAX_CHARS:
        raise InvalidInput("display_name", f"Please keep the display name under {DISPLAY_NAME_MAX_CHARS} "
                                            "characters.")
    if has_control_characters(raw):
        raise InvalidInput("display_name", CONTROL_CHARACTERS_MESSAGE)
    return name


def normalize_email(raw: str | None) -> str:
    return email_address(raw, "email",
                         required="Please give your email address: we send you a link to confirm the review.")


def validate_mode(raw: str | None) -> str:
    try:
        return Mode(raw).value
    except ValueError:
        raise InvalidInput("mode", "Please tell us whether you were treated in a clinic or at home.") from None


def validate_route(raw: str | None) -> str:
    try:
        return Route(raw).value
    except ValueError:
        raise InvalidInput("route", "Please choose how the ketamine was given.") from None


def validate(data: ReviewInput, today: date | None = None) -> ReviewInput:
    """The input cleaned; InvalidInput for the first rule it breaks (in the order of the form)."""
    ratings = {name: check_rating(name, getattr(data, name), required=True) for name in REQUIRED_CRITERIA}
    ratings |= {name: check_rating(name, getattr(data, name), required=False) for name in OPTIONAL_CRITERIA}
    mode = validate_mode(data.mode)
    route = validate_route(data.route)
    month = check_treatment_month(data.treatment_month, today)
    text = check_text(data.text)
    display_name = check_display_name(data.display_name)
    email = normalize_email(data.email)
    if not data.consent:
        raise InvalidInput("consent", "Please confirm that your review follows the review guidelines.")
    return replace(data, **ratings, mode=mode, route=route, treatment_month=month, text=text,
                   display_name=display_name, email=email)


def provider_for_review(provider_id: int) -> Provider | None:
    """The published provider a review may be written for, or None."""
    return db.session.scalar(published().where(Provider.id == provider_id))


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def texts_nearly_identical(a: str, b: str, ratio: float = DUPLICATE_TEXT_RATIO) -> bool:
    matcher = difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False)
    # The cheap upper bounds rule most pairs out before the quadratic comparison.
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio


def lock_provider(provider_id: int) -> bool:
    """Serialise writers for one provider until the transaction ends; False when the provider is gone."""
    if db.session.get_bind().dialect.name == "sqlite":
        # A write is the only way to take SQLite's lock before reading; the no-op update leaves the row as it was.
        result = db.session.execute(sa.text("UPDATE provider SET id = id WHERE id = :id"), {"id": provider_id})
        return result.rowcount == 1
    locked = db.session.scalar(sa.select(Provider.id).where(Provider.id == provider_id).with_for_update())
    return locked is not None


def _live_reviews(provider_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(Review.provider_id == provider_id, Review.status != ModerationStatus.REJECTED)


def _reviewed_already(provider_id: int, email: str) -> bool:
    """By the address, or by its fingerprint once the retention period has deleted the address."""
    same_address = sa.or_(Review.contact_email_hash == email_fingerprint(email),
                          sa.func.lower(Review.contact_email) == email.lower())
    return db.session.scalar(sa.select(Review.id).where(_live_reviews(provider_id), same_address).limit(1)) is not None


def _similar_text(provider_id: int, text: str, after_id: int = 0) -> tuple[InvalidInput | None, int]:
    """A duplicate among the provider's reviews with an id above after_id, and the highest id compared."""
    rows = db.session.execute(
        sa.select(Review.id, Review.text).where(_live_reviews(provider_id), Review.id > after_id)
        .order_by(Review.id.desc()).limit(DUPLICATE_WINDOW)
    ).all()
    last_id = max((row.id for row in rows), default=after_id)
    if any(texts_nearly_identical(text, row.text) for row in rows):
        return InvalidInput("text", "A review with nearly the same text has already been received for this "
                                     "provider. If it is yours, please use the confirmation link we emailed "
                                     "you."), last_id
    return None, last_id


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submit_review(provider_id: int, data: ReviewInput, confirm_url: Callable[[str], str],
                  fingerprint: str | None = None, today: date | None = None) -> Review | None:
    """Validate, check for duplicates under the provider lock, store the review as pending and queue its
    confirmation email. InvalidInput (nothing stored) for bad input, nearly the same text again, or a provider that
    is not published.

    A second review from an address that has already reviewed this provider stores nothing and returns None, and
    the caller answers exactly as for a new review: whether an address has reviewed a ketamine clinic is health
    information, so only the address itself is told, by email (see _tell_the_address)."""
    clean = validate(data, today)
    try:
        # The slow text comparison runs before taking the lock; under it, only reviews that arrived meanwhile
        # are compared. Reviews of one provider are inserted under its lock, so their ids grow in lock order.
        # (The answer to nearly the same text does not depend on the address, so it may come first.)
        text_duplicate, seen_up_to = _similar_text(provider_id, clean.text)
        if text_duplicate is not None:
            raise text_duplicate
        if db.session.get_bind().dialect.name == "sqlite":
            db.session.commit()  # end the read so the lock below starts a fresh transaction that sees every commit
        if not lock_provider(provider_id) or provider_for_review(provider_id) is None:
            raise InvalidInput("provider", "This provider is not listed, so it cannot be reviewed.")
        if _reviewed_already(provider_id, clean.email):
            # Under the lock, so twenty copies sent at once store one review and queue one notice.
            _tell_the_address(provider_id, clean.email)
            return None
        text_duplicate, _ = _similar_text(provider_id, clean.text, after_id=seen_up_to)
        if text_duplicate is not None:
            raise text_duplicate
        # In the profile's order, so the moderator's "names a staff member" flags come in a stable order.
        staff = db.session.scalars(sa.select(Clinician.full_name).where(Clinician.provider_id == provider_id)
                                   .order_by(Clinician.id))
        token = secrets.token_urlsafe(32)
        review = Review(
            provider_id=provider_id,
            overall_rating=clean.overall_rating,
            experience_rating=clean.experience_rating,
            professionalism_rating=clean.professionalism_rating,
            customer_service_rating=clean.customer_service_rating,
            safety_rating=clean.safety_rating,
            value_rating=clean.value_rating,
            mode=Mode(clean.mode),
            route=Route(clean.route),
            treatment_month=clean.treatment_month,
            text=clean.text,
            display_name=clean.display_name,
            contact_email=clean.email,
            contact_email_hash=email_fingerprint(clean.email),
            status=ModerationStatus.PENDING,
            flags=review_privacy.join_flags(review_privacy.flags_for(clean.text, clean.display_name, staff)),
            confirm_token_hash=token_hash(token),
            submitter_fingerprint=fingerprint,
        )
        db.session.add(review)
        db.session.flush()
        provider_name = db.session.scalar(sa.select(Provider.name).where(Provider.id == provider_id))
        _queue_link(clean.email, provider_name or "the provider", confirm_url(token))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return review


# A link is not sent again to the same review within this time, so the resend form cannot flood an inbox.
RESEND_MIN_INTERVAL = timedelta(minutes=10)
# At most one "you have already reviewed" notice per address and provider in this time, for the same reason.
REPEAT_NOTICE_INTERVAL = timedelta(days=1)
REPEAT_NOTICE_KIND = "review_repeat_notice"


def _tell_the_address(provider_id: int, email: str) -> None:
    """Email the address that it has already reviewed this provider (nothing is stored but the notice)."""
    provider_name = db.session.scalar(sa.select(Provider.name).where(Provider.id == provider_id)) or "the provider"
    subject = f"Your review of {provider_name}"[:200]
    since = datetime.now(UTC) - REPEAT_NOTICE_INTERVAL
    recent = db.session.scalar(sa.select(OutboxMessage.id).where(
        OutboxMessage.kind == REPEAT_NOTICE_KIND, OutboxMessage.recipient == email, OutboxMessage.subject == subject,
        OutboxMessage.created_at >= since).limit(1))
    if recent is None:
        queue_message(REPEAT_NOTICE_KIND, email, subject, (
            f"We received a review of {provider_name} written with this email address, but this address has "
            "already reviewed that provider, so the new one was not stored: each person may review a provider "
            "once.\n\nIf your first review is waiting for confirmation, you can ask for a new link on our "
            "\"confirm your review\" page. If you did not write a review, you can ignore this message."))
    db.session.commit()


def resend_confirmations(raw_email: str | None, confirm_url: Callable[[str], str],
                         now: datetime | None = None) -> int:
    """Send a fresh one-time link for each unconfirmed, not rejected review written with this address, replacing
    the old link (and starting its two weeks again). Returns how many were sent, which callers never show: the page
    must not tell a stranger whether an address wrote a review. InvalidInput for an invalid address."""
    email = normalize_email(raw_email)
    now = now or datetime.now(UTC)
    reviews = db.session.scalars(
        # People do not remember the capitals they typed: match the address without regard to case.
        sa.select(Review).where(sa.func.lower(Review.contact_email) == email.lower(),
                                Review.email_confirmed_at.is_(None),
                                Review.status != ModerationStatus.REJECTED).order_by(Review.id)
    ).all()
    sent = 0
    for review in reviews:
        if now - (review.confirm_sent_at or review.created_at) < RESEND_MIN_INTERVAL:
            continue
        token = secrets.token_urlsafe(32)
        review.confirm_token_hash, review.confirm_sent_at = token_hash(token), now
        _queue_link(review.contact_email, review.provider.name, confirm_url(token))
        sent += 1
    db.session.commit()
    return sent


def _queue_link(email: str, provider_name: str, link: str) -> None:
    queue_message(OUTBOX_KIND, email, f"Please confirm your review of {provider_name}"[:200],
                  confirmation_message(provider_name, link))


def confirmation_message(provider_name: str, link: str) -> str:
    return "\n".join([
        "Hello,",
        "",
        f"Thank you for reviewing {provider_name} on clinic_finder.",
        "",
        "Please confirm that this email address is yours by opening this link (it works once):",
        link,
        "",
        "A moderator reads every review before it is published. Only the display name you chose and the month of "
        "your treatment are shown with it; your email address is never shown or shared.",
        "",
        "If you did not write a review, ignore this email and the review will not carry a confirmed email.",
        "clinic_finder is a directory, not a medical service.",
    ])
