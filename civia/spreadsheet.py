"""CSV cells that a spreadsheet opens as text, never as a formula.

Excel and LibreOffice run a cell starting with `=`, `+`, `-` or `@` (and tab or CR, which they
strip first) as a formula: a use-case title such as `=HYPERLINK("http://…")` in the public
open-data CSV would run on the reader's machine (CSV injection). Such cells get a leading
apostrophe, which spreadsheets hide; plain numbers (`-3`, `+33 1 23`) are left alone.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d  .,]*$")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}
