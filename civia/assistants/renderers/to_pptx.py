"""PowerPoint (PPTX) export with python-pptx, 16:9.

A title slide (title, collectivité, logo, transparency mention), then one slide per level-1
heading with what follows it as bullet points (level-2/3 headings as bold bullets), `Notes`
blocks as that slide's speaker notes and each table on its own slide as a real table. A section
too long for one slide continues on "… (suite)" slides; a paragraph too long for a slide is
shortened there and kept whole in the notes. The collectivité's colour fills a band at the top
of every slide and the titles; provenance goes to core and custom properties.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.presentation import Presentation as PptxPresentation
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

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

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
BAND = Inches(0.22)
CONTENT_WIDTH = Emu(WIDTH - 2 * MARGIN)
# Layouts of python-pptx's default template.
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
# What fits on a 16:9 slide at 18 pt: beyond that a section continues on another slide.
SLIDE_CHARS, SLIDE_LINES, LINE_CHARS, ITEM_CHARS = 900, 9, 80, 450
TABLE_ROWS, CELL_CHARS = 10, 250
PREAMBLE = "Introduction"
CONTINUED = " (suite)"


@dataclass
class _Line:
    text: str
    level: int = 0
    bold: bool = False

    @property
    def cost(self) -> int:
        return max(min(len(self.text), ITEM_CHARS), LINE_CHARS)


@dataclass
class _Section:
    title: str
    items: list[_Line | common.Grid] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _sections(doc: OfficialDocument) -> tuple[list[str], list[_Section]]:
    """The title slide's notes and the sections (a preamble, then one per level-1 heading)."""
    sections = [_Section(PREAMBLE)]
    indent = 0
    for block in doc.blocks:
        current = sections[-1]
        if isinstance(block, Heading) and block.level == 1:
            sections.append(_Section(common.one_line(block.text)))
            indent = 0
        elif isinstance(block, Heading):
            current.items.append(_Line(common.one_line(block.text), block.level - 2, bold=True))
            indent = block.level - 1
        elif isinstance(block, Paragraph):
            current.items.append(_Line(common.clean(block.text), indent, bold=block.bold))
        elif isinstance(block, Bullets):
            current.items.extend(_Line(item, indent) for item in common.bullet_items(block))
        elif isinstance(block, Table):
            grid = common.grid(block)
            if grid.width:
                current.items.append(grid)
        elif isinstance(block, Notes):
            current.notes.append(common.clean(block.text))
    preamble = sections[0]
    if preamble.items:
        return [], sections
    return preamble.notes, sections[1:]  # notes before any content belong to the title slide


def _pages(items: list[_Line]) -> Iterator[list[_Line]]:
    page: list[_Line] = []
    for line in items:
        if page and (
            sum(x.cost for x in page) + line.cost > SLIDE_CHARS or len(page) >= SLIDE_LINES
        ):
            yield page
            page = []
        page.append(line)
    yield page


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


class _Deck:
    def __init__(self, doc: OfficialDocument) -> None:
        self.doc = doc
        self.prs: PptxPresentation = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.colour = RGBColor.from_string(doc.primary_colour.upper())

    def _slide(self, layout: int, title: str) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, BAND)
        self._fill(band)
        heading = slide.shapes.title
        assert heading is not None  # every layout used here has a title
        heading.text_frame.text = title
        heading.text_frame.word_wrap = True
        for paragraph in heading.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = self.colour
                run.font.bold = True
        if layout != TITLE_LAYOUT:
            heading.left, heading.top = MARGIN, BAND + Inches(0.25)
            heading.width, heading.height = CONTENT_WIDTH, Inches(1.0)
            heading.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
            for paragraph in heading.text_frame.paragraphs:
                paragraph.font.size = Pt(30)
        return slide

    def _fill(self, shape: Shape) -> None:
        shape.fill.solid()
        shape.fill.fore_color.rgb = self.colour
        shape.line.fill.background()

    def title_slide(self) -> Slide:
        doc = self.doc
        slide = self._slide(TITLE_LAYOUT, common.one_line(doc.title))
        heading = slide.shapes.title
        assert heading is not None
        heading.left, heading.top = MARGIN, Inches(2.0)
        heading.width, heading.height = CONTENT_WIDTH, Inches(1.9)
        heading.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top = MARGIN, Inches(4.1)
        subtitle.width, subtitle.height = CONTENT_WIDTH, Inches(1.4)
        if doc.letterhead is not None:
            frame = subtitle.text_frame
            frame.text = common.one_line(doc.letterhead.collectivite)
            if doc.letterhead.service.strip():
                frame.add_paragraph().text = common.one_line(doc.letterhead.service)
        else:
            subtitle.element.getparent().remove(subtitle.element)
        logo = common.logo(doc)
        if logo is not None:
            height = Emu(min(Inches(1.1), int(Inches(2.2) * logo.aspect)))
            width = Emu(int(height / logo.aspect))
            slide.shapes.add_picture(
                io.BytesIO(logo.png),
                Emu(WIDTH - MARGIN - width),
                Emu(BAND + Inches(0.3)),
                width,
                height,
            )
        box = slide.shapes.add_textbox(MARGIN, Inches(6.3), CONTENT_WIDTH, Inches(0.8))
        box.text_frame.word_wrap = True
        box.text_frame.text = common.mention(doc)
        for paragraph in box.text_frame.paragraphs:
            paragraph.font.size = Pt(12)
            paragraph.font.italic = True
            paragraph.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        return slide

    def text_slide(self, title: str, lines: list[_Line]) -> tuple[Slide, list[str]]:
        """A bullet slide; returns it and the full text of any line shortened on it."""
        slide = self._slide(CONTENT_LAYOUT, title)
        body = slide.placeholders[1]
        body.left, body.top = MARGIN, BAND + Inches(1.4)
        body.width, body.height = CONTENT_WIDTH, HEIGHT - BAND - Inches(1.9)
        if not lines:
            body.element.getparent().remove(body.element)
            return slide, []
        frame = body.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        shortened = []
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            text = _shorten(line.text, ITEM_CHARS)
            if text != line.text:
                shortened.append(line.text)
            paragraph.text = text
            paragraph.level = max(0, min(line.level, 4))
            paragraph.font.size = Pt(18 if paragraph.level == 0 else 16)
            paragraph.font.bold = line.bold
        return slide, shortened

    def table_slides(self, title: str, grid: common.Grid) -> Iterator[Slide]:
        caption = grid.caption or title
        chunks = [grid.rows[i : i + TABLE_ROWS] for i in range(0, len(grid.rows), TABLE_ROWS)]
        for number, rows in enumerate(chunks or [[]]):
            slide = self._slide(TITLE_ONLY_LAYOUT, caption + (CONTINUED if number else ""))
            top = Emu(BAND + Inches(1.4))
            height = Emu(min(Inches(0.45) * (len(rows) + 1), HEIGHT - top - Inches(0.4)))
            shape = slide.shapes.add_table(
                len(rows) + 1, grid.width, MARGIN, top, CONTENT_WIDTH, height
            )
            table = shape.table
            for row_index, values in enumerate([grid.header, *rows]):
                for column, value in enumerate(values):
                    cell = table.cell(row_index, column)
                    cell.text = _shorten(value, CELL_CHARS)
                    font = cell.text_frame.paragraphs[0].font
                    font.size = Pt(12 if grid.width <= 6 else 10 if grid.width <= 10 else 8)
                    if row_index == 0:
                        font.bold = True
                        font.color.rgb = RGBColor(*common.text_on(self.doc.primary_colour))
                        cell.fill.solid()
                        cell.fill.fore_color.rgb = self.colour
            yield slide

    def section(self, section: _Section) -> Slide:
        """Render a section; returns its first slide (where its notes go)."""
        slides: list[tuple[Slide, list[str]]] = []
        pending: list[_Line] = []

        def flush() -> None:
            for page in _pages(pending):
                if page or not slides:
                    title = section.title + (CONTINUED if slides else "")
                    slides.append(self.text_slide(title, page))
            pending.clear()

        for item in section.items:
            if isinstance(item, common.Grid):
                if pending:
                    flush()
                slides.extend((s, []) for s in self.table_slides(section.title, item))
            else:
                pending.append(item)
        if pending or not slides:
            flush()
        for slide, shortened in slides:
            if shortened:
                _add_notes(slide, [f"Texte intégral : {text}" for text in shortened])
        first = slides[0][0]
        _add_notes(first, section.notes)
        return first

    def properties(self) -> None:
        doc, provenance = self.doc, self.doc.provenance
        props = self.prs.core_properties
        props.title = common.one_line(doc.title)
        props.author = common.one_line(provenance.author)
        props.last_modified_by = common.one_line(provenance.validated_by or provenance.author)
        props.subject = common.subject(doc)
        props.keywords = ", ".join(common.keywords(doc))
        props.comments = common.mention(doc)
        props.category = "Document assisté par IA"
        props.language = doc.language
        props.revision = 1
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        props.created = props.modified = now
        _ooxml.attach_pptx(self.prs.part.package, common.custom_properties(provenance))


def _add_notes(slide: Slide, texts: list[str]) -> None:
    if not texts:
        return
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the default notes master has a body placeholder
    existing = [frame.text] if frame.text else []
    frame.text = "\n\n".join([*existing, *texts])


def render(doc: OfficialDocument) -> bytes:
    deck = _Deck(doc)
    title_slide = deck.title_slide()
    title_notes, sections = _sections(doc)
    _add_notes(title_slide, title_notes)
    for section in sections:
        deck.section(section)
    deck.properties()
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue()
