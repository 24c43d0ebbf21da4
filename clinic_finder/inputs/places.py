"""US states and ZIP codes as a person or a file gives them: "ny" is NY; a ZIP must exist and lie in its state."""
from __future__ import annotations

import re
from typing import Any

from clinic_finder.geo.geocoding import us_data
from clinic_finder.geo.states import STATES
from clinic_finder.inputs.problems import InvalidInput

_FIVE_DIGITS = re.compile(r"\d{5}")
# NPPES and the Postal Service write ZIP+4 as nine digits, with or without the dash.
_ZIP_PLUS_FOUR = re.compile(r"(\d{5})-?\d{4}")


def state_code(raw: Any, field: str = "state", required: str | None = None) -> str | None:
    value = ("" if raw is None else str(raw)).strip().upper()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return None
    if value not in STATES:
        raise InvalidInput(field, "Please choose a US state (or DC) by its two-letter code, e.g. NY.")
    return value


def zip_code(raw: Any, field: str = "zip_code", state: str | None = None, required: str | None = None) -> str | None:
    """A five-digit ZIP code that exists (ZIP+4 is cut to five), in `state` when one is given.

    Looked up in the geocoder's index of the shipped ZIP data (a dict, built once per process): the same ZIPs
    search can place on a map, at a dictionary lookup's cost rather than a scan of the data per row.
    """
    value = ("" if raw is None else str(raw)).strip()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return None
    plus_four = _ZIP_PLUS_FOUR.fullmatch(value)
    if plus_four:
        value = plus_four.group(1)
    if not value.isascii() or not _FIVE_DIGITS.fullmatch(value):
        raise InvalidInput(field, "Please enter a five-digit ZIP code, e.g. 10001.")
    found = us_data().by_zip.get(value)
    if found is None:
        raise InvalidInput(field, f"We could not find the ZIP code {value}. Please check it.")
    if state and found.state != state:
        raise InvalidInput(field, f"The ZIP code {value} is in {STATES.get(found.state, found.state)}, "
                                  f"not {STATES.get(state, state)}.")
    return value
