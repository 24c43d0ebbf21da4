"""The record's sections run in order (modes before the addresses and states they require) and every problem of
every section is reported at once."""
from __future__ import annotations

from typing import Any

from clinic_finder.inputs.problems import InvalidInput, ProblemCollector
from clinic_finder.listings.record.care import check_prices, check_treatments
from clinic_finder.listings.record.checklist import check_checklist
from clinic_finder.listings.record.clinicians import check_clinicians
from clinic_finder.listings.record.contact import check_contact
from clinic_finder.listings.record.identity import check_identity
from clinic_finder.listings.record.level import Level
from clinic_finder.listings.record.places import check_locations, check_modes, check_states_served

SECTIONS = (check_identity, check_contact, check_modes, check_locations, check_states_served, check_treatments,
            check_prices, check_clinicians, check_checklist)


def validate_provider(data: Any, level: Level = Level.PUBLISHABLE) -> dict[str, Any]:
    """The record normalized (text trimmed, phone as "(212) 555-0123", email lowercased, lists in canonical order),
    or InvalidInput with a problem for every field that breaks a rule of `level`."""
    if not isinstance(data, dict):
        raise InvalidInput("record", "Please give the provider as an object with named fields.")
    found = ProblemCollector()
    out: dict[str, Any] = {}
    for check in SECTIONS:
        check(data, out, found, level)
    found.raise_if_any()
    return out
