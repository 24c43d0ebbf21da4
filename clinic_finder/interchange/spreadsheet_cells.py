"""Cells a spreadsheet would run as formulas, made inert on the way out and restored exactly on the way in.

OWASP's CSV-injection guidance: a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)` becomes a live link, `=cmd|...` worse).
Prefixing such a cell with a single quote makes the spreadsheet show it as text. A cell that truly begins with a
quote is prefixed too, so reading strips exactly one quote and gives back what was written. Plain numbers
(a negative longitude, -73.99) are left alone: a spreadsheet reads them as numbers, which they are.
"""
from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_quote(value: str) -> bool:
    if value.startswith(QUOTE):
        return True
    return value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralize(value: str) -> str:
    """The cell as written to a file: inert in any spreadsheet, and `restore` gives the value back."""
    return QUOTE + value if _needs_quote(value) else value


def restore(cell: str) -> str:
    """The value a written cell stands for. Only a quote `neutralize` would have added is taken off, so a cell
    typed by hand as `'hello` (which we never write) is kept as it is, and a formula a person typed into a file
    stays text: it is data to us, and it is neutralized again whenever it is written out."""
    if cell.startswith(QUOTE) and _needs_quote(cell[1:]):
        return cell[1:]
    return cell
