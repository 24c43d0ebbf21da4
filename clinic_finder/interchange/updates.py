"""Updating a provider we hold from a source that sent it before, without overwriting what someone here changed.

Three values meet for each field: what the source said last time (the origin's baseline), what we hold now, and
what the source says today. When what we hold still equals the baseline, nobody here touched the field and the
source's new value is taken. When it differs, an admin edited (or verified) it: the new value is not written but
recorded as an ImportDifference for an admin to accept or dismiss. Demo listings are never matched by any import.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings.approval import apply_listing
from clinic_finder.listings.submissions import listing_fields
from clinic_finder.models import ImportDifference, ImportOrigin, Provider, RequestStatus

# The listing fields a re-import may change (the medical director's NPI is a checklist fact, not a field here).
LISTING_FIELDS = ("name", "description", "website", "phone", "email", "offers_in_clinic", "offers_at_home",
                  "address_line1", "address_line2", "city", "state", "zip_code", "states_served", "routes",
                  "conditions", "price_min_usd", "price_max_usd", "free_consultation", "insurance_accepted",
                  "superbill_offered", "session_length_minutes")


def listing_of_record(record: dict[str, Any]) -> dict[str, Any]:
    """A validated provider record in the shape listing_fields() gives a provider (the first clinic's address)."""
    loc = record["locations"][0] if record.get("locations") else {}
    out = {field: record.get(field) for field in LISTING_FIELDS if field not in _LOCATION_AND_MODES}
    out.update({field: loc.get(field) for field in ("address_line1", "address_line2", "city", "state", "zip_code")})
    out["description"] = out.get("description") or None
    out["offers_in_clinic"] = "in_clinic" in record["modes"]
    out["offers_at_home"] = "at_home" in record["modes"]
    return out


_LOCATION_AND_MODES = {"address_line1", "address_line2", "city", "state", "zip_code", "offers_in_clinic",
                       "offers_at_home"}


def merge(provider: Provider, origin: ImportOrigin, incoming: dict[str, Any],
          fields: tuple[str, ...] = LISTING_FIELDS) -> tuple[list[str], int]:
    """Apply what the source changed to fields nobody here changed; record the rest. (updated fields, differences)"""
    current = listing_fields(provider)
    baseline = dict(origin.baseline or {})
    take: dict[str, Any] = {}
    differences = 0
    for field in fields:
        new, held = incoming.get(field), current.get(field)
        if new == held:
            continue
        if field in baseline and baseline[field] == held:
            take[field] = new
        elif _record_difference(provider.id, field, held, new, origin.source_label):
            differences += 1
    if take:
        apply_listing(provider, {**current, **take})
    origin.baseline = {**baseline, **{field: incoming.get(field) for field in fields}}
    return sorted(take), differences


def _record_difference(provider_id: int, field: str, held: Any, new: Any, source_label: str) -> bool:
    """A new open difference, unless the same one is already waiting (a monthly file repeats itself)."""
    waiting = db.session.scalars(sa.select(ImportDifference).where(
        ImportDifference.provider_id == provider_id, ImportDifference.field == field,
        ImportDifference.status == RequestStatus.OPEN)).all()
    for difference in waiting:
        if difference.incoming_value == new:
            return False
        difference.status = RequestStatus.DISMISSED  # superseded by what the source says now
    db.session.add(ImportDifference(provider_id=provider_id, field=field, current_value=held, incoming_value=new,
                                    source_label=source_label))
    return True
