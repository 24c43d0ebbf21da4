"""The years a date in the directory can mean (forms check them through inputs.forms.date_in_range).

The bounds keep date arithmetic safe (9999-12-31 plus a day overflows) and catch typing slips ("0202-05-01").
"""
from __future__ import annotations

from datetime import date

EARLIEST = date(1900, 1, 1)  # a long-serving clinician's first license
LATEST = date(2199, 12, 31)  # well past any license's expiry


def out_of_range_message(label: str) -> str:
    return f"Please enter a {label} between {EARLIEST.year} and {LATEST.year}."
