"""What the provider is called and how it describes itself."""
from __future__ import annotations

from clinic_finder.inputs.problems import ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.listings.record.level import Level

NAME_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 1000


def check_identity(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    out["name"] = found.take(plain_text, data.get("name"), "name", "name", NAME_MAX,
                             required="Please enter the practice's name.")
    out["description"] = found.take(plain_text, data.get("description"), "description", "description",
                                    DESCRIPTION_MAX, multiline=True)
    for field, label in (("package_pricing_note", "package pricing note"), ("insurance_note", "insurance note")):
        out[field] = found.take(plain_text, data.get(field), field, label, NOTE_MAX, multiline=True)
