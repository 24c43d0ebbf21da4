"""Who treats: clinicians with their NPI and state licenses, and the medical director's NPI a listing gives."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from clinic_finder.inputs.numbers import whole_number
from clinic_finder.inputs.places import state_code
from clinic_finder.inputs.problems import InvalidInput, ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.licensing import prescribers
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.listings.record.fields import objects, one_of, text_or_none, truthy
from clinic_finder.listings.record.level import Level
from clinic_finder.models import Credential, LicenseStatus, Mode, VerificationSource

FULL_NAME_MAX = 120
DETAIL_MAX = 200
LICENSE_NUMBER_MAX = 40
EVIDENCE_MAX = 1000
DAYS_MAX = 36_500  # a hundred years, in either direction


def npi_number(raw: Any, field: str) -> str | None:
    """A well-formed NPI (spaces people type between digit groups are dropped), or InvalidInput saying why not."""
    value = (text_or_none(raw) or "").strip().replace(" ", "")
    if not value:
        return None
    problem = npi_problem(value)
    if problem:
        raise InvalidInput(field, problem)
    return value


def check_clinicians(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    out["medical_director_npi"] = found.take(npi_number, data.get("medical_director_npi"), "medical_director_npi")
    out["clinicians"] = [_clinician(where, item, found) for where, item in objects(found, data, "clinicians")]
    if level is Level.PUBLISHABLE and not found.has("clinicians") and out["clinicians"]:
        _prescriber_rules(out, found)


def _prescriber_rules(out: dict, found: ProblemCollector) -> None:
    """Who may prescribe (licensing.prescribers): a published listing names a prescriber licensed where it treats.
    A listing that names no clinicians yet is the listing form's case: our team adds them before approval."""
    today = datetime.now(UTC).date()
    team = [prescribers.TeamMember(
        clin["full_name"] or "", Credential(clin["credential"]), clin["is_medical_director"],
        tuple(prescribers.TeamLicense(lic["state"], Credential(lic["credential"]), LicenseStatus(lic["status"]),
                                      None if lic["expires_in_days"] is None
                                      else today + timedelta(days=lic["expires_in_days"]))
              for lic in clin["licenses"] if lic["state"] and lic["credential"]))
        for clin in out["clinicians"] if clin["credential"]]
    clinic_states = [loc["state"] for loc in out.get("locations", []) if loc.get("state")] \
        if Mode.IN_CLINIC.value in out.get("modes", []) else []
    home_states = out.get("states_served", []) if Mode.AT_HOME.value in out.get("modes", []) else []
    for field, reason in prescribers.problems(team, clinic_states, home_states, today):
        if not found.has(field):
            found.add(field, reason)


def _clinician(where: str, item: dict, found: ProblemCollector) -> dict:
    out = {
        "full_name": found.take(plain_text, item.get("full_name"), where + "full_name", "full name", FULL_NAME_MAX,
                                required="Please enter the clinician's full name."),
        "credential": one_of(found, where + "credential", item.get("credential"), Credential, "credential",
                             required=True),
        "npi": found.take(npi_number, item.get("npi"), where + "npi"),
        "is_medical_director": truthy(item.get("is_medical_director")),
    }
    for field in ("title", "specialty", "board_certification"):
        out[field] = found.take(plain_text, item.get(field), where + field, field.replace("_", " "), DETAIL_MAX)
    out["licenses"] = [_license(where + lw, lic, out["credential"], found)
                       for lw, lic in objects(found, item, "licenses")]
    return out


def _license(where: str, lic: dict, credential: str | None, found: ProblemCollector) -> dict:
    out = {
        "license_number": found.take(plain_text, lic.get("license_number"), where + "license_number",
                                     "license number", LICENSE_NUMBER_MAX,
                                     required="Please enter the license number."),
        "state": found.take(state_code, lic.get("state"), where + "state",
                            required="Please choose the state that issued the license."),
        "credential": one_of(found, where + "credential", lic.get("credential"), Credential, "credential")
        or credential,
        "status": one_of(found, where + "status", lic.get("status"), LicenseStatus, "license status")
        or LicenseStatus.UNVERIFIED.value,
        "verification_source": one_of(found, where + "verification_source", lic.get("verification_source"),
                                      VerificationSource, "verification source"),
        "dea_registration_on_file": truthy(lic.get("dea_registration_on_file")),
        "evidence_note": found.take(plain_text, lic.get("evidence_note"), where + "evidence_note", "evidence note",
                                    EVIDENCE_MAX, multiline=True),
    }
    _license_dates(where, lic, out, found)
    return out


def _license_dates(where: str, lic: dict, out: dict, found: ProblemCollector) -> None:
    """Files give dates relative to the day of loading, so demo data never ages."""
    for field, label, low in (("issued_days_ago", "days since issue", 0),
                              ("expires_in_days", "days until expiry", -DAYS_MAX),
                              ("verified_days_ago", "days since verification", 0)):
        out[field] = found.take(whole_number, lic.get(field), where + field, label, low, DAYS_MAX)
    issued, expires = out["issued_days_ago"], out["expires_in_days"]
    if issued is not None and expires is not None and -issued > expires:
        found.add(where + "expires_in_days", "The license expires before it was issued. Please check both dates.")
