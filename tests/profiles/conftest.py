"""Fixtures for the profiles feature: providers with fully verified, partly provided or stale checklists."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource
from clinic_finder.vetting import checklist as vetting

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
    """Give every applicable check a value from one source (admin-verified ones dated days ago)."""
    when = datetime.now(UTC) - timedelta(days=verified_days_ago) if source == ChecklistSource.ADMIN_VERIFIED else None
    for definition in vetting.definitions_for(provider):
        if definition.key in skip:
            continue
        value = SAMPLE_BY_KEY.get(definition.key, SAMPLE_VALUES[definition.kind])
        vetting.set_check(provider, definition.key, value, source, verified_at=when)
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
