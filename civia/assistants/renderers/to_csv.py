"""CSV export, shaped for Excel as French offices run it.

Choices, so that a double click in Excel opens the file right:
- UTF-8 with a byte-order mark (without it Excel reads accents as cp1252), `;` as separator
  (the French list separator, since `,` is the decimal mark), CRLF line ends, quotes only
  where needed; numbers are kept exactly as written ("1 234,56").
- Every table of the document, each with its header row and padded to a rectangle, separated
  by one blank line; a single-table document is therefore a plain CSV. Captions are not written
  (the XLSX export names its sheets after them). A document without tables gives one "Texte"
  column with its headings, paragraphs and bullet items, one per line.
- A cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR, and
  not a number) is prefixed with an apostrophe.
- The transparency mention is the last line, prefixed with "# " so that tools skipping comment
  lines ignore it while a person opening the file sees it.
"""

from __future__ import annotations

import csv
import io

from civia.assistants.document import Bullets, Heading, OfficialDocument, Paragraph
from civia.assistants.renderers import _common as common

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    if cell.startswith(_FORMULA_START) and common.parse_number(cell) is None:
        return "'" + cell
    return cell


def _text_rows(doc: OfficialDocument) -> list[list[str]]:
    rows = [["Texte"]]
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            rows.append([block.text])
        elif isinstance(block, Bullets):
            rows.extend([f"• {item}"] for item in common.bullet_items(block))
    return [[common.clean(cell) for cell in row] for row in rows]


def render(doc: OfficialDocument) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    grids = common.tables(doc)
    for index, grid in enumerate(grids):
        if index:
            writer.writerow([])
        writer.writerows([_safe(cell) for cell in row] for row in [grid.header, *grid.rows])
    if not grids:
        writer.writerows([_safe(cell) for cell in row] for row in _text_rows(doc))
    out.write(f"# {common.mention(doc)}\r\n")
    return out.getvalue().encode("utf-8-sig")
