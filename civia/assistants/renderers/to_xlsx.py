"""Excel (XLSX) export with openpyxl.

Each table becomes a sheet (named from its caption, else "Tableau N") with a bold, frozen,
filterable header row; cells that read as French numbers ("1 234,56", "12,5 %", "1 200 €")
become numbers with a matching format, everything else stays text (a leading "=" never becomes
a formula). A document without tables gets a "Contenu" sheet with its text instead. A final
"À propos" sheet shows the provenance and the transparency mention, which are also written as
workbook and custom document properties.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.packaging.custom import BoolProperty, StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from civia.assistants.document import Bullets, Heading, OfficialDocument, Paragraph
from civia.assistants.renderers import _common as common

ABOUT, CONTENT = "À propos", "Contenu"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL = 32_767  # Excel's limit per cell
_HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_name(caption: str, index: int, taken: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\, no edge apostrophes."""
    base = _FORBIDDEN.sub(" ", common.one_line(caption)).strip(" '")
    base = " ".join(base.split())[:31].strip(" '") or f"Tableau {index}"
    if base.casefold() == "history":  # reserved by Excel
        base = f"Tableau {index}"
    name, suffix = base, 1
    while name.casefold() in taken:
        suffix += 1
        tail = f" ({suffix})"
        name = base[: 31 - len(tail)].rstrip(" '") + tail
    taken.add(name.casefold())
    return name


def _number_format(number: common.Number) -> str:
    decimals = "." + "0" * number.decimals if number.decimals else ""
    if number.kind == "percent":
        return f"0{decimals}%"
    integer = "#,##0" if number.grouped or number.kind == "euro" else "0"
    return f'{integer}{decimals} "€"' if number.kind == "euro" else f"{integer}{decimals}"


def _write(sheet: Worksheet, row: int, column: int, text: str) -> int:
    """Write one cell (number when it reads as one); returns its display width."""
    if not text:
        return 0  # padding of a ragged row: leave the cell truly empty
    cell = sheet.cell(row=row, column=column)
    number = common.parse_number(text)
    if number is not None:
        cell.value = number.value
        cell.number_format = _number_format(number)
        return len(text)
    cell.value = text[:_MAX_CELL]
    cell.data_type = "s"  # text, even when it starts with "=" (no formula injection)
    if "\n" in text:
        cell.alignment = _WRAP
    return max((len(line) for line in text.splitlines()), default=0)


def _table_sheet(sheet: Worksheet, grid: common.Grid) -> None:
    widths = [0] * grid.width
    for row, values in enumerate([grid.header, *grid.rows], start=1):
        for column, text in enumerate(values, start=1):
            if row == 1:
                cell = sheet.cell(row=1, column=column)
                if text:
                    cell.value = text[:_MAX_CELL]
                    cell.data_type = "s"
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
                cell.alignment = _WRAP
                width = len(text)
            else:
                width = _write(sheet, row, column, text)
            widths[column - 1] = max(widths[column - 1], width)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
        if width > 58:  # long text wraps instead of running across the sheet
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column, min_row=2):
                cell.alignment = _WRAP
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(grid.width)}{len(grid.rows) + 1}"
    sheet.print_title_rows = "1:1"


def _content_sheet(sheet: Worksheet, doc: OfficialDocument) -> None:
    sheet.column_dimensions["A"].width = 100
    row = 1
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            texts, bold = [block.text], isinstance(block, Heading) or block.bold
        elif isinstance(block, Bullets):
            texts, bold = [f"• {item}" for item in common.bullet_items(block)], False
        else:
            continue
        for text in texts:
            cell = sheet.cell(row=row, column=1, value=common.clean(text)[:_MAX_CELL])
            cell.data_type = "s"
            cell.font = Font(bold=bold)
            cell.alignment = _WRAP
            row += 1


def _about_sheet(sheet: Worksheet, doc: OfficialDocument) -> None:
    provenance = doc.provenance
    validated = (
        provenance.validated_at.strftime("%d/%m/%Y %H:%M") if provenance.validated_at else ""
    )
    rows = [
        ("Document", common.one_line(doc.title)),
        ("Collectivité", common.one_line(doc.letterhead.collectivite) if doc.letterhead else ""),
        ("Assistant", common.one_line(provenance.assistant_name)),
        ("Identifiant de l'assistant", common.one_line(provenance.assistant_id)),
        ("Modèle d'IA", common.one_line(provenance.model)),
        ("Rédigé par", common.one_line(provenance.author)),
        ("Validé par", common.one_line(provenance.validated_by) or "Non validé (brouillon)"),
        ("Validé le", validated),
        ("Mention", common.mention(doc)),
    ]
    for row, (label, value) in enumerate(rows, start=1):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=row, column=2, value=value)
        cell.data_type = "s"
        cell.alignment = _WRAP
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100


def _properties(workbook: Workbook, doc: OfficialDocument) -> None:
    provenance = doc.provenance
    props = workbook.properties
    props.title = common.one_line(doc.title)
    props.creator = common.one_line(provenance.author)
    props.lastModifiedBy = common.one_line(provenance.validated_by or provenance.author)
    props.subject = common.subject(doc)
    props.keywords = ", ".join(common.keywords(doc))
    props.description = common.mention(doc)
    props.category = "Document assisté par IA"
    props.language = doc.language
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    for name, value in common.custom_properties(provenance).items():
        if isinstance(value, bool):
            workbook.custom_doc_props.append(BoolProperty(name=name, value=value))
        else:
            workbook.custom_doc_props.append(StringProperty(name=name, value=value))


def render(doc: OfficialDocument) -> bytes:
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    taken = {ABOUT.casefold(), CONTENT.casefold()}
    grids = common.tables(doc)
    for index, grid in enumerate(grids, start=1):
        _table_sheet(workbook.create_sheet(sheet_name(grid.caption, index, taken)), grid)
    if not grids:
        _content_sheet(workbook.create_sheet(CONTENT), doc)
    _about_sheet(workbook.create_sheet(ABOUT), doc)
    _properties(workbook, doc)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
