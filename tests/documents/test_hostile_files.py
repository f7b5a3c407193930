"""Uploaded documents that try to make the pipeline read other files (issue 11).

Office files are zipped XML: an external entity (`<!ENTITY x SYSTEM "file:///…">`) must never
be resolved, in text extraction nor in table extraction; an HTML page cannot pull a local file;
a PDF's links to other files are never followed by text extraction nor by the OCR renderer.
Each file names a secret file of the server; its content must appear nowhere.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from civia.documents.errors import DocumentError
from civia.documents.extract import extract
from civia.documents.extract.tables import extract_tables
from tests.documents.files import make_docx, make_odt, make_xlsx

SECRET = "CIVIA-SECRET-7f3a9"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _with_entity(data: bytes, member: str, secret: Path, marker: str) -> bytes:
    """`data` (a zip) with `member` declaring an external entity used in place of `marker`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                text = content.decode("utf-8")
                assert marker in text
                head, _, rest = text.partition("?>")
                doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
                text = head + "?>" + doctype + rest.replace(marker, "&xxe;", 1)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def _hostile(kind: str, secret: Path) -> tuple[bytes, str]:
    if kind == "docx":
        data = make_docx([("h1", "Arrêté du maire"), ("p", "MARQUEUR et suite du texte.")])
        return _with_entity(data, "word/document.xml", secret, "MARQUEUR"), "arrete.docx"
    if kind == "odt":
        data = make_odt([("h1", "Arrêté du maire"), ("p", "MARQUEUR et suite du texte.")])
        return _with_entity(data, "content.xml", secret, "MARQUEUR"), "arrete.odt"
    data = make_xlsx({"Budget": [["Nom", "Montant"], ["MARQUEUR", "12"], ["Voirie", "30"]]})
    member = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in _names(data) else None
    member = member or next(n for n in _names(data) if n.startswith("xl/worksheets/"))
    return _with_entity(data, member, secret, "MARQUEUR"), "budget.xlsx"


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


@pytest.mark.parametrize("kind", ["docx", "odt", "xlsx"])
def test_office_external_entities_are_never_resolved(secret: Path, kind: str) -> None:
    data, name = _hostile(kind, secret)
    texts: list[str] = []
    try:
        texts += [block.text for block in extract(data, name).blocks]
    except DocumentError as exc:  # refusing the file is fine too, with a French message
        texts.append(str(exc))
    try:
        for table in extract_tables(data, name):
            texts += [cell for row in table.rows for cell in row]
    except DocumentError as exc:
        texts.append(str(exc))
    assert texts and SECRET not in " ".join(texts)


def test_html_cannot_pull_a_local_file(secret: Path) -> None:
    page = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body>'
        f"<h1>Horaires</h1><p>&xxe; Mairie ouverte le lundi.</p>"
        f'<iframe src="file://{secret}"></iframe><object data="file://{secret}"></object>'
        f'<img src="file://{secret}"><link rel="import" href="file://{secret}"></body></html>'
    ).encode()
    text = " ".join(block.text for block in extract(page, "horaires.html").blocks)
    assert "Mairie ouverte" in text and SECRET not in text


def test_pdf_links_to_other_files_are_not_followed(secret: Path, tmp_path: Path) -> None:
    """A PDF whose page embeds a launch action and a remote go-to naming the secret file: text
    extraction (and the OCR renderer, for a page without text) read only the PDF itself."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Deliberation du conseil municipal")
    pdf.link(10, 10, 50, 10, f"file://{secret}")
    pdf.add_page()  # no text layer: goes to the renderer
    data = bytes(pdf.output())
    launch = f"/Type /Catalog /OpenAction << /S /Launch /F ({secret}) >>".encode()
    data = data.replace(b"/Type /Catalog", launch, 1)
    try:
        text = " ".join(block.text for block in extract(data, "deliberation.pdf").blocks)
    except DocumentError as exc:
        text = str(exc)
    assert SECRET not in text
