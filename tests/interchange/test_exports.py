"""Exports: HSDS validates against the shipped HSDS 3.0 schema, FHIR is a well-formed Bundle, CSV round-trips."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from clinic_finder.models import ListingStatus

# Shipped beside the tests (see tests/data/hsds-3.0/README.md) so the check never silently skips.
HSDS = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0" / "compiled_service_with_definitions.json"


def _hsds_validator():
    return jsonschema.Draft7Validator(json.loads(HSDS.read_text()), format_checker=jsonschema.FormatChecker())


@pytest.fixture
def directory(make_provider, add_license, add_review):
    clinic = make_provider("Harbor Infusions", phone="(212) 555-0100", website="https://harbor.example",
                           at_home=True, states_served=("NY", "NJ"), prescriber=False)
    add_license(clinic)
    add_review(clinic, 4, email="private-reviewer@example.org")
    make_provider("Hidden Pending Clinic", listing_status=ListingStatus.PENDING)
    return clinic


def test_hsds_export_validates_against_the_hsds_3_schema(runner, directory, tmp_path):
    out = tmp_path / "hsds.json"
    result = runner.invoke(args=["export", "--format", "hsds", "--output", str(out)])
    assert result.exit_code == 0, result.output
    services = json.loads(out.read_text())
    assert [s["name"] for s in services] == ["Harbor Infusions"]  # pending listings stay private
    validator = _hsds_validator()
    assert [e.message for s in services for e in validator.iter_errors(s)] == []
    service = services[0]
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "10001"
    assert {a["extent"] for a in service["service_areas"]} == {"NY", "NJ"}
    # The validator is strict enough to catch a broken record.
    broken = dict(service)
    del broken["status"]
    assert list(validator.iter_errors(broken))


def test_exports_never_contain_reviewer_contact_details(runner, directory, tmp_path):
    for fmt in ("hsds", "fhir", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert runner.invoke(args=["export", "--format", fmt, "--output", str(out)]).exit_code == 0
        assert "private-reviewer@example.org" not in out.read_text()


def test_fhir_export_is_a_collection_bundle_with_linked_resources(runner, directory, tmp_path):
    out = tmp_path / "fhir.json"
    assert runner.invoke(args=["export", "--format", "fhir", "--output", str(out)]).exit_code == 0
    bundle = json.loads(out.read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    resources = [e["resource"] for e in bundle["entry"]]
    kinds = {r["resourceType"] for r in resources}
    assert kinds == {"Organization", "HealthcareService", "Location", "Practitioner", "PractitionerRole"}
    ids = {e["fullUrl"] for e in bundle["entry"]}
    service = next(r for r in resources if r["resourceType"] == "HealthcareService")
    assert service["providedBy"]["reference"] in ids
    assert all(loc["reference"] in ids for loc in service["location"])
    practitioner = next(r for r in resources if r["resourceType"] == "Practitioner")
    assert practitioner["identifier"][0] == {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}


def test_csv_export_has_one_row_per_published_provider(runner, directory, tmp_path):
    out = tmp_path / "providers.csv"
    assert runner.invoke(args=["export", "--format", "csv", "--output", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 1
    assert rows[0]["modes"] == "in_clinic;at_home"
    assert rows[0]["license_status"] == "verified"
