"""CSV files as French spreadsheets open them, and cells they open as text, never as formulas.

French Excel reads a CSV as Windows-1252 with `;` between cells unless told otherwise: Civia's
CSV exports start with a UTF-8 byte order mark and use `;` (`FRENCH`, `BOM`), so accents and
columns come out right on a double click, and LibreOffice reads them as well.

Excel and LibreOffice run a cell starting with `=`, `+`, `-` or `@` (and tab or CR, which they
strip first) as a formula: a use-case title such as `=HYPERLINK("http://…")` in the public
open-data CSV would run on the reader's machine (CSV injection). Such cells get a leading
apostrophe, which spreadsheets hide; plain numbers (`-3`, `+33 1 23`) are left alone.
"""

from __future__ import annotations

import csv
import re
from typing import Any

BOM = "\ufeff"


class FRENCH(csv.excel):
    """The French spreadsheet convention: `;` between cells, CRLF line ends."""

    delimiter = ";"
    lineterminator = "\r\n"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d  .,]*$")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}
