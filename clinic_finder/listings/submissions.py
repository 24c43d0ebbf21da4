"""Listing submissions from the public: a new listing or a correction, held as pending until an admin decides.

Nothing a person submits is public before approval; listings.approval applies it. The payload is the validated,
normalized listing (listings.validation, which reads it as a provider record), so an admin sees and approves exactly
what passed the rules.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.validation import validate_listing, validate_submitter
from clinic_finder.models import ListingSubmission, ModerationStatus, Provider, SubmissionKind


def listing_fields(provider: Provider) -> dict[str, Any]:
    """A published provider in the shape of a submission payload (to prefill a correction and to diff against)."""
    loc = provider.locations[0] if provider.locations else None
    npi = next((i.value for i in provider.checklist_items if i.key == "npi"), None)
    return {
        "name": provider.name,
        "description": provider.description or None,
        "website": provider.website,
        "phone": provider.phone,
        "email": provider.email,
        "offers_in_clinic": provider.offers_in_clinic,
        "offers_at_home": provider.offers_at_home,
        "address_line1": loc.address_line1 if loc else None,
        "address_line2": loc.address_line2 if loc else None,
        "city": loc.city if loc else None,
        "state": loc.state if loc else None,
        "zip_code": loc.zip_code if loc else None,
        "states_served": list(provider.states_served),
        "routes": [r.value for r in provider.routes],
        "conditions": [c.value for c in provider.conditions],
        "price_min_usd": provider.price_min_usd,
        "price_max_usd": provider.price_max_usd,
        "free_consultation": provider.free_consultation,
        "insurance_accepted": provider.insurance_accepted,
        "superbill_offered": provider.superbill_offered,
        "session_length_minutes": provider.session_length_minutes,
        # Stored demo values carry a "(fictional)" suffix; only the digits belong in the form.
        "medical_director_npi": npi.split()[0] if npi else None,
    }


def submit(data: dict[str, Any], submitter: dict[str, Any], provider: Provider | None = None) -> ListingSubmission:
    """Validate and store a submission as pending (InvalidInput naming every field that breaks a rule, the
    listing's and the submitter's together, so the form shows them all at once)."""
    problems = []
    payload = who = None
    try:
        payload = validate_listing(data)
    except InvalidInput as err:
        problems.extend(err.problems)
    try:
        who = validate_submitter(submitter.get("submitter_name"), submitter.get("submitter_email"),
                                 submitter.get("note"), note_required=provider is not None)
    except InvalidInput as err:
        problems.extend(err.problems)
    if problems:
        raise InvalidInput.of(problems)
    if who.get("note"):
        payload["note"] = who["note"]
    submission = ListingSubmission(
        kind=SubmissionKind.CORRECTION if provider is not None else SubmissionKind.NEW_LISTING,
        provider_id=provider.id if provider is not None else None,
        payload=payload,
        submitter_name=who["submitter_name"],
        submitter_email=who["submitter_email"],
        status=ModerationStatus.PENDING,
    )
    db.session.add(submission)
    db.session.commit()
    return submission


def pending_count() -> int:
    """For the admin dashboard."""
    return db.session.scalar(
        sa.select(sa.func.count(ListingSubmission.id)).where(ListingSubmission.status == ModerationStatus.PENDING)
    ) or 0


def list_submissions(page: int, per_page: int, status: ModerationStatus = ModerationStatus.PENDING) -> Page:
    """Oldest first, so nobody waits longest; corrections come with their current listing loaded."""
    from clinic_finder.listings.directory import profile_options

    order = (ListingSubmission.created_at.asc(), ListingSubmission.id.asc()) if status == ModerationStatus.PENDING \
        else (ListingSubmission.reviewed_at.desc(), ListingSubmission.id.desc())
    return paginate(sa.select(ListingSubmission).where(ListingSubmission.status == status).order_by(*order),
                    page, per_page, options=(joinedload(ListingSubmission.provider).options(*profile_options()),))


def get_submission(submission_id: int) -> ListingSubmission | None:
    return db.session.get(ListingSubmission, submission_id)
