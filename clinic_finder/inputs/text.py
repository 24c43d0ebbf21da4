"""Plain text from a person or a file: trimmed, bounded, without control characters or markup."""
from __future__ import annotations

import re
from typing import Any

from clinic_finder.inputs.problems import InvalidInput

CONTROL_CHARACTERS_MESSAGE = "Please remove the invisible control characters from this text."
MARKUP_MESSAGE = "Please use plain text: remove the HTML tags (text between < and >)."

# Plain text only: anything that looks like markup is refused with a message rather than silently altered.
_MARKUP = re.compile(r"<\s*/?\s*[a-z!?]", re.IGNORECASE)
# C0 and C1 controls and DEL. Line breaks and tabs are allowed only where a field is multi-line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str | None, allow_line_breaks: bool = False) -> bool:
    """Invisible control characters (a NUL byte, say) have no place in a name or a message, and PostgreSQL
    refuses NUL in text columns, so they are refused with a message instead of failing later."""
    pattern = _CONTROL_EXCEPT_LINE_BREAKS if allow_line_breaks else _CONTROL
    return bool(text) and pattern.search(text) is not None


def has_markup(text: str | None) -> bool:
    return bool(text) and _MARKUP.search(text) is not None


def plain_text(raw: Any, field: str, label: str, max_len: int, *, multiline: bool = False,
               required: str | None = None, allow_markup: bool = False) -> str | None:
    """The text trimmed (None when empty, or InvalidInput(required) when a message for a missing value is given)."""
    value = str(raw if raw is not None else "").strip()
    if not value:
        if required:
            raise InvalidInput(field, required, "missing")
        return None
    if len(value) > max_len:
        raise InvalidInput(field, f"Please keep the {label.lower()} under {max_len:,} characters "
                                  f"(it has {len(value):,}).", "too_long")
    if has_control_characters(value, allow_line_breaks=multiline):
        raise InvalidInput(field, CONTROL_CHARACTERS_MESSAGE, "invalid_characters")
    if not allow_markup and has_markup(value):
        raise InvalidInput(field, MARKUP_MESSAGE, "markup")
    return value
