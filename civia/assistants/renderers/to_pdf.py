"""PDF export with fpdf2: an A4 document with the letterhead, the content, page numbers, the
transparency mention, and metadata (Info dictionary and XMP with the `civia:*` properties).

French text needs a Unicode TrueType font embedded in the file. The first complete family found
is used: DejaVu Sans from Debian's fonts-dejavu-core, DejaVu Sans shipped inside matplotlib
when it is installed, then Liberation Sans. Without any, the PDF falls back to the PDF core font
Helvetica in Windows-1252 (which still carries French accents, œ, « » and €) and a warning is
logged. Characters the font has no glyph for (emojis, most symbols) are left out rather than
printed as empty boxes.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import PageOrientation
from fpdf.fonts import FontFace

from civia.assistants.document import (
    Bullets,
    Heading,
    Notes,
    OfficialDocument,
    Paragraph,
    Table,
)
from civia.assistants.renderers import _common as common

log = logging.getLogger(__name__)

FAMILY = "CiviaSans"
_STYLES = ("", "B", "I")  # bold italic is never used
_DEJAVU_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
)
_LIBERATION_FILES = tuple(f"LiberationSans-{s}.ttf" for s in ("Regular", "Bold", "Italic"))
_ALIGN = {"left": "L", "center": "C", "right": "R", "justify": "J"}
_HEADING_SIZES = {1: 15.0, 2: 13.0, 3: 11.5}
_LINE = 5.2  # mm per line of 10.5 pt body text
_GREY = (85, 85, 85)
_PORTRAIT_COLUMNS = 8  # wider tables get a landscape page of their own


@dataclass(frozen=True)
class FontFiles:
    """Regular, bold and italic files of one family."""

    regular: Path
    bold: Path
    italic: Path

    @property
    def by_style(self) -> dict[str, Path]:
        return dict(zip(_STYLES, (self.regular, self.bold, self.italic), strict=True))


def font_candidates() -> list[FontFiles]:
    """Where a Unicode font family may be, in order of preference."""
    folders: list[tuple[Path, tuple[str, ...]]] = [
        (Path("/usr/share/fonts/truetype/dejavu"), _DEJAVU_FILES)
    ]
    spec = importlib.util.find_spec("matplotlib")  # located, not imported
    if spec is not None and spec.origin is not None:
        folders.append((Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf", _DEJAVU_FILES))
    folders.append((Path("/usr/share/fonts/truetype/liberation"), _LIBERATION_FILES))
    return [FontFiles(*(folder / name for name in names)) for folder, names in folders]


def find_font(candidates: list[FontFiles] | None = None) -> FontFiles | None:
    """The first candidate family whose files all exist."""
    for files in font_candidates() if candidates is None else candidates:
        if all(path.is_file() for path in files.by_style.values()):
            return files
    return None


@lru_cache(maxsize=8)
def _coverage(files: FontFiles) -> frozenset[int]:
    """Code points every style of the family can draw."""
    maps = []
    for path in files.by_style.values():
        font = TTFont(path, lazy=True)
        maps.append(set(font.getBestCmap()))
        font.close()
    return frozenset(set.intersection(*maps))


class _Pdf(FPDF):
    def __init__(self, doc: OfficialDocument, font: FontFiles | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        self.colour = common.rgb(doc.primary_colour)
        if font is None:
            self.family = "Helvetica"
            self.core_fonts_encoding = "windows-1252"
            self._coverage: frozenset[int] | None = None
        else:
            self.family = FAMILY
            for style, path in font.by_style.items():
                self.add_font(FAMILY, style, str(path))
            self._coverage = _coverage(font)
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=20)
        self.footer_text = self.fit(common.one_line(doc.title))[:90]

    def fit(self, text: str) -> str:
        """Text reduced to what the font can draw; unknown spaces become plain spaces."""
        text = unicodedata.normalize("NFC", common.clean(text))
        out = []
        for char in text:
            if char == "\n" or (char != "\t" and self._drawable(char)):
                out.append(char)
            elif char == "\t" or unicodedata.category(char) == "Zs":
                out.append(" ")
            elif char in "\u2212\u2010\u2011":
                out.append("-")
        return "".join(out)

    def _drawable(self, char: str) -> bool:
        if self._coverage is not None:
            return ord(char) in self._coverage
        try:
            char.encode("windows-1252")
        except UnicodeEncodeError:
            return False
        return unicodedata.category(char)[0] != "C"

    def style(
        self, style: str = "", size: float = 10.5, colour: tuple[int, ...] = (0, 0, 0)
    ) -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-14)
        self.style("", 8, _GREY)
        self.cell(0, 5, f"{self.footer_text} — page {self.page_no()}/{{nb}}", align="C")

    @property
    def _landscape(self) -> bool:
        return self.cur_orientation is PageOrientation.LANDSCAPE

    def portrait(self) -> None:
        """Back to portrait after a wide table's landscape page."""
        if self._landscape:
            self.add_page(orientation="P")

    def text_block(
        self,
        text: str,
        *,
        style: str = "",
        size: float = 10.5,
        align: str = "L",
        colour: tuple[int, ...] = (0, 0, 0),
        after: float = 2.5,
    ) -> None:
        self.style(style, size, colour)
        self.multi_cell(0, size * 0.5, self.fit(text), align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(after)

    def heading(self, text: str, level: int) -> None:
        if self.get_y() > self.page_break_trigger - 25:  # never a heading alone at a page foot
            self.add_page()
        self.ln(2)
        self.text_block(text, style="B", size=_HEADING_SIZES[level], colour=self.colour, after=1.5)

    def bullets(self, items: list[str]) -> None:
        self.style()
        for item in items:
            self.set_x(self.l_margin + 4)
            self.cell(5, _LINE, "•" if self._drawable("•") else "-")
            self.multi_cell(0, _LINE, self.fit(item), new_x="LMARGIN", new_y="NEXT")
            self.ln(0.8)
        self.ln(1.7)

    def table_block(self, block: Table) -> None:
        grid = common.grid(block)
        if not grid.width:
            return
        wide = grid.width > _PORTRAIT_COLUMNS
        if wide and (not self._landscape or self.get_y() > self.page_break_trigger - 30):
            self.add_page(orientation="L")
        elif not wide:
            self.portrait()
            if self.get_y() > self.page_break_trigger - 30:  # caption and header row together
                self.add_page()
        if grid.caption:
            self.text_block(grid.caption, style="I", size=9, after=1)
        size = 9.0 if grid.width <= 6 else 8.0 if grid.width <= 10 else 6.5
        self.style("", size)
        headings = FontFace(
            emphasis="BOLD", color=common.text_on(self.doc.primary_colour), fill_color=self.colour
        )
        with self.table(
            headings_style=headings,
            line_height=size * 0.5,
            text_align="LEFT",
            padding=1.2,
            width=self.epw,
        ) as table:
            for values in [grid.header, *grid.rows]:
                row = table.row()
                for value in values:
                    row.cell(self.fit(value))
        self.ln(3)

    def letterhead(self) -> None:
        head = self.doc.letterhead
        if head is None:
            return
        logo = common.logo(self.doc)
        if logo is not None:
            width = min(35.0, 22.0 / logo.aspect)
            self.image(io.BytesIO(logo.png), x=self.l_margin, y=self.t_margin, w=width)
            self.set_y(self.t_margin + width * logo.aspect + 3)
        self.text_block(head.collectivite, style="B", size=13, after=0.5)
        for line in common.letterhead_lines(self.doc):
            self.text_block(line, size=9, after=0)
        self.ln(8)

    def mention(self) -> None:
        self.portrait()
        if self.get_y() > self.page_break_trigger - 20:  # the mention is never split
            self.add_page()
        self.ln(4)
        self.set_draw_color(*_GREY)
        self.line(self.l_margin, self.get_y(), self.l_margin + 60, self.get_y())
        self.ln(2)
        self.text_block(common.mention(self.doc), style="I", size=8, colour=_GREY)

    def metadata(self) -> None:
        doc, provenance = self.doc, self.doc.provenance
        self.set_title(common.one_line(doc.title))
        self.set_author(common.one_line(provenance.author))
        self.set_subject(common.subject(doc))
        self.set_keywords(", ".join(common.keywords(doc)))
        self.set_creator("Civia")
        self.set_lang(doc.language)
        self.set_creation_date(datetime.now(UTC))
        self.set_xmp_metadata(_xmp(doc))


_XMP_NS = "urn:civia:provenance:1.0#"  # not a URL: nothing to resolve


def _xmp(doc: OfficialDocument) -> str:
    """XMP packet body: Dublin Core fields plus the `civia:*` provenance properties."""
    props = common.custom_properties(doc.provenance)
    attrs = " ".join(
        f"{name}={quoteattr(('true' if value else 'false') if isinstance(value, bool) else value)}"
        for name, value in props.items()
    )
    keywords = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in common.keywords(doc))
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:civia="{_XMP_NS}" {attrs}>'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(common.one_line(doc.title))}'
        "</rdf:li></rdf:Alt></dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(common.one_line(doc.provenance.author))}"
        "</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(common.mention(doc))}'
        "</rdf:li></rdf:Alt></dc:description>"
        f"<dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(doc.language)}</rdf:li></rdf:Bag></dc:language>"
        f"<pdf:Keywords>{escape(', '.join(common.keywords(doc)))}</pdf:Keywords>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def render_with_font(doc: OfficialDocument, font: FontFiles | None) -> bytes:
    """Render with the given font family (None: the core-font fallback)."""
    pdf = _Pdf(doc, font)
    pdf.add_page()
    pdf.letterhead()
    pdf.text_block(doc.title, style="B", size=18, colour=pdf.colour, after=5)
    for block in doc.blocks:
        if not isinstance(block, Table | Notes):
            pdf.portrait()
        if isinstance(block, Heading):
            pdf.heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            pdf.text_block(block.text, style="B" if block.bold else "", align=_ALIGN[block.align])
        elif isinstance(block, Bullets):
            pdf.bullets(common.bullet_items(block))
        elif isinstance(block, Table):
            pdf.table_block(block)
        elif isinstance(block, Notes):
            continue  # speaker notes only mean something in a slide deck
    pdf.mention()
    pdf.metadata()
    return bytes(pdf.output())


def render(doc: OfficialDocument) -> bytes:
    font = find_font()
    if font is None:
        log.warning(
            "no Unicode TrueType font found (install Debian's fonts-dejavu-core): "
            "PDF written with Helvetica, Windows-1252 characters only"
        )
    return render_with_font(doc, font)
