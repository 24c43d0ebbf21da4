"""Password rules for staff accounts: long enough, not a common password, not the account's own email."""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

MIN_LENGTH = 12
# scrypt cost grows with input; a cap keeps a huge "password" from being a cheap denial of service.
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common passwords (BSD licence, shipped in clinic_finder/data)."""
    raw = resources.files("clinic_finder.data").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(raw).decode().splitlines() if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """A sentence saying why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (a few unrelated words make a good password)."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.strip() != password:
        return "A password cannot start or end with a space."
    lowered = password.lower()
    if lowered in common_passwords():
        return "This password is on a list of common passwords; please choose another."
    if email:
        local = email.split("@", 1)[0].lower()
        if lowered in {email.lower(), local} or (len(local) >= 4 and local in lowered and len(lowered) - len(local) < 6):
            return "A password must not be based on the account's email address."
    return None
