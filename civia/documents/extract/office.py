"""Office documents: DOCX (python-docx), ODT (odfpy), XLSX (openpyxl).

Each container is checked against zip bombs before any library opens it.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from civia.documents.errors import CorruptedFileError, EncryptedFileError, NoTextError
from civia.documents.extract.base import (
    Block,
    Extracted,
    HeadingTracker,
    Limits,
    check_zip,
    clean,
    stem_title,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected OOXML is an OLE container
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)
_ROWS_PER_BLOCK = 20


def _open_zip(data: bytes, filename: str, limits: Limits) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise EncryptedFileError(filename)
    return check_zip(data, filename, limits)


def _done(title: str, mime: str, blocks: list[Block], filename: str, **kw: Any) -> Extracted:
    if not blocks:
        raise NoTextError(filename)
    return Extracted(title=title or stem_title(filename), mime=mime, blocks=blocks, **kw)


# --- DOCX -------------------------------------------------------------------------------------


def extract_docx(data: bytes, filename: str, limits: Limits) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _open_zip(data, filename, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        has_breaks = bool(
            body.findall(f".//{_W}lastRenderedPageBreak")
            or body.findall(f".//{_W}br[@{_W}type='page']")
        )
        tracker = HeadingTracker()
        blocks: list[Block] = []
        page = 1
        title = document.core_properties.title or ""
        for element in body.iterchildren():
            if element.tag == f"{_W}p":
                paragraph = Paragraph(element, document)
                starts_on_next, breaks = _page_breaks(element)
                page += 1 if starts_on_next else 0
                text = clean(paragraph.text)
                where = page if has_breaks else None
                page += breaks - (1 if starts_on_next else 0)
                if not text:
                    continue
                style = paragraph.style.name if paragraph.style is not None else ""
                match = _HEADING_STYLE.match(style or "")
                if match or style == "Title":
                    level = int(match.group(1)) if match else 0
                    if level <= 1:
                        title = title or text
                    tracker.push(level, text)
                    blocks.append(Block(text, tracker.path, where, "heading"))
                else:
                    blocks.append(Block(text, tracker.path, where))
            elif element.tag == f"{_W}tbl":
                rows = [
                    [clean(cell.text) for cell in row.cells]
                    for row in Table(element, document).rows
                ]
                where = page if has_breaks else None
                blocks.extend(
                    Block(text, tracker.path, where, "table") for text in table_blocks(rows)
                )
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise CorruptedFileError(filename, "le document Word") from exc
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _done(title, mime, blocks, filename, pages=page if has_breaks else None)


def _page_breaks(paragraph: Any) -> tuple[bool, int]:
    """(does the paragraph start on a new page, how many page breaks it contains)."""
    seen_text = False
    starts_on_next = False
    count = 0
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            seen_text = True
        elif node.tag == f"{_W}lastRenderedPageBreak" or (
            node.tag == f"{_W}br" and node.get(f"{_W}type") == "page"
        ):
            count += 1
            if not seen_text:
                starts_on_next = True
    return starts_on_next, count


def table_blocks(rows: list[list[str]]) -> list[str]:
    """Render table rows as "header: value" lines, a few rows per block."""
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    header = rows[0]
    use_header = len(rows) > 1 and all(header) and len(set(header)) == len(header)
    lines: list[str] = []
    if not use_header:
        lines = [" | ".join(cell for cell in row if cell) for row in rows]
    else:
        lines = [
            " ; ".join(
                f"{name} : {value}" for name, value in zip(header, row, strict=False) if value
            )
            for row in rows[1:]
        ]
    return [
        "\n".join(lines[i : i + _ROWS_PER_BLOCK]) for i in range(0, len(lines), _ROWS_PER_BLOCK)
    ]


# --- ODT --------------------------------------------------------------------------------------


def extract_odt(data: bytes, filename: str, limits: Limits) -> Extracted:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    _open_zip(data, filename, limits)
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises bare KeyError, xml errors, zip errors...
        raise CorruptedFileError(filename, "le document OpenDocument") from exc
    tracker = HeadingTracker()
    blocks: list[Block] = []
    title = ""

    def walk(node: Any) -> None:
        nonlocal title
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (TEXTNS, "h"):
                text = clean(teletype.extractText(child))
                if text:
                    level = int(child.getAttrNS(TEXTNS, "outline-level") or 1)
                    title = title or text
                    tracker.push(level, text)
                    blocks.append(Block(text, tracker.path, kind="heading"))
            elif qname == (TEXTNS, "p"):
                text = clean(teletype.extractText(child))
                if text:
                    blocks.append(Block(text, tracker.path))
            elif qname == (TABLENS, "table"):
                rows = [
                    [
                        clean(teletype.extractText(cell))
                        for cell in row.childNodes
                        if getattr(cell, "qname", None) == (TABLENS, "table-cell")
                    ]
                    for row in child.getElementsByType(_odf_row())
                ]
                blocks.extend(Block(t, tracker.path, kind="table") for t in table_blocks(rows))
            elif qname is not None:
                walk(child)

    walk(document.text)
    meta_title = ""
    try:
        from odf import dc

        titles = document.meta.getElementsByType(dc.Title)
        meta_title = clean(teletype.extractText(titles[0])) if titles else ""
    except (AttributeError, IndexError):
        meta_title = ""
    return _done(meta_title or title, "application/vnd.oasis.opendocument.text", blocks, filename)


def _odf_row() -> Any:
    from odf.table import TableRow

    return TableRow


# --- XLSX -------------------------------------------------------------------------------------


def extract_xlsx(data: bytes, filename: str, limits: Limits) -> Extracted:
    import openpyxl

    _open_zip(data, filename, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl surfaces zip, xml and key errors alike
        raise CorruptedFileError(filename, "le classeur") from exc
    blocks: list[Block] = []
    sheets = 0
    try:
        for sheet in workbook.worksheets:
            sheets += 1
            rows = [
                ["" if value is None else clean(str(value)) for value in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            texts = table_blocks(rows)
            if texts:
                blocks.append(Block(sheet.title, (sheet.title,), kind="heading"))
                blocks.extend(Block(t, (sheet.title,), kind="table") for t in texts)
    except Exception as exc:  # sheets are parsed lazily (read_only): a hostile sheet fails here
        raise CorruptedFileError(filename, "le classeur") from exc
    finally:
        workbook.close()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _done("", mime, blocks, filename, pages=None, meta={"sheets": sheets})
