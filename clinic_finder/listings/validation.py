"""The rules every listing field passes, whoever sends it: a public submission, a correction or an admin edit.

validate_listing() checks a whole listing and reports every problem at once, keyed by field, so a form can put each
message beside its field. Values come back normalized (phone in national format, email normalized, ZIP checked
against its state) and JSON-safe, ready to be stored as a submission's payload.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import zipcodes
from email_validator import EmailNotValidError, validate_email

from clinic_finder.geo.states import STATES
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.models import Condition, Route

NAME_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 1000
URL_MAX = 300
# A sanity bound, not a judgement: the guide's typical infusion is $400–$800.
PRICE_MAX_USD = 20_000
SESSION_MAX_MINUTES = 24 * 60

TEXT_FIELDS = ("name", "description", "address_line1", "address_line2", "city", "website", "phone", "email",
               "zip_code", "state", "medical_director_npi", "price_min_usd", "price_max_usd", "session_length_minutes")
BOOL_FIELDS = ("offers_in_clinic", "offers_at_home", "free_consultation", "insurance_accepted", "superbill_offered")
LIST_FIELDS = ("routes", "conditions", "states_served")

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

_MARKUP = re.compile(r"<\s*/?\s*[a-z!?]", re.IGNORECASE)


class InvalidListing(ValueError):
    """Every problem found, as {field: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class FieldError(ValueError):
    pass


def clean_text(raw: Any, label: str, max_len: int, multiline: bool = False) -> str | None:
    value = str(raw or "").strip()
    if not value:
        return None
    if len(value) > max_len:
        raise FieldError(f"Please keep the {label.lower()} under {max_len:,} characters (it has {len(value):,}).")
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any(ch not in allowed and (ord(ch) < 32 or ord(ch) == 127) for ch in value):
        raise FieldError("Please remove the invisible control characters from this text.")
    if _MARKUP.search(value):
        raise FieldError("Please use plain text: remove the HTML tags (text between < and >).")
    return value


def normalize_phone(raw: str) -> str:
    """A US phone number in national form, "(212) 555-0123"; international numbers keep their + form."""
    try:
        number = phonenumbers.parse(raw.strip(), "US")
    except phonenumbers.NumberParseException:
        raise FieldError("Please enter a phone number, e.g. (212) 555-0123.") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError("This does not look like a valid phone number. Please check the area code and digits.")
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def normalize_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise FieldError(f"Please enter a valid email address: {str(exc).rstrip('.')}.") from None


def normalize_url(raw: str) -> str:
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value  # people often type "clinic.com"
    if len(value) > URL_MAX:
        raise FieldError(f"Please keep the web address under {URL_MAX} characters.")
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or any(c.isspace() for c in value):
        raise FieldError("Please enter a web address starting with https://, e.g. https://www.your-clinic.com.")
    return value


def zip_problem(zip_code: str, state: str | None) -> str | None:
    if not re.fullmatch(r"\d{5}", zip_code):
        return "Please enter a five-digit ZIP code, e.g. 10001."
    found = zipcodes.matching(zip_code)
    if not found:
        return f"We could not find the ZIP code {zip_code}. Please check it."
    zip_state = found[0]["state"]
    if state and zip_state != state:
        return f"The ZIP code {zip_code} is in {STATES.get(zip_state, zip_state)}, not {STATES.get(state, state)}."
    return None


def _whole_dollars(raw: Any, label: str) -> int | None:
    value = str(raw if raw is not None else "").strip().lstrip("$").replace(",", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise FieldError(f"Please enter the {label} in whole US dollars, e.g. 450.")
    amount = int(value)
    if amount > PRICE_MAX_USD:
        raise FieldError(f"Please check this price: we accept up to ${PRICE_MAX_USD:,} per session.")
    return amount


def _choices(raw: Any, enum_cls, label: str) -> list[str]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    allowed = {m.value for m in enum_cls}
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise FieldError(f"Please choose {label} from the list.")
    return [m.value for m in enum_cls if m.value in values]  # canonical order, no duplicates


def _truthy(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in {"y", "yes", "true", "1", "on"}
    return bool(raw)


def validate_listing(data: dict[str, Any]) -> dict[str, Any]:
    """The listing cleaned and normalized, or InvalidListing with a message for every field that breaks a rule."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def check(field: str, func, *args):
        try:
            out[field] = func(*args)
        except FieldError as exc:
            errors[field] = str(exc)
            out[field] = None

    def optional(field: str, normalize):
        raw = str(data.get(field) or "").strip()
        out[field] = None
        if raw:
            check(field, normalize, raw)

    check("name", clean_text, data.get("name"), "name", NAME_MAX)
    if "name" not in errors and not out["name"]:
        errors["name"] = "Please enter the practice's name."
    check("description", clean_text, data.get("description"), "description", DESCRIPTION_MAX, True)
    optional("website", normalize_url)
    optional("phone", normalize_phone)
    optional("email", normalize_email)
    for field in BOOL_FIELDS:
        out[field] = _truthy(data.get(field))
    if not out["offers_in_clinic"] and not out["offers_at_home"]:
        errors["offers_in_clinic"] = "Please tick at least one: in a clinic, at home, or both."

    for field, label in (("address_line1", "street address"), ("address_line2", "suite or floor"),
                         ("city", "city")):
        check(field, clean_text, data.get(field), label, 200)
    state = str(data.get("state") or "").strip().upper() or None
    zip_code = str(data.get("zip_code") or "").strip() or None
    out["state"], out["zip_code"] = state, zip_code
    if state and state not in STATES:
        errors["state"] = "Please choose a US state from the list."
    if out["offers_in_clinic"]:
        for field, message in (("address_line1", "Please enter the clinic's street address."),
                               ("city", "Please enter the clinic's city."),
                               ("state", "Please choose the clinic's state."),
                               ("zip_code", "Please enter the clinic's ZIP code.")):
            if not out.get(field) and field not in errors:
                errors[field] = message
    if zip_code and "zip_code" not in errors:
        problem = zip_problem(zip_code, state if "state" not in errors else None)
        if problem:
            errors["zip_code"] = problem

    raw_states = data.get("states_served") or []
    raw_states = [raw_states] if isinstance(raw_states, str) else list(raw_states)
    wanted = sorted({str(s).strip().upper() for s in raw_states if str(s).strip()})
    if any(s not in STATES for s in wanted):
        errors["states_served"] = "Please choose states from the list."
    out["states_served"] = [s for s in wanted if s in STATES]
    if out["offers_at_home"] and not out["states_served"] and "states_served" not in errors:
        errors["states_served"] = "Please choose the states where you are licensed to treat patients at home."

    check("routes", _choices, data.get("routes"), Route, "treatments")
    if not out.get("routes") and "routes" not in errors:
        errors["routes"] = "Please tick at least one treatment you offer."
    check("conditions", _choices, data.get("conditions"), Condition, "conditions")
    if not out.get("conditions") and "conditions" not in errors:
        errors["conditions"] = "Please tick at least one condition you treat."

    check("price_min_usd", _whole_dollars, data.get("price_min_usd"), "lowest price")
    check("price_max_usd", _whole_dollars, data.get("price_max_usd"), "highest price")
    low, high = out["price_min_usd"], out["price_max_usd"]
    if low is not None and high is not None and low > high:
        errors["price_max_usd"] = f"The highest price (${high:,}) is below the lowest (${low:,}). Please check both."
    elif high is not None and low is None and "price_min_usd" not in errors:
        errors["price_min_usd"] = "Please give the lowest price too (it may be the same as the highest)."

    minutes = str(data.get("session_length_minutes") or "").strip()
    out["session_length_minutes"] = None
    if minutes:
        if not minutes.isascii() or not minutes.isdigit() or not 0 < int(minutes) <= SESSION_MAX_MINUTES:
            errors["session_length_minutes"] = "Please enter the session length in minutes, e.g. 120."
        else:
            out["session_length_minutes"] = int(minutes)

    npi = str(data.get("medical_director_npi") or "").strip().replace(" ", "")
    out["medical_director_npi"] = npi or None
    if npi:
        problem = npi_problem(npi)
        if problem:
            errors["medical_director_npi"] = problem

    if errors:
        raise InvalidListing(errors)
    return out


def validate_submitter(name: Any, email: Any, note: Any, note_required: bool = False) -> dict[str, str | None]:
    """Who sent a submission, so staff can ask them about it; InvalidListing when something is wrong."""
    errors: dict[str, str] = {}
    out: dict[str, str | None] = {}
    for field, raw, label, max_len, multiline in (("submitter_name", name, "name", 120, False),
                                                  ("note", note, "note", NOTE_MAX, True)):
        try:
            out[field] = clean_text(raw, label, max_len, multiline)
        except FieldError as exc:
            errors[field] = str(exc)
    if not out.get("submitter_name") and "submitter_name" not in errors:
        errors["submitter_name"] = "Please tell us your name, so we can ask you about this listing."
    raw_email = str(email or "").strip()
    if not raw_email:
        errors["submitter_email"] = "Please give your email address, so we can ask you about this listing."
    else:
        try:
            out["submitter_email"] = normalize_email(raw_email)
        except FieldError as exc:
            errors["submitter_email"] = str(exc)
    if note_required and not out.get("note") and "note" not in errors:
        errors["note"] = "Please tell us what is wrong or what changed."
    if errors:
        raise InvalidListing(errors)
    return out
