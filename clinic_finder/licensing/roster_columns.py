"""The column mapping of a license board's roster: which header spellings mean which fact.

Columns are read by name, in any order; a header matches when it equals one of the spellings below after
lowercasing and turning punctuation into spaces ("LICENSE_NO", "License #" and "license no." all read as the
license number). Other columns are ignored. The command's --help and the README show this same table.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RosterColumn:
    key: str
    meaning: str
    required: bool
    spellings: tuple[str, ...]  # as normalised by header_key


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("license_number", "the license number as the board prints it", True,
                 ("license number", "license no", "license num", "license nbr", "license", "lic number", "lic no",
                  "lic num", "number", "license id")),
    RosterColumn("name", "the licensee's name (\"SMITH, JANE A\" or \"Jane A. Smith\")", True,
                 ("name", "full name", "licensee", "licensee name", "provider name", "practitioner name")),
    RosterColumn("first_name", "instead of a name column: given name, with the family name below", False,
                 ("first name", "given name", "fname")),
    RosterColumn("last_name", "instead of a name column: family name, with the given name above", False,
                 ("last name", "family name", "surname", "lname")),
    RosterColumn("status", "the license status (\"Active\", \"Expired\", \"Active - Probation\", \"Suspended\" …)",
                 True, ("status", "license status", "lic status", "licensure status", "current status")),
    RosterColumn("expiry", "the expiry date (YYYY-MM-DD, MM/DD/YYYY, 31-MAY-2026 …)", True,
                 ("expiration date", "expiration", "expiry date", "expiry", "expires", "expires on", "exp date",
                  "license expiration date", "license expiration", "license expiry date", "lic exp date")),
    RosterColumn("discipline", "disciplinary actions, ';'-separated (\"Probation; Consent Order\"); empty or "
                 "\"None\" for none", False,
                 ("discipline", "disciplinary action", "disciplinary actions", "board action", "board actions",
                  "public action", "public actions", "action", "actions")),
    RosterColumn("discipline_date", "the date of the disciplinary action", False,
                 ("discipline date", "disciplinary action date", "action date", "board action date", "order date")),
    RosterColumn("license_type", "the kind of license (MD, DO, NP, \"Physician\", \"Registered Nurse\" …); "
                 "needed only when one number is on file for two professions", False,
                 ("license type", "lic type", "type", "profession", "credential", "license category")),
    RosterColumn("state", "the issuing state, when the file holds several: rows of other states are skipped",
                 False, ("state", "license state", "issuing state", "state of license")),
)
_BY_SPELLING = {spelling: column.key for column in COLUMNS for spelling in column.spellings}
_NOT_WORDS = re.compile(r"[^a-z0-9]+")


class RosterFileRefused(ValueError):
    """The whole file cannot be read as a roster; nothing was changed."""


def header_key(header: str) -> str:
    return _NOT_WORDS.sub(" ", header.replace("\ufeff", "").lower().replace("#", " number ")).strip()


def map_header(header: Sequence[str]) -> dict[str, int]:
    """{column key: position} for the header row, or RosterFileRefused naming what is missing or doubled."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _BY_SPELLING.get(header_key(name))
        if key is None:
            continue
        if key in found:
            raise RosterFileRefused(f"two columns both read as the {key.replace('_', ' ')}: "
                                    f"'{header[found[key]]}' and '{name}'; rename or remove one")
        found[key] = position
    if "name" not in found and {"first_name", "last_name"} <= found.keys():
        found["name"] = -1  # built from the two parts (see RosterColumns.values)
    missing = [c for c in COLUMNS if c.required and c.key not in found]
    if missing:
        shown = ", ".join(f"'{h}'" for h in header[:30]) or "none"
        needed = "; ".join(f"{c.key.replace('_', ' ')} (e.g. {', '.join(repr(s) for s in c.spellings[:4])})"
                           for c in missing)
        raise RosterFileRefused(f"the header lacks a column for: {needed}. Its columns are: {shown}. "
                                "See --help for every accepted spelling")
    return found


def value(row: Sequence[str], positions: dict[str, int], key: str) -> str:
    """One column's value (stripped; "" when the column is absent or the row too short)."""
    i = positions.get(key, -1)
    return row[i].strip() if 0 <= i < len(row) else ""


def values(row: Sequence[str], positions: dict[str, int]) -> dict[str, str]:
    """The row's value for each mapped column (stripped), the name joined from its parts when need be."""
    out = {key: row[i].strip() if 0 <= i < len(row) else "" for key, i in positions.items()}
    if positions.get("name") == -1:
        out["name"] = f"{out.get('last_name', '')}, {out.get('first_name', '')}".strip(" ,")
    return out


def help_table() -> str:
    """The mapping as the command's --help prints it (click keeps lines after a \\b line as they are)."""
    lines = ["\b"]
    for column in COLUMNS:
        need = "required" if column.required else "optional"
        lines += textwrap.wrap(f"{column.key} ({need}): {column.meaning}", 100, initial_indent="  ",
                               subsequent_indent="      ")
        lines += textwrap.wrap(f"headers: {', '.join(column.spellings)}", 100, initial_indent="      ",
                               subsequent_indent="        ")
    return "\n".join(lines)
