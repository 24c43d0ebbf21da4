"""An admin's decision on a listing submission: approve (create or update the provider) or reject with a reason.

The payload is validated again before anything is applied, with the same rules as the public form. Approval never
counts as a verification: facts it changes become "reported by the provider" and no verified date moves; facts it
leaves unchanged keep their source and date. Every decision is written to the audit trail.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import PlaceNotFound, resolve_place
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.submissions import listing_fields
from clinic_finder.listings.validation import LABELS, Level, validate_listing
from clinic_finder.mail.outbox import queue_message
from clinic_finder.models import (
    ChecklistSource,
    ListingStatus,
    ListingSubmission,
    Location,
    ModerationStatus,
    Provider,
    ServiceState,
    SubmissionKind,
    User,
)
from clinic_finder.staff import audit
from clinic_finder.vetting import checklist as vetting

REASON_MAX = 500
_PROVIDER_COLUMNS = ("name", "description", "website", "phone", "email", "offers_in_clinic", "offers_at_home",
                     "price_min_usd", "price_max_usd", "free_consultation", "insurance_accepted", "superbill_offered",
                     "session_length_minutes")
_ADDRESS = ("address_line1", "address_line2", "city", "state", "zip_code")


class DecisionError(ValueError):
    """The decision cannot be made (already decided, missing reason, payload no longer valid)."""


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def diff(submission: ListingSubmission) -> list[DiffRow]:
    """Each field as the listing has it now and as proposed (a new listing diffs against nothing)."""
    current = listing_fields(submission.provider) if submission.provider is not None else {}
    rows = [DiffRow(field, label, _shown(current.get(field)), _shown(submission.payload.get(field)))
            for field, label in LABELS.items()]
    return rows


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:140] or "provider"
    taken = set(db.session.scalars(sa.select(Provider.slug).where(Provider.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _provider_snapshot(provider: Provider) -> dict[str, Any]:
    return listing_fields(provider)


def _set_location(provider: Provider, data: dict[str, Any]) -> None:
    if not data.get("offers_in_clinic"):
        return
    loc = provider.locations[0] if provider.locations else None
    if loc is not None and all(getattr(loc, f) == data.get(f) for f in _ADDRESS):
        return  # an unchanged address keeps its coordinates
    if loc is None:
        loc = Location(address_line1="", city="", state="", zip_code="")
        provider.locations.append(loc)
    for field in _ADDRESS:
        setattr(loc, field, data.get(field))
    try:
        place = resolve_place(data["zip_code"])
    except PlaceNotFound:
        loc.lat = loc.lon = loc.x = loc.y = loc.z = None
    else:
        loc.set_coordinates(place.lat, place.lon, source="zip_centroid")


def apply_listing(provider: Provider, data: dict[str, Any]) -> None:
    """Write a validated listing onto the provider, changing only what differs (also used by re-imports)."""
    for column in _PROVIDER_COLUMNS:
        value = data.get(column)
        if column == "description":
            value = value or ""
        if getattr(provider, column) != value:  # only real changes, so nothing is stamped as updated for nothing
            setattr(provider, column, value)
    if [r.value for r in provider.routes] != data["routes"]:
        provider.routes = data["routes"]
    if [c.value for c in provider.conditions] != data["conditions"]:
        provider.conditions = data["conditions"]
    if list(provider.states_served) != data["states_served"]:
        provider.service_states = [ServiceState(state=s) for s in data["states_served"]]
    _set_location(provider, data)
    # Facts the checklist also records: a changed value is the provider's word until our team checks it again.
    stored = {i.key: i for i in provider.checklist_items}
    for key, value in (("free_consultation", "yes" if data["free_consultation"] else "no"),
                       ("npi", data.get("medical_director_npi"))):
        item = stored.get(key)
        current = item.value.split()[0] if item is not None and item.value else None
        if value is not None and current != value:
            vetting.set_check(provider, key, value, ChecklistSource.SELF_REPORTED)


DECISION_KIND = "listing_decision"


def _tell_submitter(submission: ListingSubmission, subject: str, lines: list[str]) -> None:
    """Queue the decision for whoever sent the submission, when they left an address (the caller commits)."""
    if not submission.submitter_email:
        return
    greeting = f"Hello {submission.submitter_name}," if submission.submitter_name else "Hello,"
    body = "\n".join([greeting, "", *lines, "", "clinic_finder is a directory, not a medical service."])
    queue_message(DECISION_KIND, submission.submitter_email, subject[:200], body)


def approve(submission: ListingSubmission, actor: User, ip_address: str | None = None,
            profile_url: Callable[[int], str] | None = None) -> Provider:
    """Publish a new listing or apply a correction; the submitter is told, with a link when profile_url is given."""
    if submission.status != ModerationStatus.PENDING:
        raise DecisionError(f"Submission #{submission.id} was already {submission.status.label.lower()}.")
    try:
        data = validate_listing(submission.payload)
    except InvalidInput as exc:
        problems = "; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in exc.errors.items())
        raise DecisionError(f"Submission #{submission.id} no longer passes the listing rules ({problems}). "
                            "Reject it with a reason.") from None
    if submission.kind == SubmissionKind.CORRECTION:
        provider = submission.provider
        if provider is None:
            raise DecisionError(f"The listing submission #{submission.id} corrects has been removed.")
        before = _provider_snapshot(provider)
        apply_listing(provider, data)
        action = "provider.update"
    else:
        provider = Provider(slug=_slug(data["name"]), name=data["name"], listing_status=ListingStatus.PUBLISHED)
        db.session.add(provider)
        before = None
        apply_listing(provider, data)
        action = "provider.create"
    submission.status = ModerationStatus.APPROVED
    submission.reviewed_at = datetime.now(UTC)
    submission.reviewed_by_id = actor.id
    db.session.flush()
    if submission.provider_id is None:
        submission.provider_id = provider.id
    audit.record(actor, "listing_submission.approve", "listing_submission", submission.id,
                 before={"status": "pending"}, after={"status": "approved", "provider_id": provider.id},
                 ip_address=ip_address)
    audit.record(actor, action, "provider", provider.id, before=before, after=_provider_snapshot(provider),
                 ip_address=ip_address)
    what = "correction to" if submission.kind == SubmissionKind.CORRECTION else "listing of"
    _tell_submitter(submission, f"Your {what} {provider.name} is published", [
        f"Thank you for your {what} {provider.name}. Our team reviewed it and it is now public"
        + (f":\n{profile_url(provider.id)}" if profile_url else "."),
        "",
        "Facts sent with a listing show as \"reported by the provider\" until our team verifies them. To change "
        "anything later, use \"Suggest a correction\" on the listing.",
    ])
    db.session.commit()
    return provider


def reject(submission: ListingSubmission, actor: User, reason: str, ip_address: str | None = None) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("Please give a reason for rejecting, so the decision can be explained later.")
    if len(reason) > REASON_MAX:
        raise DecisionError(f"Please keep the reason under {REASON_MAX} characters.")
    if submission.status != ModerationStatus.PENDING:
        raise DecisionError(f"Submission #{submission.id} was already {submission.status.label.lower()}.")
    submission.status = ModerationStatus.REJECTED
    submission.reason = reason
    submission.reviewed_at = datetime.now(UTC)
    submission.reviewed_by_id = actor.id
    audit.record(actor, "listing_submission.reject", "listing_submission", submission.id,
                 before={"status": "pending"}, after={"status": "rejected", "reason": reason}, ip_address=ip_address)
    name = (submission.payload or {}).get("name") or "your practice"
    _tell_submitter(submission, f"Your submission for {name} was not published", [
        f"Thank you for your submission for {name}. Our team reviewed it and did not publish it, for this reason:",
        "",
        reason,
        "",
        "You are welcome to send a new submission that addresses it.",
    ])
    db.session.commit()


@dataclass
class BulkResult:
    done: list[int]
    failed: list[tuple[int, str]]


def decide_many(submissions: list[ListingSubmission], action: str, actor: User, reason: str = "",
                ip_address: str | None = None, profile_url: Callable[[int], str] | None = None) -> BulkResult:
    """Approve or reject several, one by one: one that fails (already decided, invalid) does not stop the others."""
    if action not in ("approve", "reject"):
        raise DecisionError("Choose approve or reject.")
    if action == "reject" and not (reason or "").strip():
        raise DecisionError("Please give a reason for rejecting, so the decision can be explained later.")
    result = BulkResult([], [])
    for submission in submissions:
        try:
            if action == "approve":
                approve(submission, actor, ip_address, profile_url)
            else:
                reject(submission, actor, reason, ip_address)
        except DecisionError as exc:
            db.session.rollback()
            result.failed.append((submission.id, str(exc)))
        else:
            result.done.append(submission.id)
    return result


def edit_listing(provider: Provider, data: dict[str, Any], listing_status: ListingStatus, actor: User,
                 ip_address: str | None = None) -> bool:
    """An admin's direct edit, under the same rules as a submission; False (nothing written) when unchanged.

    Like an approval, an edit is not a verification: verified dates move only through the verification pages.
    A listing saved as published must have what a patient needs; one saved pending, suspended or closed is held
    to the draft rules (every value given valid), so staff can keep an unfinished listing out of sight.
    """
    level = Level.PUBLISHABLE if listing_status == ListingStatus.PUBLISHED else Level.DRAFT
    clean = validate_listing(data, level)  # InvalidInput, field by field, for the form
    before = {**_provider_snapshot(provider), "listing_status": provider.listing_status.value}
    apply_listing(provider, clean)
    if provider.listing_status != listing_status:
        provider.listing_status = listing_status
    after = {**_provider_snapshot(provider), "listing_status": provider.listing_status.value}
    if after == before:
        db.session.rollback()
        return False
    changed = sorted(k for k in after if after[k] != before.get(k))
    audit.record(actor, "provider.edit", "provider", provider.id, before={k: before.get(k) for k in changed},
                 after={k: after[k] for k in changed}, ip_address=ip_address)
    db.session.commit()
    return True
