"""Reading a roster file row by row, whatever state it arrives in, with one row in memory at a time.

Boards publish CSV exports with a byte-order mark, CRLF line ends, names quoted across lines, Windows-1252
accents, the odd row with a column too many, and sometimes a download cut short. Each such row comes back with the
reason it cannot be read (RawRow.problem); only a file that cannot be a roster at all (UTF-16, no header, a first
line longer than any header) is refused whole.
"""
from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from clinic_finder.licensing.roster_columns import RosterFileRefused

# No roster line comes near this; a longer one is a file without line ends, or not a CSV, and is skipped unread.
MAX_LINE_BYTES = 64 * 1024
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class RawRow:
    line: int  # the physical line the row starts on (1 is the header)
    cells: list[str]
    problem: str | None = None


class _Lines:
    """The file's physical lines, decoded one at a time; notes each line's trouble for the row being read."""

    def __init__(self, handle: BinaryIO, encoding: str):
        self.handle = handle
        self.encoding = encoding
        self.line = 0
        self.bytes_read = 0
        self.problem: str | None = None
        self.quotes = 0  # '"' seen in the current row: odd at the end of the file means a cut-off quoted value
        self.ended_without_newline = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        self.line += 1
        self.bytes_read += len(raw)
        if self.line == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            self._skip_rest_of_line()
            self._note(f"line {self.line} is longer than {MAX_LINE_BYTES // 1024} KB, so it was not read")
            return "\n"
        if b"\x00" in raw:
            self._note(f"line {self.line} holds NUL bytes (a binary file, or one saved as UTF-16?)")
            raw = raw.replace(b"\x00", b"")
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            self._note(f"line {self.line} is not valid {self.encoding} (byte 0x{raw[exc.start]:02X} at position "
                       f"{exc.start + 1}); if the board publishes Windows-1252, run again with --encoding cp1252")
            text = raw.decode(self.encoding, errors="replace")
        self.quotes += text.count('"')
        self.ended_without_newline = not text.endswith("\n")
        return text

    def _skip_rest_of_line(self) -> None:
        while True:
            chunk = self.handle.readline(MAX_LINE_BYTES)
            self.bytes_read += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                return

    def _note(self, problem: str) -> None:
        self.problem = self.problem or problem

    def take_row_state(self) -> tuple[str | None, bool]:
        """The trouble noted while the last row was read, and whether it was cut off at the end of the file."""
        problem, cut_off = self.problem, self.ended_without_newline and self.quotes % 2 == 1
        self.problem, self.quotes = None, 0
        return problem, cut_off


class RosterReader:
    """Iterate to get RawRows after the header; `header` and `bytes_read` (for a progress bar) are attributes."""

    def __init__(self, handle: BinaryIO, encoding: str = "utf-8"):
        start = handle.read(2)
        if start in _UTF16_BOMS:
            raise RosterFileRefused("the file is UTF-16; save it as UTF-8 (or CSV UTF-8) and run again")
        handle.seek(0)
        self._lines = _Lines(handle, encoding)
        self._reader = csv.reader(self._lines)
        try:
            self.header = next(self._reader)
        except StopIteration:
            raise RosterFileRefused("the file is empty: a roster starts with a header row") from None
        except csv.Error as exc:
            raise RosterFileRefused(f"the header row cannot be read as CSV ({exc})") from None
        problem, _ = self._lines.take_row_state()
        if problem or not any(cell.strip() for cell in self.header):
            raise RosterFileRefused(f"the first line is not a header row: {problem or 'it is blank'}")

    @property
    def bytes_read(self) -> int:
        return self._lines.bytes_read

    def __iter__(self) -> Iterator[RawRow]:
        width = len(self.header)
        while True:
            start = self._lines.line + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._lines.take_row_state()
                yield RawRow(start, [], f"line {start} cannot be read as CSV ({exc})")
                continue
            problem, cut_off = self._lines.take_row_state()
            if not problem and not any(cell.strip() for cell in cells):
                continue  # a blank line
            if problem is None and cut_off:
                problem = "the last line is cut off inside a quoted value: the file looks truncated"
            elif problem is None and len(cells) < width:
                problem = (f"{len(cells)} values where the header has {width} columns"
                           + (": the last line looks truncated" if self._lines.ended_without_newline else ""))
            elif problem is None and len(cells) > width and any(c.strip() for c in cells[width:]):
                problem = (f"{len(cells)} values where the header has {width} columns "
                           "(an unquoted comma inside a value?)")
            yield RawRow(start, cells, problem)
