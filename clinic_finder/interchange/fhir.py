"""FHIR R4: a `collection` Bundle with an Organization, HealthcareService, Locations and Practitioners (with their
license qualifications) per published provider. Only public directory facts are exported.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from clinic_finder.models import LicenseStatus, Provider
from clinic_finder.vetting.trust import summary_of
from clinic_finder.wording import usd_range

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
LICENSE_SYSTEM_PREFIX = "urn:clinic-finder:license:"  # + state; demo numbers are DEMO-ST-000000


def _org(p: Provider) -> dict:
    telecom = []
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone, "use": "work"})
    if p.email:
        telecom.append({"system": "email", "value": p.email, "use": "work"})
    if p.website:
        telecom.append({"system": "url", "value": p.website, "use": "work"})
    return {"resourceType": "Organization", "id": f"org-{p.id}", "active": p.is_published, "name": p.name,
            "telecom": telecom}


def _location(p: Provider, loc) -> dict:
    resource = {
        "resourceType": "Location", "id": f"loc-{loc.id}", "status": "active", "name": loc.label or p.name,
        "mode": "instance", "managingOrganization": {"reference": f"Organization/org-{p.id}"},
        "address": {"use": "work", "type": "physical",
                    "line": [x for x in (loc.address_line1, loc.address_line2) if x],
                    "city": loc.city, "state": loc.state, "postalCode": loc.zip_code, "country": "US"},
    }
    if loc.lat is not None and loc.lon is not None:
        resource["position"] = {"latitude": loc.lat, "longitude": loc.lon}
    return resource


def _service(p: Provider) -> dict:
    summary = summary_of(p)  # the one trust summary, as it stands today
    resource = {
        "resourceType": "HealthcareService", "id": f"svc-{p.id}", "active": p.is_published,
        "providedBy": {"reference": f"Organization/org-{p.id}"}, "name": p.name,
        "comment": p.description or "",
        "location": [{"reference": f"Location/loc-{loc.id}"} for loc in p.locations],
        "specialty": [{"text": c.label} for c in p.conditions],
        "type": [{"text": r.label} for r in p.routes],
        "appointmentRequired": True,
        "extraDetails": f"License status: {summary.license_status.label}. {summary.checks_text.capitalize()}. "
                        f"Free consultation: {'yes' if p.free_consultation else 'no'}.",
    }
    if p.states_served:
        resource["coverageArea"] = [{"display": f"At-home treatment in {s}"} for s in p.states_served]
    if p.price_min_usd is not None:
        resource["program"] = [{"text": f"{usd_range(p.price_min_usd, p.price_max_usd)} per session"}]
    return resource


def _practitioner(clinician) -> dict:
    identifiers = []
    if clinician.npi:
        identifiers.append({"system": NPI_SYSTEM, "value": clinician.npi})
    qualifications = []
    for lic in clinician.licenses:
        q = {
            "identifier": [{"system": LICENSE_SYSTEM_PREFIX + lic.state, "value": lic.license_number}],
            "code": {"text": f"{lic.credential.value} license ({lic.state}) — {lic.status.label}"},
        }
        period = {}
        if lic.issued_on:
            period["start"] = lic.issued_on.isoformat()
        if lic.expires_on:
            period["end"] = lic.expires_on.isoformat()
        if period:
            q["period"] = period
        qualifications.append(q)
    return {
        "resourceType": "Practitioner", "id": f"pract-{clinician.id}",
        "active": all(lic.status not in (LicenseStatus.REVOKED, LicenseStatus.EXPIRED) for lic in clinician.licenses),
        "name": [{"text": clinician.full_name}], "identifier": identifiers, "qualification": qualifications,
    }


def resources_for(p: Provider) -> Iterator[dict]:
    yield _org(p)
    yield _service(p)
    for loc in p.locations:
        yield _location(p, loc)
    for clinician in p.clinicians:
        yield _practitioner(clinician)


def export_bundle(providers: Iterable[Provider]) -> dict:
    entries = [{"fullUrl": f"urn:clinic-finder:{r['resourceType']}/{r['id']}", "resource": r}
               for p in providers for r in resources_for(p)]
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "entry": entries}
