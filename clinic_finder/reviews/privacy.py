"""Spotting personal details in a review before it is published, for the moderator to decide on.

Nothing is removed automatically: a flag tells the moderator what to look at (an email address, a phone number,
a staff member's full name, or a display name that looks like the reviewer's own full name).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

EMAIL_FLAG = "contains an email address"
PHONE_FLAG = "contains a phone number"
STAFF_FLAG = "names a staff member: {name}"
DISPLAY_NAME_FLAG = "display name looks like a full name"
FLAGS_MAX_CHARS = 500

_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.IGNORECASE)
# Two or three capitalised words ("Maria Lopez", "Ann K. Smith"): a reviewer may not realise it identifies them.
_FULL_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-z'’-]+$")
_ANONYMOUS = {"anonymous patient", "anonymous"}


def contains_email(text: str) -> bool:
    return bool(_EMAIL.search(text or ""))


def contains_phone(text: str) -> bool:
    # Leniency VALID needs a plausible number, so "5 stars" or "2 sessions in 3 weeks" are not phone numbers.
    return any(True for _ in phonenumbers.PhoneNumberMatcher(text or "", "US",
                                                            leniency=phonenumbers.Leniency.VALID))


def staff_names_in(text: str, staff_names: Iterable[str]) -> list[str]:
    """Staff full names that appear in the text (case-insensitive, ignoring titles such as "Dr.")."""
    haystack = " ".join((text or "").lower().split())
    found = []
    for name in staff_names:
        words = [w for w in re.split(r"\s+", name.strip()) if w.rstrip(".").lower() not in {"dr", "mr", "mrs", "ms"}]
        if len(words) < 2:
            continue
        needle = " ".join(words).lower()
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) and name not in found:
            found.append(name)
    return found


def flags_for(text: str, display_name: str, staff_names: Iterable[str]) -> list[str]:
    """What the moderator should check before publishing, in a stable order."""
    staff = list(staff_names)
    flags: list[str] = []
    both = f"{text}\n{display_name}"
    if contains_email(both):
        flags.append(EMAIL_FLAG)
    if contains_phone(text) or contains_phone(display_name):
        flags.append(PHONE_FLAG)
    for name in staff_names_in(both, staff):
        flags.append(STAFF_FLAG.format(name=name))
    name = (display_name or "").strip()
    if name.lower() not in _ANONYMOUS and _FULL_NAME.match(name):
        flags.append(DISPLAY_NAME_FLAG)
    return flags


def join_flags(flags: list[str]) -> str | None:
    joined = "; ".join(flags)
    return joined[:FLAGS_MAX_CHARS] or None


def split_flags(stored: str | None) -> list[str]:
    return [f for f in (stored or "").split("; ") if f]
