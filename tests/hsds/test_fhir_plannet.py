"""The FHIR export is a Da Vinci PDex Plan-Net bundle: R4B structure (fhir.resources), and the Plan-Net profiles'
rules that matter here — fixed values, cardinalities, must-support elements we hold data for, and required
bindings — checked against the profiles as written in the implementation guide (HL7/davinci-pdex-plan-net,
input/fsh/PlanNet.fsh, ValueSets.fsh, CodeSystems.fsh, Extensions.fsh at commit 110118d). No Plan-Net validator
installs from the package registries, so the rules are transcribed here, each beside its source line."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from fhir.resources.R4B.bundle import Bundle

from clinic_finder.geo.states import STATES
from clinic_finder.interchange import nucc
from clinic_finder.models import Credential, LicenseStatus

from .conftest import add_clinician

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
PROFILES = {t: f"{PLAN_NET}/StructureDefinition/plannet-{t}"
            for t in ("Organization", "HealthcareService", "Location", "Practitioner", "PractitionerRole")}

# Must-support elements (PlanNet.fsh "MS") for which our records hold data, so each must be sent when it has one.
MUST_SUPPORT = {
    "Organization": ("active", "name", "type", "address", "telecom", "identifier"),
    "HealthcareService": ("active", "providedBy", "category", "specialty", "location", "name", "comment",
                          "telecom", "appointmentRequired", "type"),
    "Location": ("status", "name", "telecom", "address", "position", "managingOrganization"),
    "Practitioner": ("active", "identifier", "name", "qualification"),
    "PractitionerRole": ("active", "practitioner", "organization", "code", "specialty", "location",
                         "healthcareService", "telecom"),
}
# Required bindings, transcribed (ValueSets.fsh / CodeSystems.fsh).
HEALTHCARE_SERVICE_CATEGORY = {  # HealthcareServiceCategoryVS = HealthcareServiceCategoryCS minus #other
    "behav", "dent", "dme", "emerg", "group", "home", "hosp", "lab", "outpat", "prov", "pharm", "trans", "urg",
    "vis"}
ACCEPTING_PATIENTS = {"nopt", "newpt", "existptonly", "existptfam"}  # AcceptingPatientsVS
DELIVERY_METHODS = {"virtual", "physical"}  # DeliveryMethodVS
PROVIDER_ROLES = {  # PractitionerRoleVS: ProviderRoleCS (and HL7 practitioner-role, unused here)
    "ap", "apn", "at", "au", "bh", "ba", "bt", "cnw", "crnp", "ch", "cs", "co", "dp", "de", "drr", "dn", "om",
    "em", "ho", "lpn", "mt", "ma", "nh", "na", "nu", "ot", "op", "oo", "os", "rx", "pt", "ph", "pa", "po", "py",
    "rn", "rt", "sw", "sp", "sh", "te"}
# IndividualAndGroupSpecialtiesVS (PractitionerRole.specialty) ⊂ SpecialtiesVS (HealthcareService.specialty): the
# mental-health, anaesthesia, primary-care, nursing and counselling codes of it, transcribed.
INDIVIDUAL_SPECIALTIES = {
    "101Y00000X", "101YA0400X", "101YM0800X", "101YP2500X", "103T00000X", "103TC0700X", "103TC1900X",
    "104100000X", "1041C0700X", "163W00000X", "163WP0808X", "163WP0809X", "163WP0000X", "207L00000X",
    "207LP2900X", "207LA0401X", "207P00000X", "207Q00000X", "207R00000X", "2084P0800X", "2084P0802X",
    "2084P2900X", "2084N0400X", "208D00000X", "363A00000X", "363L00000X", "363LP0808X", "367500000X"}
NUCC = "http://nucc.org/provider-taxonomy"


@pytest.fixture
def bundle(runner, directory, tmp_path):
    add_clinician(directory["clinic"], Credential.NP, "Psychiatric mental health")
    add_clinician(directory["home"], Credential.PSYD)
    out = tmp_path / "fhir.json"
    result = runner.invoke(args=["export", "--format", "fhir", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _resources(bundle, kind=None):
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def _codes(concepts, system=None):
    return {c["code"] for concept in concepts for c in concept.get("coding", ()) if system in (None, c["system"])}


def _extensions(resource, name):
    return [e for e in resource.get("extension", ()) if e["url"] == f"{PLAN_NET}/StructureDefinition/{name}"]


def test_the_bundle_parses_as_fhir_r4b(bundle):
    parsed = Bundle.model_validate(bundle)
    assert len(parsed.entry) == len(bundle["entry"])


def test_every_reference_resolves_inside_the_bundle(bundle):
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"])

    def references(node):
        if isinstance(node, dict):
            if "reference" in node:
                yield node["reference"]
            for value in node.values():
                yield from references(value)
        elif isinstance(node, list):
            for value in node:
                yield from references(value)

    found = list(references(bundle))
    assert len(found) >= 20 and set(found) <= full_urls


def test_no_empty_arrays_strings_or_objects(bundle):
    def empties(node, path="Bundle"):
        if node in ([], {}, "", None):
            yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from empties(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from empties(value, f"{path}[{i}]")

    assert list(empties(bundle)) == []


def test_every_resource_claims_its_plan_net_profile_and_says_when_it_changed(bundle):
    for r in _resources(bundle):
        assert r["meta"]["profile"] == [PROFILES[r["resourceType"]]]
        assert r["meta"]["lastUpdated"].endswith("+00:00")


def test_providers_whose_license_keeps_patients_away_are_left_out(bundle):
    names = {r["name"] for r in _resources(bundle, "Organization")}
    assert names == {"Harbor Infusions", "Lakeside Telehealth"}  # not the revoked or expired clinics


def test_fixed_values_and_cardinalities(bundle):
    for kind in ("Organization", "HealthcareService", "Practitioner", "PractitionerRole"):
        assert all(r["active"] is True for r in _resources(bundle, kind))  # "* active = true"
    for r in _resources(bundle, "Location"):
        assert r["status"] == "active" and "mode" not in r and r["name"]  # status fixed, "mode 0..0", US Core name
    for r in _resources(bundle, "Organization"):
        assert r["type"] and r["address"] and r["name"]  # type 1..*, address 1..*
    for r in _resources(bundle, "HealthcareService"):
        assert r["category"]  # category 1..*
    for r in _resources(bundle, "Practitioner"):
        assert r["identifier"] and all(n["family"] for n in r["name"])  # US Core: identifier 1..*, name.family
        for q in r.get("qualification", ()):
            assert q["code"]  # qualification.code 1..1
    for r in _resources(bundle, "PractitionerRole"):
        assert r.get("practitioner") or r.get("organization")  # practitioner-or-organization-or-…
        assert all(t["system"] and t["value"] for t in r.get("telecom", ()))  # telecom.system/value 1..1


def test_must_support_elements_are_sent_when_we_hold_the_data(bundle):
    clinic_service = next(r for r in _resources(bundle, "HealthcareService") if r["name"] == "Harbor Infusions")
    for element in MUST_SUPPORT["HealthcareService"]:
        assert element in clinic_service, element
    clinic = next(r for r in _resources(bundle, "Organization") if r["name"] == "Harbor Infusions")
    for element in MUST_SUPPORT["Organization"]:
        assert element in clinic, element
    for r in _resources(bundle, "Location"):
        if "managingOrganization" in r:  # a clinic (state coverage areas are places, not premises)
            assert all(element in r for element in MUST_SUPPORT["Location"]), r["name"]
    for r in _resources(bundle, "Practitioner"):
        assert all(element in r for element in MUST_SUPPORT["Practitioner"] if element != "qualification")
    clinic_roles = [r for r in _resources(bundle, "PractitionerRole")
                    if r["organization"]["reference"] == f"urn:uuid:{clinic['id']}"]
    assert len(clinic_roles) == 2
    for r in clinic_roles:  # the at-home team has no clinic and no phone: no location or telecom to send
        assert all(element in r for element in MUST_SUPPORT["PractitionerRole"]), r["id"]
    verified = [r for r in _resources(bundle, "Practitioner") if r.get("qualification")]
    assert verified, "the clinic's verified license is a qualification"


def test_required_bindings_hold(bundle):
    for r in _resources(bundle, "HealthcareService"):
        assert _codes(r["category"]) <= HEALTHCARE_SERVICE_CATEGORY
        assert _codes(r.get("specialty", ()), NUCC) <= INDIVIDUAL_SPECIALTIES
        for ext in _extensions(r, "delivery-method"):
            [kind] = [e for e in ext["extension"] if e["url"] == "type"]
            assert _codes([kind["valueCodeableConcept"]]) <= DELIVERY_METHODS
    for kind in ("HealthcareService", "Location"):
        for r in _resources(bundle, kind):
            for ext in _extensions(r, "newpatients"):
                [accepting] = [e for e in ext["extension"] if e["url"] == "acceptingPatients"]
                assert _codes([accepting["valueCodeableConcept"]]) <= ACCEPTING_PATIENTS
    for r in _resources(bundle, "PractitionerRole"):
        assert _codes(r["code"]) <= PROVIDER_ROLES
        assert r["specialty"] and _codes(r["specialty"], NUCC) <= INDIVIDUAL_SPECIALTIES
    for r in _resources(bundle, "Practitioner"):
        for q in r.get("qualification", ()):
            [ext] = _extensions(q, "practitioner-qualification")
            parts = {e["url"]: e for e in ext["extension"]}
            assert parts["status"]["valueCode"] == "active"  # fixed: only a license valid today is a qualification
            assert _codes([parts["whereValid"]["valueCodeableConcept"]]) <= set(STATES)  # USPS state codes


def test_every_nucc_code_we_can_send_is_in_plan_nets_value_set():
    assert {s.code for s in nucc.all_specialties()} <= INDIVIDUAL_SPECIALTIES


def test_specialties_follow_the_credential_and_the_specialty_text(bundle):
    roles = {r["specialty"][0]["coding"][0]["code"] for r in _resources(bundle, "PractitionerRole")}
    # The clinic's anesthesiologist, its psychiatric NP, the at-home team's prescriber (MD, no specialty: general
    # practice) and psychologist (PsyD: clinical psychologist).
    assert roles == {"207L00000X", "363LP0808X", "208D00000X", "103TC0700X"}


def test_coverage_areas_are_shared_state_locations(bundle):
    home = next(r for r in _resources(bundle, "HealthcareService") if r["name"] == "Lakeside Telehealth")
    areas = {r["id"]: r for r in _resources(bundle, "Location")}
    assert sorted(areas[ref["reference"].removeprefix("urn:uuid:")]["address"]["state"]
                  for ref in home["coverageArea"]) == ["NJ", "NY"]
    assert "location" not in home  # no clinic: no empty array either


def test_a_license_that_is_not_verified_today_is_no_qualification(bundle, directory):
    lapsed = [lic for c in directory["home"].clinicians for lic in c.licenses]
    assert all(lic.status == LicenseStatus.UNVERIFIED for lic in lapsed)
    prescriber_ids = {c.uuid for c in directory["home"].clinicians}
    for r in _resources(bundle, "Practitioner"):
        if r["id"] in prescriber_ids:
            assert "qualification" not in r


@pytest.mark.slow
def test_the_demo_directory_passes_every_rule(runner, db, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    out = tmp_path / "fhir.json"
    assert runner.invoke(args=["export", "--format", "fhir", "--output", str(out)]).exit_code == 0
    demo = json.loads(out.read_text())
    for rule in (test_the_bundle_parses_as_fhir_r4b, test_every_reference_resolves_inside_the_bundle,
                 test_no_empty_arrays_strings_or_objects, test_every_resource_claims_its_plan_net_profile_and_says_when_it_changed,
                 test_fixed_values_and_cardinalities, test_required_bindings_hold):
        rule(demo)
    kinds = Counter(r["resourceType"] for r in _resources(demo))
    print(f"\nFHIR Plan-Net demo bundle: {sum(kinds.values())} resources {dict(kinds)}")
    assert kinds["PractitionerRole"] == kinds["Practitioner"] > 0
