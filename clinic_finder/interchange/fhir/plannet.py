"""Da Vinci PDex Plan-Net (FHIR R4) vocabulary: the profiles we claim, the extensions and code systems we use, and
how our credentials, conditions and license states are coded in them.

From the Plan-Net implementation guide (hl7.fhir.us.davinci-pdex-plan-net, input/fsh of HL7/davinci-pdex-plan-net);
each code here is in the value set its element is bound to (tests/hsds/test_fhir_plannet.py holds them to it).
"""
from __future__ import annotations

from clinic_finder.models import Condition, Credential

BASE = "http://hl7.org/fhir/us/davinci-pdex-plan-net"


def profile(name: str) -> str:
    return f"{BASE}/StructureDefinition/plannet-{name}"


def extension(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


def code_system(name: str) -> str:
    return f"{BASE}/CodeSystem/{name}"


NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
USPS_SYSTEM = "https://www.usps.com/"
DEGREE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0360"
SERVICE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/service-type"
LOCATION_PHYSICAL_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type"
# Ids of our own records (uuids), for resources with no national identifier on file.
URI_SYSTEM = "urn:ietf:rfc:3986"

ORGANIZATION_TYPE = {"system": code_system("OrgTypeCS"), "code": "prvgrp", "display": "Provider Group"}
SERVICE_CATEGORY = {"system": code_system("HealthcareServiceCategoryCS"), "code": "behav",
                    "display": "Behavioral Health"}
DELIVERY = {"physical": "Physical", "virtual": "Virtual"}
ACCEPTING = {True: ("newpt", "Accepting"), False: ("nopt", "Not Accepting")}

# Conditions with a code in Plan-Net's HealthcareServiceTypeVS (an extensible binding: the others go as text).
SERVICE_TYPES = {Condition.DEPRESSION: ("316", "Depression"), Condition.CHRONIC_PAIN: ("400", "Pain")}

# What each credential is as a qualification (v2 table 0360 degrees, or NUCC where v2 has none) and as a role
# (Plan-Net's ProviderRoleCS, PractitionerRole.code's required value set).
_NUCC = "http://nucc.org/provider-taxonomy"
QUALIFICATION = {
    Credential.MD: (DEGREE_SYSTEM, "MD", "Doctor of Medicine"),
    Credential.DO: (DEGREE_SYSTEM, "DO", "Doctor of Osteopathy"),
    Credential.NP: (DEGREE_SYSTEM, "NP", "Nurse Practitioner"),
    Credential.PA: (DEGREE_SYSTEM, "PA", "Physician Assistant"),
    Credential.RN: (DEGREE_SYSTEM, "RN", "Registered Nurse"),
    Credential.CRNA: (_NUCC, "367500000X", "Certified Registered Nurse Anesthetist"),
    Credential.LCSW: (_NUCC, "1041C0700X", "Clinical Social Worker"),
    Credential.LPC: (_NUCC, "101YP2500X", "Professional Counselor"),
    Credential.PSYD: (_NUCC, "103TC0700X", "Clinical Psychologist"),
    Credential.PHD: (_NUCC, "103T00000X", "Psychologist"),
}
ROLE = {
    Credential.MD: ("ph", "Physician"), Credential.DO: ("ph", "Physician"),
    Credential.NP: ("apn", "Advanced Practice Nursing Providers"),
    Credential.CRNA: ("apn", "Advanced Practice Nursing Providers"),
    Credential.PA: ("pa", "Physician Assistant"), Credential.RN: ("rn", "Registered Nurse"),
    Credential.LCSW: ("sw", "Social Worker"), Credential.LPC: ("co", "Counselor"),
    Credential.PSYD: ("py", "Psychologist"), Credential.PHD: ("py", "Psychologist"),
}
