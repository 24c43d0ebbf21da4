"""Calendar dates from a form or a file: ISO "YYYY-MM-DD", within the years the directory can mean.

The bounds keep date arithmetic safe (9999-12-31 plus a day overflows) and catch typing slips ("0202-05-01").
"""
from __future__ import annotations

from datetime import date
from typing import Any

from clinic_finder.inputs.problems import InvalidInput

EARLIEST = date(1900, 1, 1)  # a long-serving clinician's first license
LATEST = date(2199, 12, 31)  # well past any license's expiry


def out_of_range_message(label: str) -> str:
    return f"Please enter a {label} between {EARLIEST.year} and {LATEST.year}."


def calendar_date(raw: Any, field: str, label: str = "date") -> date | None:
    """A date from "YYYY-MM-DD" (or a date already), between EARLIEST and LATEST; empty is None."""
    if isinstance(raw, date):
        value = raw
    else:
        text = ("" if raw is None else str(raw)).strip()
        if not text:
            return None
        try:
            value = date.fromisoformat(text) if text.isascii() and len(text) == 10 else None
        except ValueError:
            value = None
        if value is None:
            raise InvalidInput(field, f"Please enter the {label} as YYYY-MM-DD, e.g. 2026-03-31.")
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(field, out_of_range_message(label))
    return value
