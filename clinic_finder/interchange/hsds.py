"""Open Referral HSDS 3.0: each published provider as one compiled Service with its Organization and Locations.

IDs are stable UUIDs derived from our ids (uuid5), so a consumer can diff two exports. Vetting facts travel as
`attributes` with their source and verification date in the value text; reviewer data never leaves.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from clinic_finder.geo.states import state_name
from clinic_finder.models import Provider
from clinic_finder.vetting.checklist import checklist_for
from clinic_finder.vetting.trust import summary_of

NAMESPACE = uuid.UUID("6f1f7f0e-4c1e-5b8a-9d51-3c0f1f0ad001")


def _id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _status(p: Provider) -> str:
    return "active" if p.is_published else "inactive"


def service_for(p: Provider) -> dict:
    service_id = _id("service", p.id)
    org_id = _id("organization", p.id)
    phones = [{"id": _id("phone", p.id), "number": p.phone, "type": "voice"}] if p.phone else []
    cost_options = []
    if p.price_min_usd is not None:
        cost_options.append({
            "id": _id("cost", p.id),
            "service_id": service_id,
            "option": "Per session",
            "currency": "USD",
            "amount": float(p.price_min_usd),
            "amount_description": (
                f"${p.price_min_usd}–${p.price_max_usd} per session"
                if p.price_max_usd and p.price_max_usd != p.price_min_usd
                else f"${p.price_min_usd} per session"
            ),
        })
    service_areas = [
        {"id": _id("area", f"{p.id}:{s}"), "service_id": service_id, "name": state_name(s),
         "description": "At-home (telehealth) treatment for patients in this state", "extent_type": "text",
         "extent": s}
        for s in p.states_served
    ]
    sals = []
    for loc in p.locations:
        loc_id = _id("location", loc.id)
        location = {
            "id": loc_id,
            "location_type": "physical",
            "organization_id": org_id,
            "name": loc.label or p.name,
            "addresses": [{
                "id": _id("address", loc.id),
                "location_id": loc_id,
                "address_1": loc.address_line1,
                **({"address_2": loc.address_line2} if loc.address_line2 else {}),
                "city": loc.city,
                "state_province": loc.state,
                "postal_code": loc.zip_code,
                "country": "US",
                "address_type": "physical",
            }],
        }
        if loc.lat is not None and loc.lon is not None:
            location["latitude"], location["longitude"] = loc.lat, loc.lon
        sals.append({"id": _id("sal", loc.id), "service_id": service_id, "location_id": loc_id,
                     "location": location})
    summary = summary_of(p)  # the one trust summary, as it stands today
    attributes = []
    for check in checklist_for(p).items:
        if not check.provided:
            continue
        value = f"{check.display} (source: {check.source.label}"
        value += f", verified {check.verified_at.date().isoformat()})" if check.verified else ")"
        attributes.append({"id": _id("attribute", f"{p.id}:{check.key}"), "link_id": service_id,
                           "link_type": "service", "link_entity": "service",
                           "value": f"{check.definition.label}: {value}"})
    fees = "Insurance usually does not cover ketamine for these conditions (off-label use)."
    if p.superbill_offered:
        fees += " A superbill is offered for out-of-network claims."
    return _without_empty({
        "id": service_id,
        "organization_id": org_id,
        "name": p.name,
        "description": p.description or p.name,
        "url": p.website,
        "email": p.email,
        "status": _status(p),
        "fees_description": fees,
        "licenses": f"License status: {summary.license_status.label}; {summary.checks_text}",
        "organization": _without_empty({"id": org_id, "name": p.name, "description": p.description or p.name,
                                        "website": p.website, "email": p.email}),
        "phones": phones,
        "cost_options": cost_options,
        "service_areas": service_areas,
        "service_at_locations": sals,
        "attributes": attributes,
    })


def _without_empty(record: dict) -> dict:
    """HSDS validates formats (email, uri): an unknown optional value is left out, not sent as ''."""
    return {k: v for k, v in record.items() if v not in (None, "")}


def export_services(providers: Iterable[Provider]) -> Iterator[dict]:
    for p in providers:
        yield service_for(p)
