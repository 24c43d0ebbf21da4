"""Clinician specialties as NUCC Health Care Provider Taxonomy codes, the code set HSDS consumers and FHIR Plan-Net
(its required specialty bindings) expect.

A clinician's specialty is typed as text ("Anesthesiology"); the listing's credential says what they are when no
specialty is given (a CRNA is a nurse anesthetist whatever the title). Codes and display names are NUCC's
(https://taxonomy.nucc.org), every one in Plan-Net's IndividualAndGroupSpecialtiesVS.
"""
from __future__ import annotations

from dataclasses import dataclass

from clinic_finder.models import Clinician, Credential

SYSTEM = "http://nucc.org/provider-taxonomy"
TAXONOMY_URI = "https://taxonomy.nucc.org"


@dataclass(frozen=True)
class Specialty:
    code: str
    display: str


_BY_CODE: dict[str, Specialty] = {s.code: s for s in (
    Specialty("207L00000X", "Anesthesiology Physician"),
    Specialty("207LP2900X", "Pain Medicine (Anesthesiology) Physician"),
    Specialty("2084P0800X", "Psychiatry Physician"),
    Specialty("2084P0802X", "Addiction Psychiatry Physician"),
    Specialty("2084P2900X", "Pain Medicine (Psychiatry & Neurology) Physician"),
    Specialty("207P00000X", "Emergency Medicine Physician"),
    Specialty("207Q00000X", "Family Medicine Physician"),
    Specialty("207R00000X", "Internal Medicine Physician"),
    Specialty("208D00000X", "General Practice Physician"),
    Specialty("2084N0400X", "Neurology Physician"),
    Specialty("363L00000X", "Nurse Practitioner"),
    Specialty("363LP0808X", "Psychiatric/Mental Health Nurse Practitioner"),
    Specialty("363A00000X", "Physician Assistant"),
    Specialty("367500000X", "Certified Registered Nurse Anesthetist"),
    Specialty("163W00000X", "Registered Nurse"),
    Specialty("163WP0808X", "Psychiatric/Mental Health Registered Nurse"),
    Specialty("1041C0700X", "Clinical Social Worker"),
    Specialty("101YP2500X", "Professional Counselor"),
    Specialty("103T00000X", "Psychologist"),
    Specialty("103TC0700X", "Clinical Psychologist"),
)}

# Specialty text as listings write it (lower case) → code. Physicians' specialties only: a nurse practitioner who
# writes "Psychiatry" is a psychiatric nurse practitioner, not a psychiatrist (see _FOR_CREDENTIAL).
_PHYSICIAN_SPECIALTIES = {
    "anesthesiology": "207L00000X",
    "anesthesia": "207L00000X",
    "pain medicine": "207LP2900X",
    "pain management": "207LP2900X",
    "psychiatry": "2084P0800X",
    "addiction psychiatry": "2084P0802X",
    "emergency medicine": "207P00000X",
    "family medicine": "207Q00000X",
    "internal medicine": "207R00000X",
    "general practice": "208D00000X",
    "neurology": "2084N0400X",
}
_PHYSICIANS = (Credential.MD, Credential.DO)
# What a credential says on its own, and its mental-health specialisation when the specialty text says so.
_FOR_CREDENTIAL = {
    Credential.MD: ("208D00000X", None),
    Credential.DO: ("208D00000X", None),
    Credential.NP: ("363L00000X", "363LP0808X"),
    Credential.PA: ("363A00000X", None),
    Credential.CRNA: ("367500000X", None),
    Credential.RN: ("163W00000X", "163WP0808X"),
    Credential.LCSW: ("1041C0700X", None),
    Credential.LPC: ("101YP2500X", None),
    Credential.PSYD: ("103TC0700X", None),
    Credential.PHD: ("103T00000X", None),
}
_MENTAL_HEALTH_WORDS = ("psychiatr", "mental health")


def specialty_of(clinician: Clinician) -> Specialty:
    """The clinician's NUCC specialty: their specialty text for a physician, else what their credential says."""
    text = (clinician.specialty or "").strip().lower()
    if clinician.credential in _PHYSICIANS and text in _PHYSICIAN_SPECIALTIES:
        return _BY_CODE[_PHYSICIAN_SPECIALTIES[text]]
    general, mental_health = _FOR_CREDENTIAL[clinician.credential]
    if mental_health and any(word in text for word in _MENTAL_HEALTH_WORDS):
        return _BY_CODE[mental_health]
    return _BY_CODE[general]


def all_specialties() -> list[Specialty]:
    """Every code specialty_of() can give (the HSDS taxonomy of specialties lists them all)."""
    return sorted(_BY_CODE.values(), key=lambda s: s.code)


def by_code(code: str) -> Specialty | None:
    return _BY_CODE.get(code)
