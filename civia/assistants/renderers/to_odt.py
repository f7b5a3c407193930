"""OpenDocument text (ODT) export with odfpy: the same content as the DOCX, A4 page, and the
provenance as `meta.xml` fields (`meta:user-defined` for the `civia:*` properties)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from odf import dc, meta
from odf.draw import Frame, Image
from odf.element import Element
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    GraphicProperties,
    ListLevelProperties,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from odf.teletype import addTextToElement
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListStyle, P

from civia.assistants.document import (
    Bullets,
    Heading,
    Notes,
    OfficialDocument,
    Paragraph,
    Table,
)
from civia.assistants.renderers import _common as common

_ALIGN = {"left": "start", "center": "center", "right": "end", "justify": "justify"}
_HEADING_SIZES = {1: "16pt", 2: "13pt", 3: "11.5pt"}


class _Writer:
    """Builds one ODT; paragraph styles are created on first use."""

    def __init__(self, doc: OfficialDocument) -> None:
        self.doc = doc
        self.odt = OpenDocumentText()
        self.colour = f"#{doc.primary_colour.upper()}"
        self._paragraph_styles: dict[tuple[bool, str], Style] = {}
        self._tables = 0
        self._page_and_defaults()
        self.title = self._style(
            "Title",
            "Titre",
            fontsize="20pt",
            fontweight="bold",
            color=self.colour,
            marginbottom="0.4cm",
        )
        self.headings = {
            level: self._style(
                f"Heading_20_{level}",
                f"Titre {level}",
                fontsize=size,
                fontweight="bold",
                color=self.colour,
                margintop="0.4cm",
                marginbottom="0.2cm",
                keepwithnext="always",
                outline=level,
            )
            for level, size in _HEADING_SIZES.items()
        }
        self.head_name = self._style(
            "Civia_Letterhead_Name", "En-tête : collectivité", fontsize="13pt", fontweight="bold"
        )
        self.head_line = self._style(
            "Civia_Letterhead_Line", "En-tête : coordonnées", fontsize="9pt"
        )
        self.caption = self._style("Caption", "Légende", fontsize="9pt", fontstyle="italic")
        self.cell_bold = self._style("Table_20_Heading", "En-tête de tableau", fontweight="bold")
        self.cell = self._style("Table_20_Contents", "Contenu de tableau")
        self.mention = self._style(
            "Civia_Transparency",
            "Mention de transparence",
            fontsize="8pt",
            fontstyle="italic",
            color="#555555",
            margintop="0.6cm",
        )
        self.bullets = ListStyle(name="Puces")
        level = ListLevelStyleBullet(level=1, bulletchar="•")
        level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
        self.bullets.addElement(level)
        self.odt.styles.addElement(self.bullets)
        self.cell_style = Style(name="Cellule", family="table-cell")
        self.cell_style.addElement(
            TableCellProperties(border="0.5pt solid #000000", padding="0.1cm")
        )
        self.odt.automaticstyles.addElement(self.cell_style)

    def _page_and_defaults(self) -> None:
        layout = PageLayout(name="A4")
        layout.addElement(
            PageLayoutProperties(
                pagewidth="21cm",
                pageheight="29.7cm",
                printorientation="portrait",
                margintop="2cm",
                marginbottom="2cm",
                marginleft="2.2cm",
                marginright="2.2cm",
            )
        )
        self.odt.automaticstyles.addElement(layout)
        self.odt.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))
        language, _, country = self.doc.language.partition("-")
        default = DefaultStyle(family="paragraph")
        default.addElement(ParagraphProperties(marginbottom="0.2cm"))
        default.addElement(
            TextProperties(fontsize="11pt", language=language, country=country or "none")
        )
        self.odt.styles.addElement(default)

    def _style(
        self,
        name: str,
        display: str,
        *,
        margintop: str = "0cm",
        marginbottom: str = "0.1cm",
        keepwithnext: str = "auto",
        outline: int | None = None,
        **text: str,
    ) -> Style:
        extra = {"defaultoutlinelevel": str(outline)} if outline else {}
        style = Style(name=name, displayname=display, family="paragraph", **extra)
        style.addElement(
            ParagraphProperties(
                margintop=margintop, marginbottom=marginbottom, keepwithnext=keepwithnext
            )
        )
        if text:
            style.addElement(TextProperties(**text))
        self.odt.styles.addElement(style)
        return style

    def paragraph_style(self, bold: bool, align: str) -> Style:
        key = (bold, align)
        if key not in self._paragraph_styles:
            style = Style(name=f"P{len(self._paragraph_styles) + 1}", family="paragraph")
            style.addElement(ParagraphProperties(textalign=_ALIGN[align]))
            if bold:
                style.addElement(TextProperties(fontweight="bold"))
            self.odt.automaticstyles.addElement(style)
            self._paragraph_styles[key] = style
        return self._paragraph_styles[key]

    def add(self, element: Element) -> None:
        self.odt.text.addElement(element)

    def text(self, style: Style, text: str, *, heading: int = 0) -> None:
        element = H(outlinelevel=heading, stylename=style) if heading else P(stylename=style)
        addTextToElement(element, common.clean(text))
        self.add(element)

    def letterhead(self) -> None:
        head = self.doc.letterhead
        if head is None:
            return
        logo = common.logo(self.doc)
        if logo is not None:
            width = min(3.5, 2.5 / logo.aspect)
            href = self.odt.addPicture("Pictures/logo.png", "image/png", logo.png)
            frame_style = Style(name="Logo", family="graphic")
            frame_style.addElement(GraphicProperties(wrap="none", anchortype="paragraph"))
            self.odt.automaticstyles.addElement(frame_style)
            frame = Frame(
                name="Logo",
                stylename=frame_style,
                anchortype="paragraph",
                width=f"{width:.2f}cm",
                height=f"{width * logo.aspect:.2f}cm",
            )
            frame.addElement(Image(href=href, type="simple", show="embed", actuate="onLoad"))
            holder = P(stylename=self.head_line)
            holder.addElement(frame)
            self.add(holder)
        self.text(self.head_name, common.one_line(head.collectivite))
        for line in common.letterhead_lines(self.doc):
            self.text(self.head_line, line)
        self.add(P())

    def table(self, block: Table) -> None:
        grid = common.grid(block)
        if not grid.width:
            return
        if grid.caption:
            self.text(self.caption, grid.caption)
        self._tables += 1
        name = f"Tableau{self._tables}"
        table_style = Style(name=name, family="table")
        table_style.addElement(TableProperties(width="16.6cm", align="margins"))
        column_style = Style(name=f"{name}.A", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{16.6 / grid.width:.3f}cm"))
        self.odt.automaticstyles.addElement(table_style)
        self.odt.automaticstyles.addElement(column_style)
        table = OdfTable(name=name, stylename=table_style)
        table.addElement(TableColumn(numbercolumnsrepeated=grid.width, stylename=column_style))
        header_rows = TableHeaderRows()  # repeated on every page the table spans
        header_rows.addElement(self._row(grid.header, self.cell_bold))
        table.addElement(header_rows)
        for values in grid.rows:
            table.addElement(self._row(values, self.cell))
        self.add(table)

    def _row(self, values: list[str], style: Style) -> TableRow:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string", stylename=self.cell_style)
            paragraph = P(stylename=style)
            addTextToElement(paragraph, value)
            cell.addElement(paragraph)
            row.addElement(cell)
        return row

    def bullets_list(self, block: Bullets) -> None:
        texts = common.bullet_items(block)
        if not texts:
            return
        items = List(stylename=self.bullets)
        for text in texts:
            item = ListItem()
            paragraph = P(stylename=self.paragraph_style(False, "left"))
            addTextToElement(paragraph, text)
            item.addElement(paragraph)
            items.addElement(item)
        self.add(items)

    def metadata(self) -> None:
        doc, provenance, info = self.doc, self.doc.provenance, self.odt.meta
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
        info.addElement(dc.Title(text=common.one_line(doc.title)))
        info.addElement(dc.Subject(text=common.subject(doc)))
        info.addElement(dc.Description(text=common.mention(doc)))
        info.addElement(meta.InitialCreator(text=common.one_line(provenance.author)))
        creator = provenance.validated_by or provenance.author
        info.addElement(dc.Creator(text=common.one_line(creator)))
        info.addElement(dc.Language(text=doc.language))
        info.addElement(meta.CreationDate(text=now))
        info.addElement(dc.Date(text=now))
        for keyword in common.keywords(doc):
            info.addElement(meta.Keyword(text=keyword))
        for name, value in common.custom_properties(provenance).items():
            if isinstance(value, bool):
                field = meta.UserDefined(
                    name=name, valuetype="boolean", text="true" if value else "false"
                )
            else:
                field = meta.UserDefined(name=name, valuetype="string", text=value)
            info.addElement(field)


def render(doc: OfficialDocument) -> bytes:
    writer = _Writer(doc)
    writer.letterhead()
    writer.text(writer.title, common.one_line(doc.title))
    for block in doc.blocks:
        if isinstance(block, Heading):
            writer.text(writer.headings[block.level], block.text, heading=block.level)
        elif isinstance(block, Paragraph):
            writer.text(writer.paragraph_style(block.bold, block.align), block.text)
        elif isinstance(block, Bullets):
            writer.bullets_list(block)
        elif isinstance(block, Table):
            writer.table(block)
        elif isinstance(block, Notes):
            continue  # speaker notes only mean something in a slide deck
    writer.text(writer.mention, common.mention(doc))
    writer.metadata()
    out = io.BytesIO()
    writer.odt.write(out)
    return out.getvalue()
