"""The years a date in the directory can mean (forms check them through inputs.forms.date_in_range), dates as
files write them (file_date), and the one parser of a date-time sent as text (moment: the HSDS API's modified_after).

The bounds keep date arithmetic safe (9999-12-31 plus a day overflows) and catch typing slips ("0202-05-01").
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from clinic_finder.inputs.problems import InvalidInput

EARLIEST = date(1900, 1, 1)  # a long-serving clinician's first license
LATEST = date(2199, 12, 31)  # well past any license's expiry
_LOOKS_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")


def out_of_range_message(label: str) -> str:
    return f"Please enter a {label} between {EARLIEST.year} and {LATEST.year}."


# The ways public files (license boards' rosters, CMS downloads, spreadsheets) write a date. A two-digit year is
# not among them: "05/31/26" could be 1926 or 2026, and a license date is not worth a guess.
_FILE_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%Y%m%d", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
                      "%d %b %Y", "%d %B %Y", "%Y/%m/%d")


def file_date(raw: Any, field: str, label: str) -> date | None:
    """A date as a file writes it (ISO, US month/day/year, 31-MAY-2026 …), None when empty, or InvalidInput.

    A time of day after the date ("2026-05-31 00:00:00", as spreadsheets export it) is ignored.
    """
    text = ("" if raw is None else str(raw)).strip()
    if not text:
        return None
    if len(text) > 40:
        raise InvalidInput(field, f"The {label} is not a date.", "invalid_date")
    day_part = text.split("T")[0].split(" ")[0] if _LOOKS_ISO.match(text) else text
    for fmt in _FILE_DATE_FORMATS:
        try:
            value = datetime.strptime(day_part, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput(field, f"The {label} {value.isoformat()} is outside the years {EARLIEST.year}–"
                                      f"{LATEST.year}: a typing slip?", "out_of_range")
        return value
    raise InvalidInput(field, f"The {label} '{text}' is not a date we can read; write it as YYYY-MM-DD or "
                              "MM/DD/YYYY (four-digit year).", "invalid_date")
def moment(raw: Any, field: str, label: str) -> datetime | None:
    """An ISO 8601 date-time ("2026-12-01T09:30:00Z", "2026-12-01T09:30+01:00") or a date ("2026-12-01", its
    midnight) as an aware UTC datetime; no zone means UTC. Empty is None. Years outside EARLIEST..LATEST are
    refused, so no later arithmetic overflows."""
    value = ("" if raw is None else str(raw)).strip()
    if not value:
        return None
    example = "e.g. 2026-12-01 or 2026-12-01T09:30:00Z"
    if len(value) > 40 or not value.isascii():
        raise InvalidInput(field, f"Please give the {label} as an ISO 8601 date or date-time, {example}.",
                           "invalid_date")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"Please give the {label} as an ISO 8601 date or date-time, {example}.",
                           "invalid_date") from None
    if not EARLIEST.year <= parsed.year <= LATEST.year:
        raise InvalidInput(field, out_of_range_message(label), "out_of_range")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
