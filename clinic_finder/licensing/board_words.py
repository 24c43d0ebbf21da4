"""What boards' words mean: a roster's license status ("Active", "Lapsed", "Active - Probation") and the
disciplinary actions it lists ("Consent Order; Probation"). Boards do not share a vocabulary, so each word list
below is what the boards we have read use; a status outside them refuses the row rather than being guessed.
"""
from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from clinic_finder.models import DisciplineKind

WORDING_MAX_CHARS = 200  # DisciplinaryAction.board_wording


class Standing(enum.Enum):
    """A roster status reduced to what it means for the license."""

    ACTIVE = "active"
    LAPSED = "lapsed"  # expired, inactive, not renewed, retired: not a current license, not a sanction either
    SUSPENDED = "suspended"
    REVOKED = "revoked"  # revoked or surrendered


# Checked in this order, so "Active - Suspended" is suspended and "Inactive" never reads as "active".
_STANDING_WORDS: tuple[tuple[Standing, tuple[str, ...]], ...] = (
    (Standing.REVOKED, ("revoked", "revocation", "surrendered", "surrender", "denied")),
    (Standing.SUSPENDED, ("suspended", "suspension")),
    (Standing.LAPSED, ("expired", "lapsed", "inactive", "delinquent", "cancelled", "canceled", "retired",
                       "deceased", "null", "void", "closed", "emeritus", "not renewed", "non renewed", "nonrenewed")),
    (Standing.ACTIVE, ("active", "clear", "current", "valid", "licensed", "renewed", "good standing",
                       "unrestricted", "probation", "probationary", "conditional", "restricted", "limited")),
)

# Checked in this order: "probation" before "restriction" because "restricted probation" is probation.
_ACTION_WORDS: tuple[tuple[DisciplineKind, tuple[str, ...]], ...] = (
    (DisciplineKind.REVOCATION, ("revoked", "revocation")),
    (DisciplineKind.SURRENDER, ("surrender", "surrendered")),
    (DisciplineKind.SUSPENSION, ("suspended", "suspension")),
    (DisciplineKind.PROBATION, ("probation", "probationary")),
    (DisciplineKind.CONSENT_ORDER, ("consent order", "consent agreement", "agreed order", "stipulated order",
                                    "stipulation")),
    # Not "limited": a limited license is often a kind of license (a trainee's), not a sanction.
    (DisciplineKind.RESTRICTION, ("restriction", "restricted", "practice limitation", "conditions", "conditional")),
    (DisciplineKind.REPRIMAND, ("reprimand", "censure", "admonishment", "letter of concern")),
)
# Cells that mean "no action": boards fill the column rather than leave it empty.
_NO_ACTION = frozenset({"", "none", "no", "n", "na", "n a", "0", "no action", "no actions", "none on file",
                        "no public action", "no disciplinary action", "no board action", "false"})
# Words that join status words without changing them ("Active in good standing", "Revoked by board order").
_JOINING_WORDS = ("in", "on", "with", "and", "or", "of", "the", "by", "to", "under", "license", "licence", "status",
                  "board", "order", "terms", "practice", "public", "record", "voluntary", "voluntarily")
# Longest first, so "not renewed" goes before "renewed" would leave "not" behind.
_KNOWN_PHRASES = sorted({w for _, words in _STANDING_WORDS + _ACTION_WORDS for w in words} | set(_JOINING_WORDS),
                        key=len, reverse=True)
_ACTION_SEPARATORS = re.compile(r"[;|\n]+")
_WORD_CHARS = re.compile(r"[^a-z0-9]+")


def known_statuses() -> str:
    """The status words a roster may use, by what they mean (for the command's --help)."""
    return "; ".join(f"{standing.value}: {', '.join(words)}" for standing, words in _STANDING_WORDS)


@dataclass(frozen=True)
class BoardAction:
    kind: DisciplineKind
    wording: str  # the board's own words, trimmed to WORDING_MAX_CHARS
    action_on: date | None = None


def _plain(text: str) -> str:
    return " " + _WORD_CHARS.sub(" ", text.lower()).strip() + " "


def _has(plain: str, words: tuple[str, ...]) -> bool:
    return any(f" {w} " in plain for w in words)


def standing_of(status: str) -> Standing | None:
    """The standing a roster status means, or None for a status with a word these lists do not know (so "Not
    active" or "Active?? see notes" is a question for an admin, not read as "active")."""
    plain = _plain(status)
    if _without_known_words(plain).strip():
        return None
    for standing, words in _STANDING_WORDS:
        if _has(plain, words):
            return standing
    return None


def _without_known_words(plain: str) -> str:
    previous = None
    while previous != plain:
        previous = plain
        for phrase in _KNOWN_PHRASES:
            plain = plain.replace(f" {phrase} ", " ")
    return plain


def action_kind(wording: str) -> DisciplineKind:
    plain = _plain(wording)
    for kind, words in _ACTION_WORDS:
        if _has(plain, words):
            return kind
    return DisciplineKind.OTHER


def actions_in_status(status: str) -> list[BoardAction]:
    """A status that carries a sanction ("Active - Probation", "Suspended") lists that action too."""
    plain = _plain(status)
    kinds = [kind for kind, words in _ACTION_WORDS if _has(plain, words)]
    return [BoardAction(kinds[0], _trim(status))] if kinds else []


def actions_in_cell(cell: str, action_on: date | None) -> list[BoardAction]:
    """The actions a discipline column lists, one per ';'- or '|'-separated part; none for "None", "N/A" …"""
    parts = [part.strip() for part in _ACTION_SEPARATORS.split(cell or "")]
    return [BoardAction(action_kind(part), _trim(part), action_on) for part in parts
            if _plain(part).strip() not in _NO_ACTION]


def _trim(text: str) -> str:
    text = " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cc").split())
    return text if len(text) <= WORDING_MAX_CHARS else text[: WORDING_MAX_CHARS - 1] + "…"
