"""Fixtures for the HSDS and FHIR tests: a small directory with what each rule needs, and validators built from the
unmodified HSDS 3.0 schemas shipped in tests/data/hsds-3.0 (format checks on)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource, Clinician, Credential, License, LicenseStatus, ListingStatus
from clinic_finder.vetting.checklist import set_check

HSDS_DIR = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# The official files, by the URLs the official API description refers to them by.
SCHEMA_FILES = {
    "compiled/service.json": "compiled/service.json",
    "compiled/service_list.json": "compiled/service_list.json",
    "compiled/organization.json": "compiled/organization.json",
    "compiled/organization_list.json": "compiled/organization_list.json",
    "compiled/service_at_location_list.json": "compiled/service_at_location_list.json",
    "taxonomy.json": "taxonomy.json",
    "taxonomy_term.json": "taxonomy_term.json",
}


def official_schema(name: str) -> dict:
    return json.loads((HSDS_DIR / SCHEMA_FILES[name]).read_text())


def _registry() -> Registry:
    resources = [(SCHEMA_BASE + name, Resource.from_contents(official_schema(name), default_specification=DRAFT202012))
                 for name in SCHEMA_FILES]
    return Registry().with_resources(resources)


def hsds_validator(name: str) -> jsonschema.Validator:
    """A validator for one official schema, its relative $refs resolved from the shipped copies, formats checked."""
    schema = {"$ref": SCHEMA_BASE + name}
    cls = jsonschema.Draft202012Validator
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


def errors_of(name: str, instance: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in hsds_validator(name).iter_errors(instance)]


@pytest.fixture
def directory(make_provider, add_license, add_review):
    """A clinic with verified facts, an at-home provider, one revoked, one expired and one unpublished."""
    clinic = make_provider("Harbor Infusions", phone="(212) 555-0100", website="https://harbor.example",
                           email="hello@harbor.example", description="A fictional infusion clinic.")
    lic = add_license(clinic, credential=Credential.MD)
    lic.clinician.specialty = "Anesthesiology"
    lic.clinician.title = "Medical director"
    set_check(clinic, "emergency_protocol", "yes", ChecklistSource.ADMIN_VERIFIED,
              verified_at=lic.verified_at, verified_by="staff@example.org")
    set_check(clinic, "years_offering_ketamine", "6", ChecklistSource.SELF_REPORTED)
    add_review(clinic, 5)
    home = make_provider("Lakeside Telehealth", in_clinic=False, at_home=True, states_served=("NY", "NJ"),
                         routes=("oral",))
    revoked = make_provider("Revoked Clinic", zip_code="10002", lat=40.7157, lon=-73.9863)
    add_license(revoked, LicenseStatus.REVOKED)
    expired = make_provider("Expired Clinic", zip_code="11201", lat=40.6940, lon=-73.9903)
    add_license(expired, LicenseStatus.EXPIRED, expires_on=date.today() - timedelta(days=30))
    make_provider("Hidden Pending Clinic", listing_status=ListingStatus.PENDING)
    db.session.commit()
    return {"clinic": clinic, "home": home, "revoked": revoked, "expired": expired}


def add_clinician(provider, credential: Credential, specialty: str | None = None) -> Clinician:
    clinician = Clinician(full_name=f"Dana {credential.value}", credential=credential, specialty=specialty)
    clinician.licenses = [License(credential=credential, state="NY", license_number="DEMO-NY-000999",
                                  status=LicenseStatus.UNVERIFIED, expires_on=date.today() + timedelta(days=300))]
    provider.clinicians.append(clinician)
    db.session.commit()
    return clinician
