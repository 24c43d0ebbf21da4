"""Fixtures for the profiles feature: providers with fully verified, partly provided or stale checklists."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource, LicenseStatus
from clinic_finder.vetting import checklist as vetting
from tests import factories

SAMPLE_VALUES = {"bool": "yes", "int": "5", "text": "Anesthesiology", "choice": "compounded"}
# Plausible values where the kind alone would read oddly (fictional, for tests and screenshots).
SAMPLE_BY_KEY = {
    "years_offering_ketamine": "6",
    "treatments_given": "4000",
    "board_certification": "American Board of Anesthesiology",
    "licenses_verified": "All licenses verified with the state boards",
    "npi": "1234567893",
    "response_time": "Within 1 business day",
    "review_summary": "Mostly positive",
    "monitored_recovery": "45",
}


def fill_checklist(provider, source=ChecklistSource.ADMIN_VERIFIED, verified_days_ago=12, skip=()):
    """Give every applicable check a value from one source (admin-verified ones dated days ago).

    Derived checks are not typed in (issue 14): "licenses on file and verified" comes from the licenses (a verified
    one is added when the provider has none) and the review summary from published reviews (none here)."""
    verified = source == ChecklistSource.ADMIN_VERIFIED
    when = datetime.now(UTC) - timedelta(days=verified_days_ago) if verified else None
    for definition in vetting.definitions_for(provider):
        if definition.key in skip or definition.key in vetting.DERIVED_KEYS:
            continue
        value = SAMPLE_BY_KEY.get(definition.key, SAMPLE_VALUES[definition.kind])
        if definition.key == vetting.FREE_CONSULTATION_KEY:
            provider.free_consultation = value == "yes"
        vetting.set_check(provider, definition.key, value, source, verified_at=when,
                          verified_by="checker@example.org" if verified else None)
    if "licenses_verified" not in skip and not any(c.licenses for c in provider.clinicians):
        factories.add_license(provider, LicenseStatus.VERIFIED if verified else LicenseStatus.UNVERIFIED,
                              verified_at=when)
    db.session.commit()
    return provider


@pytest.fixture
def fill(db):
    return fill_checklist


def valid_listing(**overrides) -> dict:
    """Form data for a listing that passes every rule (a fictional practice)."""
    data = {
        "name": "Harbor Light Ketamine Clinic",
        "description": "Low-dose IV ketamine with monitoring before, during and after each session.",
        "website": "https://harbor-light.example",
        "phone": "(212) 555-0123",
        "email": "hello@harbor-light.example",
        "offers_in_clinic": "y",
        "address_line1": "12 Harbor St",
        "city": "New York",
        "state": "NY",
        "zip_code": "10001",
        "routes": ["iv"],
        "conditions": ["depression", "anxiety"],
        "price_min_usd": "450",
        "price_max_usd": "650",
        "free_consultation": "y",
        "session_length_minutes": "120",
        "medical_director_npi": "1234567893",
        "submitter_name": "Sam Rivera",
        "submitter_email": "sam@harbor-light.example",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
