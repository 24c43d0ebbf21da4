"""What admins do with what imports leave: candidates to review (publish, or merge into a listing we hold),
NPIs NPPES lists as deactivated, and differences a re-import found in fields someone here had changed.

Every decision is audited; none is a verification (a published candidate's licenses stay unverified until an
admin checks them at the board, on the licenses page).
"""
from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.approval import DecisionError, edit_listing
from clinic_finder.listings.submissions import listing_fields
from clinic_finder.listings.validation import LABELS, Level, validate_listing
from clinic_finder.models import (
    Clinician,
    ImportDifference,
    ImportOrigin,
    ListingStatus,
    NpiDeactivation,
    Provider,
    RequestStatus,
    User,
)
from clinic_finder.staff import audit

NOTE_MAX = 500
# What puts a row in each queue: the queue pages and the dashboard's tiles (counts) read these, so they agree.
_TO_REVIEW = ImportOrigin.to_review.is_(True)
_DEACTIVATED = NpiDeactivation.status == RequestStatus.OPEN
_DIFFERENCES = ImportDifference.status == RequestStatus.OPEN


def counts() -> dict[str, int]:
    """Each queue's size, in one query: candidates to review, open deactivated-NPI flags, open differences."""
    def size(model, condition):
        return sa.select(sa.func.count()).select_from(model).where(condition).scalar_subquery()

    row = db.session.execute(sa.select(size(ImportOrigin, _TO_REVIEW).label("to_review"),
                                       size(NpiDeactivation, _DEACTIVATED).label("deactivated_npis"),
                                       size(ImportDifference, _DIFFERENCES).label("differences"))).one()
    return dict(row._mapping)


# --- candidates -------------------------------------------------------------------------------------------------

def candidates(page: int, per_page: int) -> Page:
    """Providers an import made that wait for an admin, oldest first."""
    return paginate(sa.select(ImportOrigin).where(_TO_REVIEW).order_by(ImportOrigin.id),
                    page, per_page, options=(joinedload(ImportOrigin.provider).selectinload(Provider.locations),
                                             joinedload(ImportOrigin.provider).selectinload(Provider.clinicians)
                                             .selectinload(Clinician.licenses)))


def get_candidate(origin_id: int) -> ImportOrigin | None:
    origin = db.session.get(ImportOrigin, origin_id)
    return origin if origin is not None and origin.to_review else None


def publish_candidate(origin: ImportOrigin, actor: User, ip_address: str | None = None) -> Provider:
    """Publish a candidate an admin completed; DecisionError listing what a patient still needs otherwise."""
    provider = origin.provider
    try:
        validate_listing(listing_fields(provider), Level.PUBLISHABLE)
    except InvalidInput as exc:
        problems = "; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in exc.errors.items())
        raise DecisionError(f"{provider.name} is not ready to publish ({problems}). Complete the listing first.") \
            from None
    provider.listing_status = ListingStatus.PUBLISHED
    origin.to_review = False
    audit.record(actor, "import_candidate.publish", "provider", provider.id,
                 before={"listing_status": "pending", "source": origin.source_label},
                 after={"listing_status": "published"}, ip_address=ip_address)
    db.session.commit()
    return provider


def merge_candidate(origin: ImportOrigin, target_id: int, actor: User, ip_address: str | None = None) -> Provider:
    """Merge a candidate into a listing we hold: its clinicians (and their licenses) the listing lacks move over,
    future imports of its NPI update that listing's licenses only, and the candidate is deleted."""
    candidate = origin.provider
    target = db.session.get(Provider, target_id)
    if target is None or target.id == candidate.id:
        raise DecisionError(f"There is no other listing #{target_id} to merge into.")
    if target.is_demo:
        raise DecisionError(f"#{target_id} is a fictional demo listing; nothing real is merged into demo data.")
    held_npis = {c.npi for c in target.clinicians if c.npi}
    moved = [c for c in candidate.clinicians if c.npi not in held_npis]
    for clinician in moved:
        candidate.clinicians.remove(clinician)
        target.clinicians.append(clinician)
    db.session.execute(sa.update(NpiDeactivation).where(NpiDeactivation.provider_id == candidate.id)
                       .values(provider_id=target.id))
    origin.provider = target
    origin.to_review = False
    # The file describes the person or the organization, not this listing: only licenses follow it from now on.
    origin.details = {**(origin.details or {}), "merged_into": target.id}
    audit.record(actor, "import_candidate.merge", "provider", target.id,
                 before={"candidate_id": candidate.id, "candidate_name": candidate.name, "source": origin.source_label},
                 after={"clinicians_moved": [c.full_name for c in moved]}, ip_address=ip_address)
    db.session.flush()
    db.session.delete(candidate)
    db.session.commit()
    return target


# --- deactivated NPIs -------------------------------------------------------------------------------------------

def open_deactivations(page: int, per_page: int) -> Page:
    return paginate(sa.select(NpiDeactivation).where(_DEACTIVATED)
                    .order_by(NpiDeactivation.id), page, per_page,
                    options=(joinedload(NpiDeactivation.provider), joinedload(NpiDeactivation.clinician)))


@cache
def _open_flags_of_provider() -> sa.Select:
    # Built once per process (building it cost more than running it). A flag's clinician is the profile's own, already
    # in the session: reading flag.clinician takes it from there without a statement.
    return (sa.select(NpiDeactivation)
            .where(NpiDeactivation.provider_id == sa.bindparam("provider_id"), _DEACTIVATED)
            .order_by(NpiDeactivation.deactivated_on, NpiDeactivation.id))


def deactivations_on_profile(provider_id: int) -> list[NpiDeactivation]:
    """The open flags a profile shows."""
    return list(db.session.scalars(_open_flags_of_provider(), {"provider_id": provider_id}))


def get_deactivation(flag_id: int) -> NpiDeactivation | None:
    flag = db.session.get(NpiDeactivation, flag_id)
    return flag if flag is not None and flag.status == RequestStatus.OPEN else None


def resolve_deactivation(flag: NpiDeactivation, note: str, actor: User, ip_address: str | None = None) -> None:
    """Close a flag once the listing is dealt with (clinician removed, listing suspended, NPI reactivated)."""
    note = (note or "").strip()
    if not note:
        raise DecisionError("Please say what was done (e.g. clinician removed, listing suspended).")
    if len(note) > NOTE_MAX:
        raise DecisionError(f"Please keep the note under {NOTE_MAX} characters.")
    flag.status, flag.resolution_note = RequestStatus.RESOLVED, note
    flag.resolved_at, flag.resolved_by_id = datetime.now(UTC), actor.id
    audit.record(actor, "npi_deactivation.resolve", "provider", flag.provider_id,
                 before={"npi": flag.npi, "status": "open"}, after={"status": "resolved", "note": note},
                 ip_address=ip_address)
    db.session.commit()


# --- differences ------------------------------------------------------------------------------------------------

def open_differences(page: int, per_page: int) -> Page:
    return paginate(sa.select(ImportDifference).where(_DIFFERENCES)
                    .order_by(ImportDifference.id), page, per_page,
                    options=(joinedload(ImportDifference.provider),))


def get_difference(difference_id: int) -> ImportDifference | None:
    difference = db.session.get(ImportDifference, difference_id)
    return difference if difference is not None and difference.status == RequestStatus.OPEN else None


def decide_difference(difference: ImportDifference, accept: bool, actor: User, ip_address: str | None = None) -> None:
    """Take the file's value (through the admin edit, with its rules and audit) or keep ours."""
    provider = db.session.get(Provider, difference.provider_id,
                              options=(selectinload(Provider.locations), selectinload(Provider.checklist_items)))
    if accept:
        data = {**listing_fields(provider), difference.field: difference.incoming_value}
        try:
            edit_listing(provider, data, provider.listing_status, actor, ip_address=ip_address)
        except InvalidInput as exc:
            db.session.rollback()
            raise DecisionError("The file's value breaks a listing rule: "
                                + "; ".join(exc.errors.values())) from None
    difference.status = RequestStatus.RESOLVED if accept else RequestStatus.DISMISSED
    difference.decided_at, difference.decided_by_id = datetime.now(UTC), actor.id
    audit.record(actor, "import_difference.accept" if accept else "import_difference.dismiss", "provider",
                 provider.id, before={difference.field: difference.current_value},
                 after={difference.field: difference.incoming_value if accept else difference.current_value},
                 ip_address=ip_address)
    db.session.commit()
