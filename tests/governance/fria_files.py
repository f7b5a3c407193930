"""Real PDF, DOCX and ODT files for the Art. 27 upload tests (built with the libraries that
Civia's renderers use, so they are what an office suite would produce)."""

from __future__ import annotations

import io
import zipfile


def pdf(text: str = "Analyse d'impact", *, password: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(text: str = "Analyse d'impact sur les droits fondamentaux") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(text: str = "Analyse d'impact sur les droits fondamentaux") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "pas un document")
    return out.getvalue()
