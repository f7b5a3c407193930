"""Word (DOCX) export with python-docx: A4 page, letterhead, title, headings, paragraphs,
bullets, tables, the visible transparency mention, and core + custom properties."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from civia.assistants.document import (
    Bullets,
    Heading,
    Notes,
    OfficialDocument,
    Paragraph,
    Table,
)
from civia.assistants.renderers import _common as common
from civia.assistants.renderers import _ooxml

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_LOGO_MAX_WIDTH = Cm(3.5)
_LOGO_MAX_HEIGHT = Cm(2.5)


def render(doc: OfficialDocument) -> bytes:
    document = Document()
    colour = RGBColor.from_string(doc.primary_colour.upper())
    _page_and_language(document, doc.language)
    _letterhead(document, doc)
    title = document.add_heading(common.one_line(doc.title), level=0)
    for run in title.runs:
        run.font.color.rgb = colour
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = document.add_heading(common.one_line(block.text), level=block.level)
            for run in heading.runs:
                run.font.color.rgb = colour
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            paragraph.add_run(common.clean(block.text)).bold = block.bold
            paragraph.alignment = _ALIGN[block.align]
        elif isinstance(block, Bullets):
            for item in common.bullet_items(block):
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Notes):
            continue  # speaker notes only mean something in a slide deck
    _mention(document, doc)
    _properties(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_and_language(document: DocxDocument, language: str) -> None:
    # python-docx's template is US Letter in English: French administration writes on A4.
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = None if defaults is None else defaults.find(f".//{qn('w:lang')}")
    if lang is not None:  # spell-checking and hyphenation in French
        lang.set(qn("w:val"), language)


def _letterhead(document: DocxDocument, doc: OfficialDocument) -> None:
    if doc.letterhead is None:
        return
    logo = common.logo(doc)
    if logo is not None:
        width = min(_LOGO_MAX_WIDTH, int(_LOGO_MAX_HEIGHT / logo.aspect))
        document.add_picture(io.BytesIO(logo.png), width=width)
    name = document.add_paragraph()
    name.paragraph_format.space_after = Pt(0)
    run = name.add_run(common.one_line(doc.letterhead.collectivite))
    run.bold = True
    run.font.size = Pt(13)
    for line in common.letterhead_lines(doc):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).font.size = Pt(9)
    document.add_paragraph()


def _table(document: DocxDocument, block: Table) -> None:
    grid = common.grid(block)
    if not grid.width:
        return
    if grid.caption:
        document.add_paragraph(grid.caption, style="Caption")
    table = document.add_table(rows=1, cols=grid.width)
    table.style = "Table Grid"
    header = table.rows[0]
    # Repeat the header row on every page the table spans.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, grid.header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in grid.rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(text)
    document.add_paragraph()


def _mention(document: DocxDocument, doc: OfficialDocument) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(18)
    run = paragraph.add_run(common.mention(doc))
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _properties(document: DocxDocument, doc: OfficialDocument) -> None:
    provenance = doc.provenance
    props = document.core_properties
    props.title = common.one_line(doc.title)
    props.author = common.one_line(provenance.author)
    props.last_modified_by = common.one_line(provenance.validated_by or provenance.author)
    props.subject = common.subject(doc)
    props.keywords = ", ".join(common.keywords(doc))
    props.comments = common.mention(doc)
    props.category = "Document assisté par IA"
    props.language = doc.language
    props.revision = 1
    # python-docx writes naive datetimes as UTC.
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    _ooxml.attach_docx(document.part.package, common.custom_properties(provenance))
