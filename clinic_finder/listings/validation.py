"""The listing as the public form and the admin edit page show it: one address, two "where" boxes, the medical
director's NPI — read into a provider record and checked by the one record validator (listings.record), so a form,
a correction, an admin edit, a seed file and an import obey the same rules with the same messages.

validate_listing() returns the listing normalized and JSON-safe (a submission's payload), or the kit's InvalidInput
whose .errors maps each form field to its message.
"""
from __future__ import annotations

from typing import Any

from clinic_finder.inputs.contact import email_address
from clinic_finder.inputs.problems import FieldProblem, InvalidInput, ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.listings.record import Level, validate_provider
from clinic_finder.listings.record.fields import text_or_none, truthy
from clinic_finder.listings.record.identity import DESCRIPTION_MAX, NAME_MAX, NOTE_MAX
from clinic_finder.models import Mode

__all__ = ["DESCRIPTION_MAX", "LABELS", "NAME_MAX", "NOTE_MAX", "Level", "listing_record", "validate_listing",
           "validate_submitter"]

SUBMITTER_NAME_MAX = 120

# Patient-facing labels, shared by the form, the admin diff and error messages.
LABELS: dict[str, str] = {
    "name": "Practice name",
    "description": "Description",
    "website": "Website",
    "phone": "Phone",
    "email": "Email",
    "offers_in_clinic": "Treats patients in a clinic",
    "offers_at_home": "Treats patients at home (telehealth)",
    "address_line1": "Street address",
    "address_line2": "Suite, floor (optional)",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
    "states_served": "States where you treat patients at home",
    "routes": "Treatments offered",
    "conditions": "Conditions treated",
    "price_min_usd": "Lowest price per session (USD)",
    "price_max_usd": "Highest price per session (USD)",
    "free_consultation": "Free consultation",
    "insurance_accepted": "Accepts insurance",
    "superbill_offered": "Gives a superbill for out-of-network claims",
    "session_length_minutes": "Typical session length (minutes)",
    "medical_director_npi": "Medical director's NPI",
}

ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "state", "zip_code")
_RECORD_FIELDS = ("name", "description", "website", "phone", "email", "states_served", "routes", "conditions",
                  "price_min_usd", "price_max_usd", "free_consultation", "insurance_accepted", "superbill_offered",
                  "session_length_minutes", "medical_director_npi")
_FIRST_LOCATION = "locations[1]."
# Where a record's problem shows on the form: the "where" boxes stand for the record's modes.
_FORM_FIELD = {"modes": "offers_in_clinic", "locations": "address_line1"}


def listing_record(data: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as a provider record.

    The address is the clinic's location when the listing treats in a clinic, or when any part of it is filled in:
    an address given is checked whole, never dropped unread.
    """
    record = {field: data.get(field) for field in _RECORD_FIELDS}
    in_clinic, at_home = truthy(data.get("offers_in_clinic")), truthy(data.get("offers_at_home"))
    record["modes"] = [mode.value for mode, on in ((Mode.IN_CLINIC, in_clinic), (Mode.AT_HOME, at_home)) if on]
    address = {field: data.get(field) for field in ADDRESS_FIELDS}
    filled = any((text_or_none(value) or "").strip() for value in address.values())
    record["locations"] = [address] if in_clinic or filled else []
    return record


def _form_field(field: str) -> str:
    return field.removeprefix(_FIRST_LOCATION) if field.startswith(_FIRST_LOCATION) else _FORM_FIELD.get(field, field)


def validate_listing(data: dict[str, Any], level: Level = Level.PUBLISHABLE) -> dict[str, Any]:
    """The listing cleaned and normalized, or InvalidInput with a message for every form field that breaks a rule."""
    try:
        record = validate_provider(listing_record(data), level)
    except InvalidInput as err:
        raise InvalidInput.of(FieldProblem(_form_field(p.field), p.message) for p in err.problems) from None
    location = record["locations"][0] if record["locations"] else {}
    out = {field: record[field] for field in _RECORD_FIELDS}
    out.update({field: location.get(field) for field in ADDRESS_FIELDS})
    out["offers_in_clinic"] = Mode.IN_CLINIC.value in record["modes"]
    out["offers_at_home"] = Mode.AT_HOME.value in record["modes"]
    return out


def validate_submitter(name: Any, email: Any, note: Any, note_required: bool = False) -> dict[str, str | None]:
    """Who sent a submission, so staff can ask them about it; InvalidInput when something is wrong."""
    found = ProblemCollector()
    out = {
        "submitter_name": found.take(plain_text, name, "submitter_name", "name", SUBMITTER_NAME_MAX,
                                     required="Please tell us your name, so we can ask you about this listing."),
        "note": found.take(plain_text, note, "note", "note", NOTE_MAX, multiline=True,
                           required="Please tell us what is wrong or what changed." if note_required else None),
        "submitter_email": found.take(email_address, text_or_none(email), "submitter_email", required=(
            "Please give your email address, so we can ask you about this listing.")),
    }
    found.raise_if_any()
    return out
