"""Whole numbers from text: page numbers, per-page counts, record ids, prices. One parser, bounded before conversion.

A hostile number (400 digits, "²", "１２", "-0", "1e9") is a polite refusal here, never an OverflowError or a
database error further on.
"""
from __future__ import annotations

import math
from typing import Any

from clinic_finder.inputs.problems import InvalidInput

# The integer primary keys of both databases are 32-bit signed: an id above this cannot exist.
DB_ID_MAX = 2**31 - 1
# Past the last page of any list we hold; a larger number is refused rather than counted.
PAGE_MAX = 1_000_000
# Longer than any bound we use; refusing longer digit strings before int() keeps hostile input cheap.
_MAX_DIGITS = 15


def whole_number(raw: Any, field: str, label: str, low: int, high: int, *, required: str | None = None,
                 default: int | None = None) -> int | None:
    """An integer in [low, high] written in ASCII digits (an optional leading minus when low < 0).

    Empty is `default` (or InvalidInput(required) when a message for a missing value is given).
    """
    value = ("" if raw is None else str(raw)).strip()
    if not value:
        if required:
            raise InvalidInput(field, required)
        return default
    # "-5" is a whole number, below the range when low >= 0: said as such rather than as a typing slip.
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(field, f"Please enter the {label} as a whole number, e.g. {max(low, min(high, 1))}.",
                           "invalid_number")
    if len(digits) > _MAX_DIGITS or not low <= int(value) <= high:
        raise InvalidInput(field, f"Please enter a {label} from {low:,} to {high:,}.", "out_of_range")
    return int(value)


def decimal_number(raw: Any, field: str, label: str, low: float, high: float, *,
                   default: float | None = None) -> float | None:
    """A finite number in [low, high] ("12.5", "-73.99"); 'NaN', 'inf' and 400-digit numbers are refused."""
    value = ("" if raw is None else str(raw)).strip()
    if not value:
        return default
    not_a_number = InvalidInput(field, f"Please enter the {label} as a number.", "invalid_number")
    if len(value) > 40 or not value.isascii():
        raise not_a_number
    try:
        number = float(value)
    except ValueError:
        raise not_a_number from None
    if not math.isfinite(number):
        raise not_a_number
    if not low <= number <= high:
        raise InvalidInput(field, f"Please enter a {label} from {low:g} to {high:g}.", "out_of_range")
    return number


def whole_dollars(raw: Any, field: str, label: str, high: int) -> int | None:
    """A price in whole US dollars; "$1,200" is 1200. Empty is None."""
    value = ("" if raw is None else str(raw)).strip().lstrip("$").replace(",", "")
    try:
        return whole_number(value, field, label, 0, high)
    except InvalidInput as err:
        if err.code == "out_of_range":
            raise InvalidInput(field, f"Please enter a {label} from $0 to ${high:,}.", err.code) from None
        raise InvalidInput(field, f"Please enter the {label} in whole US dollars, e.g. 450.", err.code) from None


def page_number(raw: Any, field: str = "page") -> int:
    """A page number from 1 to PAGE_MAX; empty is the first page."""
    return whole_number(raw, field, "page number", 1, PAGE_MAX, default=1)


def record_id(raw: Any, field: str = "id", label: str = "record number") -> int | None:
    """A database id (1 to DB_ID_MAX); empty is None."""
    return whole_number(raw, field, label, 1, DB_ID_MAX)


def record_ids(values: Any) -> list[int]:
    """The valid, distinct record ids among ticked boxes, in order; anything else is skipped (a stale or hand-made
    form cannot name a record that does not exist, so skipping it loses nothing)."""
    found: dict[int, None] = {}
    for raw in values or ():
        try:
            number = record_id(raw)
        except InvalidInput:
            continue
        if number is not None:
            found[number] = None
    return list(found)
