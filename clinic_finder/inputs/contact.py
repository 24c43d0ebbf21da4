"""Email addresses, phone numbers and web addresses: email-validator and phonenumbers check the first two."""
from __future__ import annotations

from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from clinic_finder.inputs.problems import InvalidInput

EMAIL_MAX = 254  # RFC 5321's limit on a forward path
WEB_ADDRESS_MAX = 300


def email_address(raw: str | None, field: str = "email", required: str | None = None) -> str | None:
    """The address in its one stored form, or InvalidInput with a reason a person can act on.

    The whole address is lowercased: every mail system we send to treats the local part without regard to case,
    and a person who types "Jane@Example.org" once and "jane@example.org" later is one person — to sign in, to be
    recognised as having reviewed a provider already, or to ask for a new confirmation link.
    """
    value = (raw or "").strip()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return None
    if len(value) > EMAIL_MAX:
        raise InvalidInput(field, f"Please enter an email address of at most {EMAIL_MAX} characters.")
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(field, f"Please enter a valid email address: {str(exc).rstrip('.')}.") from None


def phone_number(raw: str | None, field: str = "phone", required: str | None = None) -> phonenumbers.PhoneNumber | None:
    """A valid phone number (US unless it starts with +), or InvalidInput saying what to fix."""
    value = (raw or "").strip()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return None
    if len(value) > 40:
        raise InvalidInput(field, "Please enter a phone number, e.g. (212) 555-0123.")
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise InvalidInput(field, "Please enter a phone number, e.g. (212) 555-0123.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(field, "This does not look like a valid phone number. Please check the area code and digits.")
    return number


def phone_e164(number: phonenumbers.PhoneNumber) -> str:
    """The form stored where software dials: "+12125550123"."""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_display(number: phonenumbers.PhoneNumber | str | None) -> str:
    """A US number as "(212) 555-0123", another country's in its international form; "" for none."""
    if not number:
        return ""
    if isinstance(number, str):
        try:
            number = phonenumbers.parse(number, "US")
        except phonenumbers.NumberParseException:
            return number
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def web_address(raw: str | None, field: str = "website", required: str | None = None) -> str | None:
    """An http(s) address with a dotted host; "clinic.com" becomes "https://clinic.com" (people often type that).

    Other schemes (javascript:, ftp:, data:) are refused: the address becomes a link a patient clicks.
    """
    value = (raw or "").strip()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return None
    if "://" not in value:
        value = "https://" + value
    if len(value) > WEB_ADDRESS_MAX:
        raise InvalidInput(field, f"Please keep the web address under {WEB_ADDRESS_MAX} characters.")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:  # an unbalanced "[" in the host, say
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or "." not in host or any(c.isspace() for c in value):
        raise InvalidInput(field, "Please enter a web address starting with https://, e.g. https://www.your-clinic.com.")
    return value
