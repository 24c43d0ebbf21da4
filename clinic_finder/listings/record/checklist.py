"""The vetting checklist facts a record carries: a known key once each, a source, and when it was verified."""
from __future__ import annotations

from clinic_finder.inputs.numbers import whole_number
from clinic_finder.inputs.problems import ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.listings.record.fields import objects, one_of
from clinic_finder.listings.record.level import Level
from clinic_finder.models import ChecklistSource
from clinic_finder.vetting import checklist as vetting

VALUE_MAX = 500
NOTE_MAX = 1000
DAYS_MAX = 36_500


VERIFIER_MAX = 254


def check_checklist(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    seen: set[str] = set()
    facts = [(where, _fact(where, item, seen, found)) for where, item in objects(found, data, "checklist")]
    out["checklist"] = [fact for _, fact in facts]
    reviews = _published_reviews(data)
    for where, fact in facts:
        _no_contradiction(where, fact, out, reviews, found)


def _published_reviews(data: dict) -> int:
    """Reviews the record carries that a profile would publish (only demo seeds carry any)."""
    raw = data.get("reviews")
    return sum(1 for r in raw if isinstance(r, dict) and r.get("status") == "approved" and r.get("email_confirmed")) \
        if isinstance(raw, list) else 0


def _no_contradiction(where: str, fact: dict, out: dict, reviews: int, found: ProblemCollector) -> None:
    """A fact that would contradict another on the same profile is refused at entry, with the reason."""
    key, source = fact["key"], fact["source"]
    if key in vetting.DERIVED_KEYS:
        origin = "licenses" if key == vetting.LICENSES_KEY else "published reviews"
        found.add(where + "key", f"'{key}' is worked out from the {origin}; please leave it out.")
    elif key == vetting.FREE_CONSULTATION_KEY and fact["value"] not in (None, "") and \
            fact["value"] != ("yes" if out.get("free_consultation") else "no"):
        found.add(where + "value", "The checklist's free consultation answer differs from the listing's; please "
                                   "give one answer.")
    if source == ChecklistSource.FROM_REVIEWS.value and not reviews:
        found.add(where + "source", "A fact “from patient reviews” needs published reviews; this listing has none.")
    if source == ChecklistSource.ADMIN_VERIFIED.value and (fact["verified_days_ago"] is None
                                                            or not fact["verified_by"]):
        found.add(where + "verified_by" if fact["verified_days_ago"] is not None else where + "verified_days_ago",
                  "A verified fact needs the day it was verified and who verified it.")


def _fact(where: str, item: dict, seen: set[str], found: ProblemCollector) -> dict:
    key = str(item.get("key") or "").strip()
    if not key:
        found.add(where + "key", "Please give the checklist item's key.")
    elif key not in vetting.BY_KEY:
        found.add(where + "key", f"'{key}' is not a checklist item we know.")
    elif key in seen:
        found.add(where + "key", f"'{key}' appears twice; please give each checklist item once.")
    seen.add(key)
    value = item.get("value")
    return {
        "key": key,
        "value": None if value is None else found.take(plain_text, value, where + "value", "value", VALUE_MAX),
        "source": one_of(found, where + "source", item.get("source"), ChecklistSource, "source", required=True),
        "verified_days_ago": found.take(whole_number, item.get("verified_days_ago"), where + "verified_days_ago",
                                        "days since verification", 0, DAYS_MAX),
        "note": found.take(plain_text, item.get("note"), where + "note", "note", NOTE_MAX, multiline=True),
        "verified_by": found.take(plain_text, item.get("verified_by"), where + "verified_by", "verifier",
                                  VERIFIER_MAX),
    }
