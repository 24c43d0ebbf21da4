"""Whether a name on a board's roster is the clinician we list under the same license number.

Boards write "SMITH, JANE A", "Jane A. Smith MD" or "Smith Jane"; we write "Dr. Jane Smith, MD". Two names are the
same person when the family names share a word and the given names agree (or one is the other's initial). Anything
less goes to an admin: a nickname ("Bob" for "Robert") or a changed family name is a question, not a match.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Titles, degrees and suffixes that say nothing about who the person is.
_NOT_NAMES = frozenset("""
    dr doctor mr mrs ms mx prof md do np pa pac crna rn aprn fnp pmhnp dnp phd psyd lcsw lpc mph msn bsn faafp
    facp jr sr ii iii iv
""".split())
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class PersonName:
    given: str  # "" when the name has a single word
    family: frozenset[str]


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in _WORD.findall(plain.replace("'", "")) if w not in _NOT_NAMES]


def parse_name(text: str) -> PersonName | None:
    """Given and family names from "Family, Given Middle" or "Given Middle Family"; None when no word is left."""
    if "," in text:
        family_part, _, given_part = text.partition(",")
        family, given = _words(family_part), _words(given_part)
        if not given:  # "Jane Smith, MD": the comma set off a degree, not the given names
            return parse_name(family_part)
        if not family:  # ", Jane Smith"
            return parse_name(given_part)
        return PersonName(given[0], frozenset(family))
    words = _words(text)
    if not words:
        return None
    if len(words) == 1:
        return PersonName("", frozenset(words))
    return PersonName(words[0], frozenset([words[-1]]) | _compound_family(text))


def _compound_family(text: str) -> frozenset[str]:
    # "Maria Garcia-Lopez": both halves of a hyphenated family name count, as boards often drop the hyphen.
    last = text.replace(",", " ").split()[-1] if text.split() else ""
    return frozenset(_words(last.replace("-", " "))) if "-" in last else frozenset()


def _family_first(text: str) -> PersonName | None:
    """ "SMITH JANE A", the order of a roster sorted by family name that dropped the comma."""
    words = _words(text)
    return PersonName(words[1], frozenset([words[0]])) if "," not in text and len(words) >= 2 else None


def same_person(roster_name: str, our_name: str) -> bool:
    ours = parse_name(our_name)
    return ours is not None and any(
        theirs is not None and _agree(theirs, ours) for theirs in (parse_name(roster_name), _family_first(roster_name)))


def _agree(theirs: PersonName, ours: PersonName) -> bool:
    if not theirs.family & ours.family:
        return False
    if not theirs.given or not ours.given:
        return True  # one side gives only a family name: nothing contradicts it
    a, b = sorted((theirs.given, ours.given), key=len)
    return a == b or (len(a) == 1 and b.startswith(a))
