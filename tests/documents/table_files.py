"""Real files with known tables (fpdf2, python-docx, openpyxl, odfpy) for extraction tests."""

from __future__ import annotations

import io

BUDGET = [
    ["Chapitre", "Libellé", "Montant (euros)"],
    ["011", "Charges à caractère général", "1 234 567,89"],
    ["012", "Charges de personnel", "2 500 000,00"],
    ["65", "Autres charges de gestion courante", "310 250,50"],
]
STAFF = [["Service", "Agents"], ["Voirie", "12"], ["Enfance", "30"], ["Population", "8"]]


def _pdf_table(pdf: object, rows: list[list[str]]) -> None:
    with pdf.table() as table:  # type: ignore[attr-defined]
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def budget_pdf(long_rows: int = 0) -> bytes:
    """Page 1: text only; page 2: the budget table and the staff table; with `long_rows`, a
    third table long enough to run over a page break (continued, header repeated)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(
        0, 6, "Rapport annuel de la commune. Ce premier chapitre ne contient aucun tableau."
    )
    pdf.add_page()
    pdf.cell(0, 8, "Budget primitif 2026 - fonctionnement", new_x="LMARGIN", new_y="NEXT")
    _pdf_table(pdf, BUDGET)
    pdf.ln(8)
    pdf.cell(0, 8, "Effectifs par service", new_x="LMARGIN", new_y="NEXT")
    _pdf_table(pdf, STAFF)
    if long_rows:
        pdf.add_page()
        pdf.cell(0, 8, "Subventions aux associations", new_x="LMARGIN", new_y="NEXT")
        with pdf.table(repeat_headings=1) as table:
            for values in [["Association", "Montant"]] + [
                [f"Association n° {i}", f"{i * 100},00"] for i in range(1, long_rows + 1)
            ]:
                row = table.row()
                for value in values:
                    row.cell(value)
    return bytes(pdf.output())


def text_only_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Compte rendu sans aucun tableau. " * 20)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is only an image: what a scanner produces (no text layer)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 580, 280), outline="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buffer, x=10, y=10, w=180)
    return bytes(pdf.output())


def budget_docx() -> bytes:
    """Heading, caption + budget table, a page break, caption + staff table."""
    import docx

    document = docx.Document()
    document.add_heading("Rapport d'activité", level=1)
    document.add_paragraph("Budget primitif 2026")
    table = document.add_table(rows=0, cols=3)
    for values in BUDGET:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.add_page_break()
    document.add_heading("Ressources humaines", level=2)
    document.add_paragraph("Effectifs par service")
    table = document.add_table(rows=0, cols=2)
    for values in STAFF:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def budget_xlsx() -> bytes:
    """Sheet « Budget »: a title row, a blank row, the table; sheet « Effectifs »: the staff."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    sheet.append(["Budget primitif 2026"])
    sheet.append([])
    sheet.append(BUDGET[0])
    for chapter, label, amount in BUDGET[1:]:
        sheet.append([chapter, label, float(amount.replace(" ", "").replace(",", "."))])
    staff = workbook.create_sheet("Effectifs")
    staff.append(STAFF[0])
    for name, count in STAFF[1:]:
        staff.append([name, int(count)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def english_docx() -> bytes:
    """An English document with headings, paragraphs and a table, to translate."""
    import docx

    document = docx.Document()
    document.add_heading("Opening hours", level=1)
    document.add_paragraph("The town hall is open from Monday to Friday.")
    document.add_heading("Prices", level=2)
    table = document.add_table(rows=0, cols=2)
    for values in (
        ["Service", "Price"],
        ["School canteen", "3.50 euros"],
        ["Library card", "Free"],
    ):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Thank you for your visit.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def corrupted_docx() -> bytes:
    data = budget_docx()
    return data[: len(data) // 2]
