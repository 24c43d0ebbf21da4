"""What the provider offers: treatments, conditions, prices, session length, consultation and insurance."""
from __future__ import annotations

from clinic_finder.inputs.numbers import whole_dollars, whole_number
from clinic_finder.inputs.problems import ProblemCollector
from clinic_finder.listings.record.fields import chosen, truthy
from clinic_finder.listings.record.level import Level
from clinic_finder.models import Condition, Route

# A sanity bound, not a judgement: the guide's typical infusion is $400–$800.
PRICE_MAX_USD = 20_000
SESSION_MAX_MINUTES = 24 * 60
BOOL_FIELDS = ("free_consultation", "insurance_accepted", "superbill_offered")


def check_treatments(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    out["routes"] = chosen(found, "routes", data.get("routes"), Route, "treatments")
    out["conditions"] = chosen(found, "conditions", data.get("conditions"), Condition, "conditions")
    if level is not Level.PUBLISHABLE:
        return
    if not out["routes"] and not found.has("routes"):
        found.add("routes", "Please tick at least one treatment you offer.")
    if not out["conditions"] and not found.has("conditions"):
        found.add("conditions", "Please tick at least one condition you treat.")


def check_prices(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    low = out["price_min_usd"] = found.take(whole_dollars, data.get("price_min_usd"), "price_min_usd",
                                            "lowest price", PRICE_MAX_USD)
    high = out["price_max_usd"] = found.take(whole_dollars, data.get("price_max_usd"), "price_max_usd",
                                             "highest price", PRICE_MAX_USD)
    if low is not None and high is not None and low > high:
        found.add("price_max_usd", f"The highest price (${high:,}) is below the lowest (${low:,}). Please check both.")
    elif level is Level.PUBLISHABLE and high is not None and low is None and not found.has("price_min_usd"):
        found.add("price_min_usd", "Please give the lowest price too (it may be the same as the highest).")
    out["session_length_minutes"] = found.take(whole_number, data.get("session_length_minutes"),
                                               "session_length_minutes", "session length in minutes", 1,
                                               SESSION_MAX_MINUTES)
    for field in BOOL_FIELDS:
        out[field] = truthy(data.get(field))
