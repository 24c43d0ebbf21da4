"""Small readers shared by the record's sections: lists, yes/no values, closed vocabularies, nested objects."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from clinic_finder.inputs.problems import ProblemCollector

_YES = {"y", "yes", "true", "1", "on"}


def text_or_none(raw: Any) -> str | None:
    """A value as text for the kit's parsers (a JSON file may give a ZIP or a phone as a number)."""
    return None if raw is None else str(raw)


def as_list(raw: Any) -> list:
    """A form gives one checkbox as a string, a file gives a list; nothing is an empty list."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, (str, int)):
        return [raw]
    return list(raw)


def truthy(raw: Any) -> bool:
    """A form's "y", a CSV's "yes"/"no", a JSON true/false."""
    if isinstance(raw, str):
        return raw.strip().lower() in _YES
    return bool(raw)


@cache
def _values(enum_cls) -> tuple[str, ...]:
    """A closed list's values in its order: walking an Enum class costs about a microsecond a member, and an
    import asks for the same few lists on every row."""
    return tuple(m.value for m in enum_cls)


def chosen(found: ProblemCollector, field: str, raw: Any, enum_cls, label: str) -> list[str]:
    """Values from a closed list, in the list's own order and without repeats; unknown ones are named."""
    values = [str(v).strip() for v in as_list(raw)]
    allowed = _values(enum_cls)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        found.add(field, f"Please choose {label} from the list ({', '.join(repr(v) for v in unknown)} "
                         f"{'is' if len(unknown) == 1 else 'are'} not on it).")
    return [value for value in allowed if value in values]


def one_of(found: ProblemCollector, field: str, raw: Any, enum_cls, label: str, required: bool = False) -> str | None:
    """One value from a closed list, or None after recording what is accepted."""
    value = "" if raw is None else str(raw).strip()
    if not value:
        if required:
            found.add(field, f"Please give the {label}.")
        return None
    if value not in _values(enum_cls):
        allowed = ", ".join(_values(enum_cls))
        found.add(field, f"Please choose the {label} from: {allowed} ('{value}' is not one of them).")
        return None
    return value


def objects(found: ProblemCollector, data: dict, key: str) -> Iterator[tuple[str, dict]]:
    """("locations[1].", {...}) for each object of a nested list; anything else is reported, not guessed at."""
    raw = data.get(key)
    if raw is None or raw == "":
        return
    if not isinstance(raw, list):
        found.add(key, "Please give a list.")
        return
    for index, item in enumerate(raw, start=1):
        if isinstance(item, dict):
            yield f"{key}[{index}].", item
        else:
            found.add(f"{key}[{index}]", "Please give an object with named fields.")
