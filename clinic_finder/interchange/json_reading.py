"""Reading our own JSON files — the seed format, {"format": "clinic_finder-seed/1", …, "providers": [ … ]} — one
provider at a time, so memory holds one provider however long the file is.

The top-level object and the providers list are walked by hand; each provider (and every other top-level value)
is decoded by the standard library's C decoder. A whole-file problem (not JSON, not a seed file, a file cut off
part-way) raises ValueError when it is met, which may be after some providers were yielded: our files are all or
nothing, so the import engine then rolls back everything it read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

SEED_FORMAT = "clinic_finder-seed/1"
CHUNK_CHARS = 1 << 16
# No provider comes near this; a longer value is a broken file, and reading it whole would defeat the streaming.
MAX_VALUE_CHARS = 16 << 20

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Text:
    """A window on the file's text: what is not yet consumed, and the line its start is on (for messages)."""

    def __init__(self, handle: TextIO):
        self.handle, self.buffer, self.at, self.line, self.ended = handle, "", 0, 1, False

    def _more(self, at_least: int = CHUNK_CHARS) -> bool:
        chunk = self.handle.read(at_least)
        if not chunk:
            self.ended = True
            return False
        self.line += self.buffer.count("\n", 0, self.at)
        self.buffer, self.at = self.buffer[self.at:] + chunk, 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file), left unconsumed."""
        while True:
            self.at = _WHITESPACE.match(self.buffer, self.at).end()
            if self.at < len(self.buffer) or not self._more():
                return self.buffer[self.at:self.at + 1]

    def take(self, char: str, expected: str) -> None:
        if self.peek() != char:
            raise self.invalid(f"Expecting {expected}")
        self.at += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as exc:
                pending = len(self.buffer) - self.at
                if pending > MAX_VALUE_CHARS:
                    raise self.invalid(f"a value longer than {MAX_VALUE_CHARS >> 20} M characters ({exc.msg})") \
                        from None
                # Probably cut by the chunk: read as much again (not a chunk more, so a long value costs O(n)).
                if not self._more(max(CHUNK_CHARS, pending)):
                    raise self.invalid(exc.msg, exc.pos) from None
                continue
            if end == len(self.buffer) and not self.ended and self._more():
                continue  # a number or a literal at the chunk's end may go on in the next one
            self.at = end
            return value

    def invalid(self, message: str, position: int | None = None) -> ValueError:
        position = self.at if position is None else position
        line = self.line + self.buffer.count("\n", 0, position)
        if self.ended and (not self.buffer[position:].strip() or message.startswith("Unterminated string")):
            message += "; the file ends before the JSON does (was it cut off?)"
        return ValueError(f"line {line}: not valid JSON: {message}")


def seed_providers(path: Path) -> Iterator[tuple[int, Any]]:
    """(position in the list from 1, provider as decoded) for each provider of a seed-format file, in order.

    ValueError when the file is not a seed file or not JSON (see the module docstring for when), UnicodeDecodeError
    when it is not UTF-8 text, OSError when it cannot be read.
    """
    not_seed = ValueError(f'not a seed file (expected "format": "{SEED_FORMAT}")')
    with path.open(encoding="utf-8-sig", newline="") as handle:
        text = _Text(handle)
        if text.peek() != "{":
            text.value()  # not JSON at all: says where; JSON of another shape: not a seed file
            raise not_seed
        text.at += 1
        found_format, found_providers, first = None, False, True
        while text.peek() != "}":
            if not first:
                text.take(",", "',' delimiter")
            first = False
            if text.peek() != '"':
                raise text.invalid("Expecting property name enclosed in double quotes")
            key = text.value()
            text.take(":", "':' delimiter")
            if key != "providers":
                value = text.value()
                if key == "format":
                    if value != SEED_FORMAT:
                        raise not_seed
                    found_format = value
                continue
            if text.peek() != "[":
                text.value()
                raise ValueError('"providers" must be a list')
            found_providers = True
            yield from _list_items(text)
        text.at += 1
        if text.peek() != "":
            raise text.invalid("Extra data")
    if found_format is None:
        raise not_seed
    if not found_providers:
        raise ValueError('"providers" must be a list')


def _list_items(text: _Text) -> Iterator[tuple[int, Any]]:
    text.take("[", "'['")
    if text.peek() == "]":
        text.at += 1
        return
    index = 0
    while True:
        index += 1
        yield index, text.value()
        if text.peek() == "]":
            text.at += 1
            return
        text.take(",", "',' delimiter")
