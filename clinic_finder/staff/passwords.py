"""Password rules for staff accounts: long enough, not a common password, not based on the account's own email,
and hard to guess by zxcvbn's estimate (which knows keyboard patterns, repeats, dates, names and words)."""
from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

from zxcvbn import zxcvbn

MIN_LENGTH = 12
# scrypt cost grows with input; a cap keeps a huge "password" from being a cheap denial of service.
MAX_LENGTH = 256
# zxcvbn's score: 3 means about 10^8 guesses, "safely unguessable" against an online attack and costly offline
# against scrypt. Lower scores are what the attack on the site got through (aaaaaaaaaaaa, 123456789012, ...).
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters carry the estimate.
SCORED_LENGTH = 72
# Words an attacker of this site would try first, as zxcvbn's user inputs.
SITE_WORDS = ("clinic", "finder", "clinicfinder", "ketamine", "admin", "moderator", "staff", "infusion")
HOW_TO_CHOOSE = ("A good password is four or more unrelated words, e.g. from a phrase only you would think of, "
                 "or a long random one from a password manager.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common passwords (BSD licence, shipped in clinic_finder/data)."""
    raw = resources.files("clinic_finder.data").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(raw).decode().splitlines() if line.strip())


def _personal_words(email: str | None, name: str | None) -> list[str]:
    words = list(SITE_WORDS)
    for value in (email, name):
        if value:
            value = value.lower()
            words.append(value)
            words += [part for part in re.split(r"[^a-z0-9]+", value) if len(part) >= 3]
    if email:
        words.append(email.lower().split("@", 1)[0])
    return words


def password_problem(password: str, email: str | None = None, name: str | None = None) -> str | None:
    """A sentence saying why a password is refused and how to choose a better one, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (a few unrelated words make a good password)."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.strip() != password:
        return "A password cannot start or end with a space."
    lowered = password.lower()
    if lowered in common_passwords():
        return f"This password is on a list of common passwords; please choose another. {HOW_TO_CHOOSE}"
    if email:
        local = email.split("@", 1)[0].lower()
        if lowered in {email.lower(), local} or (len(local) >= 4 and local in lowered and len(lowered) - len(local) < 6):
            return f"A password must not be based on the account's email address. {HOW_TO_CHOOSE}"
    estimate = zxcvbn(password[:SCORED_LENGTH], user_inputs=_personal_words(email, name))
    if estimate["score"] < MIN_SCORE:
        feedback = estimate["feedback"]
        why = feedback.get("warning") or "It would be guessed quickly."
        tips = " ".join(feedback.get("suggestions") or [])
        return " ".join(filter(None, [f"This password is too easy to guess. {why}", tips, HOW_TO_CHOOSE]))
    return None
