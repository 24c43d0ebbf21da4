"""The years a date in the directory can mean (forms check them through inputs.forms.date_in_range), and the one
parser of a date-time sent as text (the HSDS API's modified_after).

The bounds keep date arithmetic safe (9999-12-31 plus a day overflows) and catch typing slips ("0202-05-01").
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from clinic_finder.inputs.problems import InvalidInput

EARLIEST = date(1900, 1, 1)  # a long-serving clinician's first license
LATEST = date(2199, 12, 31)  # well past any license's expiry


def out_of_range_message(label: str) -> str:
    return f"Please enter a {label} between {EARLIEST.year} and {LATEST.year}."


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
