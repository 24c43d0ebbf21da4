"""How a patient reaches the provider: phone, email, website."""
from __future__ import annotations

from clinic_finder.inputs.contact import email_address, phone_for_display, phone_number, web_address
from clinic_finder.inputs.problems import ProblemCollector
from clinic_finder.listings.record.fields import text_or_none
from clinic_finder.listings.record.level import Level


def check_contact(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    # Stored as a patient reads it, "(212) 555-0123" (another country's number in its + form): the profile, the
    # exports and the correction form show the stored value as it is.
    number = found.take(phone_number, text_or_none(data.get("phone")), "phone")
    out["phone"] = phone_for_display(number) or None
    out["email"] = found.take(email_address, text_or_none(data.get("email")), "email")
    out["website"] = found.take(web_address, text_or_none(data.get("website")), "website")
