"""One rule for every cell Trajectory writes to a CSV or Excel file: no formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
treat a leading tab or carriage return the same way), so a council or indicator name, a
note or a symbol that starts with one could run ``=HYPERLINK(...)`` or worse on the
reader's machine. ``safe_cell`` puts an apostrophe in front of such text, which spreadsheets
show as a plain string. Plain numbers stay numbers: ``-3.5`` and ``+2`` are left alone.

Every export uses it: the trajectory, compare and league CSVs (``reports``), the observations
export (``indicators.exports``) and the return templates (``indicators.returns.uploads``).
"""

from __future__ import annotations

import re
from typing import Any, overload

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@overload
def safe_cell(value: str) -> str: ...
@overload
def safe_cell(value: Any) -> Any: ...
def safe_cell(value: Any) -> Any:
    """``value`` made safe to open in a spreadsheet. Text starting with a formula character
    gets a leading apostrophe unless it is a plain number; anything that is not text (numbers,
    dates, None) is returned as it is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return f"'{value}"


def safe_row(row: Any) -> list[Any]:
    """Every cell of a row made safe."""
    return [safe_cell(cell) for cell in row]


def restore(text: str) -> str:
    """Undo ``safe_cell`` on text read back from a file we wrote (a filled-in template)."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
