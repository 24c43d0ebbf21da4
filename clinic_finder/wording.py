"""How facts are worded, once: counts with their noun ("1 year", "15,000 treatments"), state names in a sentence
("in the District of Columbia"), dates, ages, distances and money. Templates use these as filters (templating.py) and JSON
`display` fields call them directly, so a page and the API never word the same fact two ways.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from clinic_finder.geo.states import state_name

# Nouns whose plural is not the singular plus "s".
_IRREGULAR = {"day": "days", "license": "licenses", "review": "reviews", "check": "checks", "month": "months",
              "year": "years", "person": "people", "provider": "providers", "treatment": "treatments"}
# Jurisdictions whose name takes "the" in a sentence.
_WITH_ARTICLE = {"DC"}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun that goes with a count: plural(1, "year") == "year", plural(2, "year") == "years"."""
    if count == 1:
        return singular
    return plural_form or _IRREGULAR.get(singular) or singular + "s"


def number(value: int | float) -> str:
    """A whole number with thousands separators: 15000 -> "15,000"."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def quantity(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 year", "15,000 treatments", "0 reviews"."""
    return f"{number(count)} {plural(count, singular, plural_form)}"


def miles(distance: float) -> str:
    """A distance to a clinic: "3.2 mi" under ten miles, "12 mi" from there."""
    return f"{distance:.1f} mi" if distance < 10 else f"{distance:.0f} mi"


def radius_miles(radius: float) -> str:
    """A search radius as it was asked for: "25 mi", "2.5 mi"."""
    return f"{radius:g} mi"


def state_in_sentence(code: str) -> str:
    """A state's name as it reads inside a sentence: "New York", "the District of Columbia"."""
    name = state_name(code)
    return f"the {name}" if code.upper() in _WITH_ARTICLE else name


def usd(amount: int | None) -> str:
    """Whole US dollars: 15000 -> "$15,000" (empty when unknown)."""
    return "" if amount is None else f"${amount:,}"


def usd_range(low: int | None, high: int | None) -> str:
    """A provider's prices: "$400", "$400–$800" (empty when unknown)."""
    if low is None:
        return ""
    return usd(low) if high is None or high == low else f"{usd(low)}–{usd(high)}"


def price_per_session(low: int | None, high: int | None, missing: str = "Price not provided") -> str:
    """ "$400–$800 per session", as every page, export and card words a provider's prices."""
    return missing if low is None else f"{usd_range(low, high)} per session"


def long_date(moment: datetime | date | None) -> str:
    """ "March 4, 2026" (empty when unknown)."""
    if moment is None:
        return ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def days_ago(moment: datetime | date | None, today: date | None = None) -> str:
    """ "today", "yesterday", "12 days ago", "14 months ago", "1 year ago"."""
    if moment is None:
        return "never"
    today = today or datetime.now(UTC).date()
    day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{quantity(days, 'day')} ago"
    if days < 730:
        return f"{quantity(days // 30, 'month')} ago"
    return f"{quantity(days // 365, 'year')} ago"
