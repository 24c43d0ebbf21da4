"""National Provider Identifier checks (CMS: 10 digits, Luhn check digit computed over the prefix 80840)."""
from __future__ import annotations


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit for the first nine digits of an NPI, with CMS's 80840 prefix."""
    digits = [int(c) for c in "80840" + first_nine]
    total = 0
    # Double every second digit from the right, starting with the rightmost of the payload.
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def is_valid_npi(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 10
        and value.isascii()
        and value.isdigit()
        and value[0] in "12"
        and npi_check_digit(value[:9]) == int(value[9])
    )


def npi_problem(value: str) -> str | None:
    """A sentence saying what is wrong with an NPI, or None when it is well formed."""
    if not value.isascii() or not value.isdigit():
        return "An NPI has digits only."
    if len(value) != 10:
        return f"An NPI has 10 digits; this one has {len(value)}."
    if value[0] not in "12":
        return "An NPI starts with 1 or 2."
    if npi_check_digit(value[:9]) != int(value[9]):
        return "The last digit of this NPI does not match its check digit; please check for a typo."
    return None
