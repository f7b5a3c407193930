"""The tables of a file, as grids of cells with where they came from (page, sheet, section).

Libraries do the finding: pdfplumber (ruled tables of a PDF's text layer), python-docx, odfpy
and openpyxl for office files, the CSV reader of `tabular`. Each table keeps its caption (the
short paragraph or heading just before it, or the sheet's title row) and the page (PDF; DOCX
when it carries page breaks) or sheet it came from. A PDF table continued on the next page with
the same columns is joined into one table spanning both pages.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from civia.documents.errors import (
    CorruptedFileError,
    DocumentError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextError,
    UnsupportedFormatError,
)
from civia.documents.extract import detect_format
from civia.documents.extract.base import Limits, check_zip, clean
from civia.documents.extract.tabular import read_rows

logging.getLogger("pdfminer").setLevel(logging.ERROR)

FORMATS = ("pdf", "docx", "odt", "xlsx", "csv")
MAX_TABLES, MAX_ROWS, MAX_COLUMNS = 300, 5_000, 60
_CAPTION_CHARS = 160
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class NoTableError(DocumentError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"Aucun tableau n'a été trouvé dans « {filename} ». Seuls les tableaux véritables "
            "sont repérés (cellules tracées dans un PDF, tableaux Word ou OpenDocument, "
            "feuilles de classeur) ; un tableau dessiné en image ou aligné avec des espaces ne "
            "l'est pas."
        )


class TableFormatError(DocumentError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"Le format de « {filename} » ne contient pas de tableaux lisibles : déposez un "
            "PDF, un document Word (DOCX), OpenDocument (ODT), un classeur XLSX ou un CSV."
        )


@dataclass
class FoundTable:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    page: int | None = None
    page_end: int | None = None
    sheet: str = ""
    section: str = ""
    number: int = 0  # 1-based order in the file
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """« p. 3 », « p. 3-4 », « feuille « Budget » », or the section it sits in."""
        if self.sheet:
            return f"feuille « {self.sheet} »"
        if self.page is not None:
            end = self.page_end if self.page_end not in (None, self.page) else None
            return f"p. {self.page}-{end}" if end else f"p. {self.page}"
        if self.section:
            return f"section « {self.section} »"
        return f"tableau n° {self.number}"

    @property
    def width(self) -> int:
        return max([len(self.header), *(len(r) for r in self.rows)], default=0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "caption": self.caption,
            "where": self.where,
            "page": self.page,
            "page_end": self.page_end,
            "sheet": self.sheet,
            "header": self.header,
            "rows": self.rows,
        }


def extract_tables(
    data: bytes, filename: str, *, mime: str | None = None, limits: Limits | None = None
) -> list[FoundTable]:
    """Every table of the file, in reading order. Raises `DocumentError` subclasses."""

    limits = limits or Limits()
    if not data or not data.strip():
        raise EmptyFileError(filename)
    if len(data) > limits.max_bytes:
        raise FileTooLargeError(filename, limits.max_bytes)
    try:
        kind = detect_format(data, filename, mime)
    except UnsupportedFormatError:
        raise TableFormatError(filename) from None
    if kind not in FORMATS:
        raise TableFormatError(filename)
    if kind in ("docx", "odt", "xlsx"):
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # protected OOXML (OLE)
            raise EncryptedFileError(filename)
        check_zip(data, filename, limits)
    reader = {"pdf": _pdf, "docx": _docx, "odt": _odt, "xlsx": _xlsx, "csv": _csv}[kind]
    found: list[FoundTable] = []
    for raw in reader(data, filename):
        table = _shaped(raw)
        if table is None:
            continue
        found.append(table)
        if len(found) >= MAX_TABLES:
            break
    if not found:
        raise NoTableError(filename)
    for number, table in enumerate(found, start=1):
        table.number = number
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if value.time() != datetime.min.time()
            else (value.strftime("%d/%m/%Y"))
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text.replace(".", ",") if "e" not in text else str(value)
    return " ".join(clean(str(value)).split("\n"))


def _shaped(table: FoundTable) -> FoundTable | None:
    """Rectangular, without empty rows or columns; None when nothing is left."""
    grid = [table.header, *table.rows][: MAX_ROWS + 1]
    grid = [[_cell(c) for c in row][:MAX_COLUMNS] for row in grid]
    grid = [row for row in grid if any(row)]
    if not grid:
        return None
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    keep = [i for i in range(width) if any(row[i] for row in grid)]
    grid = [[row[i] for i in keep] for row in grid]
    if len(grid) < 2 and len(keep) < 2:  # a lone cell is a caption, not a table
        return None
    table.header, table.rows = grid[0], grid[1:]
    table.caption = table.caption[:_CAPTION_CHARS]
    return table


def _caption(text: str) -> str:
    text = " ".join(text.split())
    return text if 0 < len(text) <= _CAPTION_CHARS else ""


# --- PDF (pdfplumber) -------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> Iterator[FoundTable]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    tables: list[FoundTable] = []
    has_text = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                has_text = has_text or bool(page.chars)
                found = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
                for index, table in enumerate(found):
                    rows = [[c or "" for c in row] for row in table.extract()]
                    if not rows:
                        continue
                    top = table.bbox[1]
                    above = page.crop((0, max(0.0, top - 36), page.width, max(top - 1, 0.1)))
                    lines = (above.extract_text() or "").strip().splitlines()
                    item = FoundTable(
                        header=rows[0],
                        rows=rows[1:],
                        caption=_caption(lines[-1]) if lines else "",
                        page=number,
                    )
                    item.meta = {
                        "first_on_page": index == 0,
                        "last_on_page": index == len(found) - 1,
                        "near_bottom": table.bbox[3] > page.height * 0.75,
                        "near_top": top < page.height * 0.25,
                    }
                    tables.append(item)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise EncryptedFileError(filename) from exc
        raise CorruptedFileError(filename, "le PDF") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptedFileError(filename, "le PDF") from exc
    if not has_text:
        raise NoTextError(filename)
    yield from _join_continued(tables)


def _join_continued(tables: list[FoundTable]) -> list[FoundTable]:
    """A table ending a page and one starting the next page, with as many columns, are one
    table split by the page break (its header may be repeated on the new page)."""
    out: list[FoundTable] = []
    for table in tables:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.page is not None
            and table.page == (prev.page_end or prev.page) + 1
            and prev.meta.get("last_on_page")
            and prev.meta.get("near_bottom")
            and table.meta.get("first_on_page")
            and table.meta.get("near_top")
            and len(table.header) == len(prev.header)
            and not table.caption
        ):
            same_header = [c.strip() for c in table.header] == [c.strip() for c in prev.header]
            prev.rows.extend(table.rows if same_header else [table.header, *table.rows])
            prev.page_end = table.page
            prev.meta["last_on_page"] = table.meta["last_on_page"]
            prev.meta["near_bottom"] = table.meta["near_bottom"]
            continue
        out.append(table)
    return out


# --- DOCX (python-docx) -----------------------------------------------------------------------


def _docx(data: bytes, filename: str) -> Iterator[FoundTable]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        paged = bool(
            body.findall(f".//{_W}lastRenderedPageBreak")
            or body.findall(f".//{_W}br[@{_W}type='page']")
        )
        page, last_text, section = 1, "", ""
        out: list[FoundTable] = []
        for element in body.iterchildren():
            if element.tag == f"{_W}p":
                paragraph = Paragraph(element, document)
                text = " ".join(paragraph.text.split())
                breaks = len(element.findall(f".//{_W}br[@{_W}type='page']")) + len(
                    element.findall(f".//{_W}lastRenderedPageBreak")
                )
                if breaks and not text:
                    last_text = ""
                page += breaks
                if text:
                    last_text = text
                    style = (paragraph.style.name if paragraph.style is not None else "") or ""
                    if style.lower().startswith(("heading", "titre", "title")):
                        section = text
            elif element.tag == f"{_W}tbl":
                rows = []
                for row in Table(element, document).rows:
                    cells, seen = [], set()
                    for cell in row.cells:  # a merged cell is repeated: keep it once
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                    rows.append(cells)
                if rows:
                    out.append(
                        FoundTable(
                            header=rows[0],
                            rows=rows[1:],
                            caption=_caption(last_text),
                            page=page if paged else None,
                            section=section,
                        )
                    )
                last_text = ""
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise CorruptedFileError(filename, "le document Word") from exc
    yield from out


# --- ODT (odfpy) ------------------------------------------------------------------------------


def _odt(data: bytes, filename: str) -> Iterator[FoundTable]:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises bare KeyError, xml errors, zip errors...
        raise CorruptedFileError(filename, "le document OpenDocument") from exc
    out: list[FoundTable] = []
    state = {"last": "", "section": ""}

    def walk(node: Any) -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname in ((TEXTNS, "h"), (TEXTNS, "p")):
                text = " ".join(teletype.extractText(child).split())
                if text:
                    state["last"] = text
                    if qname == (TEXTNS, "h"):
                        state["section"] = text
            elif qname == (TABLENS, "table"):
                rows = [_odt_row(row, teletype, TABLENS) for row in _odt_rows(child, TABLENS)]
                if rows:
                    out.append(
                        FoundTable(
                            header=rows[0],
                            rows=rows[1:],
                            caption=_caption(state["last"]),
                            section=state["section"],
                        )
                    )
                state["last"] = ""
            elif qname is not None:
                walk(child)

    walk(document.text)
    yield from out


def _odt_rows(table: Any, ns: str) -> Iterator[Any]:
    for child in table.childNodes:
        qname = getattr(child, "qname", None)
        if qname == (ns, "table-row"):
            yield child
        elif qname in ((ns, "table-header-rows"), (ns, "table-rows")):
            yield from _odt_rows(child, ns)


def _odt_row(row: Any, teletype: Any, ns: str) -> list[str]:
    cells: list[str] = []
    for cell in row.childNodes:
        if getattr(cell, "qname", None) not in ((ns, "table-cell"), (ns, "covered-table-cell")):
            continue
        text = " ".join(teletype.extractText(cell).split())
        repeat = int(cell.getAttrNS(ns, "number-columns-repeated") or 1)
        cells.extend([text] * min(repeat, MAX_COLUMNS if text else 1))
    return cells


# --- XLSX (openpyxl) --------------------------------------------------------------------------


def _xlsx(data: bytes, filename: str) -> Iterator[FoundTable]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl surfaces zip, xml and key errors alike
        raise CorruptedFileError(filename, "le classeur") from exc
    out: list[FoundTable] = []
    try:
        for sheet in workbook.worksheets:
            caption = ""
            block: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS * 2):
                row = [_cell(v) for v in values][:MAX_COLUMNS]
                if not any(row):
                    caption = _flush(out, block, caption, sheet.title)
                    block = []
                    continue
                block.append(row)
            _flush(out, block, caption, sheet.title)
    except Exception as exc:  # sheets are parsed lazily (read_only): a hostile sheet fails here
        raise CorruptedFileError(filename, "le classeur") from exc
    finally:
        workbook.close()
    yield from out


def _flush(out: list[FoundTable], block: list[list[str]], caption: str, sheet: str) -> str:
    """Close a block of rows: a single non-empty cell is the next table's title."""
    if not block:
        return caption
    if len(block) == 1 and sum(1 for c in block[0] if c) == 1:
        return next(c for c in block[0] if c)
    out.append(FoundTable(header=block[0], rows=block[1:], caption=_caption(caption), sheet=sheet))
    return ""


# --- CSV --------------------------------------------------------------------------------------


def _csv(data: bytes, filename: str) -> Iterator[FoundTable]:

    rows = read_rows(data, filename)
    if rows:
        yield FoundTable(header=rows[0], rows=rows[1:])
