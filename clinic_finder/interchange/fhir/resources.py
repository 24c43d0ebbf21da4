"""A published provider as Plan-Net resources: Organization, HealthcareService, Locations (its clinics, and the
states it treats at home as coverage areas), Practitioners with their valid licenses, and a PractitionerRole tying
each clinician to the organization, its locations and its service.

Ids are the stored uuids HSDS uses (a Location's id is the HSDS location's), so the two exports name one provider
alike. Plan-Net lists only active resources (active is fixed to true): a provider whose license standing keeps
patients away is left out, and a qualification is only a license that counts as verified today.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from clinic_finder.geo.states import state_name
from clinic_finder.interchange import nucc
from clinic_finder.interchange.fhir import plannet
from clinic_finder.interchange.hsds.ids import child_id, defined_id
from clinic_finder.interchange.hsds.objects import location_id
from clinic_finder.interchange.last_modified import last_modified
from clinic_finder.interchange.standing import standing_for
from clinic_finder.licensing.npi import is_valid_npi
from clinic_finder.licensing.status import status_on
from clinic_finder.models import Clinician, License, LicenseStatus, Location, Provider
from clinic_finder.vetting.trust import summary_of
from clinic_finder.wording import price_per_session

# When the state coverage-area Locations (defined here, not stored) were last changed.
STATE_AREAS_UPDATED = datetime(2026, 12, 7, tzinfo=UTC)


def _ref(resource_id: str) -> dict:
    """A reference that resolves inside the bundle: every entry's fullUrl is urn:uuid:<id> (ids are uuids)."""
    return {"reference": f"urn:uuid:{resource_id}"}


def _meta(name: str, updated: datetime) -> dict:
    return {"profile": [plannet.profile(name)], "lastUpdated": updated.isoformat(timespec="seconds")}


def _coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _specialty(clinician: Clinician) -> dict:
    s = nucc.specialty_of(clinician)
    return _coding(nucc.SYSTEM, s.code, s.display)


def _telecom(p: Provider) -> list[dict]:
    out = []
    for system, value in (("phone", p.phone), ("email", p.email), ("url", p.website)):
        if value:
            out.append({"system": system, "value": value, "use": "work", "rank": len(out) + 1})
    return out


def _address(loc: Location) -> dict:
    return {"use": "work", "type": "physical", "line": [x for x in (loc.address_line1, loc.address_line2) if x],
            "city": loc.city, "state": loc.state, "postalCode": loc.zip_code, "country": "US"}


def _new_patients(accepting: bool) -> dict:
    code, display = plannet.ACCEPTING[accepting]
    return {"url": plannet.extension("newpatients"), "extension": [{
        "url": "acceptingPatients",
        "valueCodeableConcept": _coding(plannet.code_system("AcceptingPatientsCS"), code, display)}]}


def _without_empty(resource: dict) -> dict:
    """FHIR forbids empty arrays and strings: an unknown element is left out."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def organization(p: Provider, updated: datetime) -> dict:
    identifiers = [{"system": plannet.URI_SYSTEM, "value": f"urn:uuid:{p.organization_uuid}"}]
    npi = next((i.value for i in p.checklist_items if i.key == "npi"), None)
    if npi and is_valid_npi(npi):
        identifiers.insert(0, {"system": plannet.NPI_SYSTEM, "value": npi,
                               "type": _coding("http://terminology.hl7.org/CodeSystem/v2-0203", "NPI",
                                               "National provider identifier")})
    addresses = [_address(loc) for loc in p.locations] or [
        {"text": "At-home (telehealth) provider without a clinic address", "country": "US"}]
    return _without_empty({
        "resourceType": "Organization", "id": p.organization_uuid, "meta": _meta("Organization", updated),
        "extension": [{"url": plannet.extension("org-description"), "valueString": p.description}]
        if p.description else [],
        "identifier": identifiers, "active": True, "type": [{"coding": [plannet.ORGANIZATION_TYPE]}],
        "name": p.name, "telecom": _telecom(p), "address": addresses,
    })


def location(p: Provider, loc: Location, updated: datetime) -> dict:
    resource = {
        "resourceType": "Location", "id": location_id(loc), "meta": _meta("Location", updated),
        "extension": [_new_patients(loc.accepting_new_patients)], "status": "active",
        "name": loc.label or p.name, "telecom": _telecom(p)[:1], "address": _address(loc),
        "managingOrganization": _ref(p.organization_uuid),
    }
    if loc.lat is not None and loc.lon is not None:
        resource["position"] = {"latitude": loc.lat, "longitude": loc.lon}
    return _without_empty(resource)


def state_area(state: str) -> dict:
    """A state as a place (HealthcareService.coverageArea takes Plan-Net Locations): one per state, shared."""
    return {"resourceType": "Location", "id": defined_id("state-area", state),
            "meta": _meta("Location", STATE_AREAS_UPDATED), "status": "active", "name": state_name(state),
            "description": f"The state of {state_name(state)}, where at-home (telehealth) treatment is offered",
            "physicalType": _coding(plannet.LOCATION_PHYSICAL_TYPE_SYSTEM, "jdn", "Jurisdiction"),
            "address": {"state": state, "country": "US"}}


def healthcare_service(p: Provider, updated: datetime, today: date) -> dict:
    summary = summary_of(p, today)  # the one trust summary, as it stands today
    delivery = [plannet.DELIVERY[kind] for kind, offered in (("physical", p.offers_in_clinic),
                                                            ("virtual", p.offers_at_home)) if offered]
    specialties = {nucc.specialty_of(c).code: _specialty(c) for c in p.clinicians}
    types = []
    for condition in p.conditions:
        if condition in plannet.SERVICE_TYPES:
            code, display = plannet.SERVICE_TYPES[condition]
            types.append(_coding(plannet.SERVICE_TYPE_SYSTEM, code, display))
        else:
            types.append({"text": condition.label})
    details = (f"License status: {summary.license_status.label}. {summary.checks_text.capitalize()}. "
               f"Free consultation: {'yes' if p.free_consultation else 'no'}.")
    if p.price_min_usd is not None:
        details += f" {price_per_session(p.price_min_usd, p.price_max_usd)}; insurance usually does not pay."
    accepting = p.offers_at_home or any(loc.accepting_new_patients for loc in p.locations)
    return _without_empty({
        "resourceType": "HealthcareService", "id": p.uuid, "meta": _meta("HealthcareService", updated),
        "extension": [_new_patients(accepting)] + [
            {"url": plannet.extension("delivery-method"), "extension": [{
                "url": "type", "valueCodeableConcept": _coding(plannet.code_system("DeliveryMethodCS"),
                                                               kind.lower(), kind)}]} for kind in delivery],
        "active": True, "providedBy": _ref(p.organization_uuid),
        "category": [{"coding": [plannet.SERVICE_CATEGORY]}],
        "type": types, "specialty": list(specialties.values()),
        "location": [_ref(location_id(loc)) for loc in p.locations],
        "name": p.name, "comment": p.description, "extraDetails": details, "telecom": _telecom(p),
        "coverageArea": [_ref(defined_id("state-area", s)) for s in p.states_served],
        "characteristic": [{"text": r.label} for r in p.routes],
        "appointmentRequired": True,
    })


def _qualification(lic: License) -> dict:
    system, code, display = plannet.QUALIFICATION[lic.credential]
    period = _without_empty({"start": lic.issued_on.isoformat() if lic.issued_on else None,
                             "end": lic.expires_on.isoformat() if lic.expires_on else None})
    return _without_empty({
        "extension": [{"url": plannet.extension("practitioner-qualification"), "extension": [
            {"url": "status", "valueCode": "active"},
            {"url": "whereValid", "valueCodeableConcept": _coding(plannet.USPS_SYSTEM, lic.state,
                                                                  state_name(lic.state))}]}],
        "identifier": [{"system": f"urn:clinic-finder:license-board:{lic.state}", "value": lic.license_number}],
        "code": _coding(system, code, display),
        "period": period,
        "issuer": {"display": f"{state_name(lic.state)} licensing board"},
    })


def _name(full_name: str) -> dict:
    parts = full_name.split()
    return _without_empty({"use": "official", "text": full_name, "family": parts[-1] if parts else full_name,
                           "given": parts[:-1]})


def practitioner(c: Clinician, updated: datetime, today: date) -> dict:
    identifiers = [{"system": plannet.NPI_SYSTEM, "value": c.npi}] if c.npi else []
    identifiers.append({"system": plannet.URI_SYSTEM, "value": f"urn:uuid:{c.uuid}"})
    return _without_empty({
        "resourceType": "Practitioner", "id": c.uuid, "meta": _meta("Practitioner", updated),
        "identifier": identifiers, "active": True, "name": [_name(c.full_name)],
        "qualification": [_qualification(lic) for lic in c.licenses
                          if status_on(lic, today) == LicenseStatus.VERIFIED],
    })


def practitioner_role(p: Provider, c: Clinician, updated: datetime) -> dict:
    code, display = plannet.ROLE[c.credential]
    return _without_empty({
        "resourceType": "PractitionerRole", "id": child_id(c.uuid, "role"), "meta": _meta("PractitionerRole", updated),
        "active": True, "practitioner": _ref(c.uuid), "organization": _ref(p.organization_uuid),
        "code": [_coding(plannet.code_system("ProviderRoleCS"), code, display)],
        "specialty": [_specialty(c)],
        "location": [_ref(location_id(loc)) for loc in p.locations],
        "healthcareService": [_ref(p.uuid)],
        "telecom": [{"system": "phone", "value": p.phone}] if p.phone else [],
    })


def resources_for(p: Provider, today: date | None = None) -> Iterator[dict]:
    """The provider's Plan-Net resources (none when its license standing keeps patients away); the state
    coverage areas it names are state_area() resources the bundle adds once."""
    today = today or datetime.now(UTC).date()
    if not standing_for(summary_of(p, today).license_status).open_to_patients:
        return
    updated = last_modified(p, today)
    yield organization(p, updated)
    yield healthcare_service(p, updated, today)
    for loc in p.locations:
        yield location(p, loc, updated)
    for c in p.clinicians:
        yield practitioner(c, updated, today)
        yield practitioner_role(p, c, updated)
