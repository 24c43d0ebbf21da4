"""The one HSDS 3.0 serializer: a published provider as an Organization that provides one Service, at its clinics
(Locations, through ServiceAtLocations) and, for at-home treatment, in the states it serves (ServiceAreas).

The export and the API both call these functions. Only what the public profile shows is here: never reviewer
details, staff names, evidence files or anything from a listing that is not published.
"""
from __future__ import annotations

from datetime import date

from clinic_finder.geo.states import state_name
from clinic_finder.interchange import nucc
from clinic_finder.interchange.hsds.ids import child_id
from clinic_finder.interchange.hsds.taxonomy import check_term, specialty_term
from clinic_finder.interchange.last_modified import last_modified
from clinic_finder.interchange.standing import standing_for
from clinic_finder.models import Clinician, Location, Provider
from clinic_finder.security import public_url
from clinic_finder.vetting.checklist import checklist_for
from clinic_finder.vetting.trust import summary_of
from clinic_finder.wording import price_per_session

FEES = "Insurance usually does not cover ketamine for these conditions (off-label use)."


def _without_empty(record: dict) -> dict:
    """HSDS checks formats (email, uri, uuid): an unknown optional value is left out, never sent as '' or null."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def organization_id(p: Provider) -> str:
    return p.organization_uuid


def profile_url(p: Provider) -> str:
    return public_url("public.provider_profile", provider_id=p.id)


# --- Service ---------------------------------------------------------------------------------------------------

def service_list_item(p: Provider, today: date | None = None) -> dict:
    """The service's one-to-one fields and its organization (the /services list, compiled/service_list.json)."""
    summary = summary_of(p, today)  # the one trust summary, as it stands today
    standing = standing_for(summary.license_status)
    fees = FEES + (" A superbill is offered for out-of-network claims." if p.superbill_offered else "")
    return _without_empty({
        "id": p.uuid,
        "organization_id": organization_id(p),
        "name": p.name,
        "description": p.description or p.name,
        "url": p.website,
        "email": p.email,
        "status": standing.status,
        "alert": standing.alert,
        "application_process": (f"Request a {'free ' if p.free_consultation else ''}consultation from the "
                                f"provider's page: {profile_url(p)}"),
        "fees_description": fees,
        "licenses": f"License status: {summary.license_status.label}; {summary.checks_text}.",
        "assured_date": summary.last_verified_at.date().isoformat() if summary.last_verified_at else None,
        "last_modified": last_modified(p, today).isoformat(timespec="seconds"),
        "organization": organization_list_item(p),
    })


def minimal_service(p: Provider, today: date | None = None) -> dict:
    """`minimal=true`: what a consumer needs to see what changed (id and last_modified), plus the name and status
    the service list schema requires of every service."""
    full = service_list_item(p, today)
    return {key: full[key] for key in ("id", "name", "status", "last_modified")}


def service_json(p: Provider, today: date | None = None) -> dict:
    """The fully nested service (compiled/service.json): the export's record and /services/{id}."""
    service_id = p.uuid
    out = service_list_item(p, today)
    out.update(_without_empty({
        "phones": _phones(p, service_id=service_id),
        "contacts": [_contact(c, service_id) for c in p.clinicians],
        "cost_options": _cost_options(p),
        "service_areas": [_service_area(p, state) for state in p.states_served],
        "service_at_locations": [service_at_location_json(p, loc, nested_service=False) for loc in p.locations],
        "attributes": _checklist_attributes(p, today),
        "languages": [{"id": child_id(service_id, "language", "en"), "service_id": service_id, "name": "English",
                       "code": "en"}],
    }))
    return out


def _phones(p: Provider, **link) -> list[dict]:
    if not p.phone:
        return []
    owner = next(iter(link.values()))
    return [{"id": child_id(owner, "phone"), **link, "number": p.phone, "type": "voice"}]


def _cost_options(p: Provider) -> list[dict]:
    if p.price_min_usd is None:
        return []
    return [{"id": child_id(p.uuid, "cost"), "service_id": p.uuid, "option": "Per session", "currency": "USD",
             "amount": p.price_min_usd,
             "amount_description": price_per_session(p.price_min_usd, p.price_max_usd)}]


def _service_area(p: Provider, state: str) -> dict:
    return {"id": child_id(p.uuid, "service_area", state), "service_id": p.uuid, "name": state_name(state),
            "description": f"At-home (telehealth) treatment for patients in {state_name(state)}",
            "extent_type": "text", "extent": state}


def _attribute(link_id: str, link_type: str, term, value: str) -> dict:
    return {"id": child_id(link_id, "attribute", term.id), "link_id": link_id, "link_type": link_type,
            "link_entity": link_type, "taxonomy_term_id": term.id, "taxonomy_term": term.as_json(), "value": value}


def _shown_checks(p: Provider, today: date | None):
    """The checklist facts the profile shows (a check with no answer is not an attribute)."""
    return [check for check in checklist_for(p, today=today).items if check.provided]


def _checklist_attributes(p: Provider, today: date | None) -> list[dict]:
    """One attribute per checklist fact the profile shows, tied to its checklist term."""
    out = []
    for check in _shown_checks(p, today):
        value = f"{check.display} (source: {check.source.label if check.source else 'not given'}"
        value += f", verified {check.verified_at.date().isoformat()})" if check.verified and check.verified_at else ")"
        out.append(_attribute(p.uuid, "service", check_term(check.key), value))
    return out


def term_ids(p: Provider, today: date | None = None) -> set[str]:
    """The taxonomy terms the service's attributes carry (its checks and its clinicians' specialties), with the
    groups and taxonomies above them: what the API's taxonomy filters match."""
    terms = [check_term(c.key) for c in _shown_checks(p, today)]
    terms += [specialty_term(nucc.specialty_of(c).code) for c in p.clinicians]
    return {t.id for t in terms} | {t.parent_id for t in terms if t.parent_id} | {t.taxonomy.id for t in terms}


def _contact(c: Clinician, service_id: str) -> dict:
    """A clinician, with their NUCC specialty as an attribute."""
    specialty = nucc.specialty_of(c)
    title = ", ".join(x for x in (c.title, c.credential.value) if x)
    return _without_empty({
        "id": c.uuid, "service_id": service_id, "name": c.full_name, "title": title,
        "attributes": [_attribute(c.uuid, "contact", specialty_term(specialty.code),
                                  f"{specialty.display} ({specialty.code})")],
    })


# --- Locations -------------------------------------------------------------------------------------------------

def location_id(loc: Location) -> str:
    return child_id(loc.uuid, "location")


def location_json(p: Provider, loc: Location) -> dict:
    lid = location_id(loc)
    location = {
        "id": lid,
        "location_type": "physical",
        "organization_id": organization_id(p),
        "name": loc.label or p.name,
        "addresses": [_without_empty({
            "id": child_id(loc.uuid, "address"), "location_id": lid,
            "address_1": loc.address_line1, "address_2": loc.address_line2, "city": loc.city,
            "state_province": loc.state, "postal_code": loc.zip_code, "country": "US", "address_type": "physical",
        })],
        "phones": _phones(p, location_id=lid),
    }
    if loc.lat is not None and loc.lon is not None:
        location["latitude"], location["longitude"] = loc.lat, loc.lon
    return _without_empty(location)


def service_at_location_json(p: Provider, loc: Location, *, nested_service: bool, today: date | None = None,
                             with_location: bool = True) -> dict:
    """The service at one clinic; nested_service adds the service's one-to-one fields (the /service_at_locations
    list with full=true and /service_at_locations/{id})."""
    out = {"id": loc.uuid, "service_id": p.uuid, "location_id": location_id(loc),
           "description": f"{p.name} at {loc.one_line}" + ("" if loc.accepting_new_patients
                                                           else " (not accepting new patients)")}
    if with_location:
        out["location"] = location_json(p, loc)
    if nested_service:
        out["service"] = service_list_item(p, today)
    return out


# --- Organization ----------------------------------------------------------------------------------------------

def organization_list_item(p: Provider) -> dict:
    return _without_empty({"id": organization_id(p), "name": p.name, "description": p.description or p.name,
                           "email": p.email, "website": p.website, "uri": profile_url(p)})


def organization_json(p: Provider, *, full_service: bool, today: date | None = None) -> dict:
    """The fully nested organization (compiled/organization.json); its one service by id and name, or whole."""
    out = organization_list_item(p)
    service = service_json(p, today) if full_service else {
        key: value for key, value in service_list_item(p, today).items() if key in ("id", "name", "status")}
    out.update(_without_empty({
        "phones": _phones(p, organization_id=out["id"]),
        "locations": [location_json(p, loc) for loc in p.locations],
        "services": [service],
    }))
    return out
