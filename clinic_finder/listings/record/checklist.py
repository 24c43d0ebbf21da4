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


def check_checklist(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    seen: set[str] = set()
    out["checklist"] = [_fact(where, item, seen, found) for where, item in objects(found, data, "checklist")]


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
    }
