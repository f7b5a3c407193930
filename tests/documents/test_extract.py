"""Extraction of every supported format, and French refusals of bad input."""

from __future__ import annotations

import io

import pytest

from civia.documents.errors import (
    CorruptedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextError,
    SuspiciousArchiveError,
    UnsupportedFormatError,
    WrongContentError,
)
from civia.documents.extract import Limits, extract
from civia.documents.ingest import read_limited
from tests.documents.files import (
    encrypt_pdf,
    make_docx,
    make_odt,
    make_pdf,
    make_xlsx,
    make_zip_bomb,
)


def test_pdf_text_and_page_numbers() -> None:
    data = make_pdf(
        [
            ["Délibération n° 12 du conseil municipal.", "Objet : tarifs de la cantine."],
            ["Article 2 : le tarif est fixé à 3,20 euros."],
        ],
        title="Délibération cantine",
    )
    result = extract(data, "deliberation.pdf")
    assert result.mime == "application/pdf"
    assert result.pages == 2
    assert result.title == "Délibération cantine"
    pages = {block.page for block in result.blocks}
    assert pages == {1, 2}
    assert any("3,20 euros" in b.text and b.page == 2 for b in result.blocks)
    assert any("Délibération" in b.text for b in result.blocks)


def test_pdf_encrypted_is_refused_in_french() -> None:
    data = encrypt_pdf(make_pdf([["Document confidentiel de la mairie."]]))
    with pytest.raises(EncryptedFileError, match="protégé par un mot de passe"):
        extract(data, "confidentiel.pdf")


def test_pdf_with_empty_user_password_opens() -> None:
    data = encrypt_pdf(make_pdf([["Règlement intérieur de la médiathèque."]]), password="")
    assert "médiathèque" in extract(data, "reglement.pdf").blocks[0].text


def test_pdf_corrupted_and_scanned() -> None:
    with pytest.raises(CorruptedFileError, match="endommagé"):
        extract(b"%PDF-1.4\n1 0 obj garbage \x00\x01 trailer", "casse.pdf")
    with pytest.raises(WrongContentError, match="n'est pas un PDF"):
        extract(b"ceci n'est pas un PDF", "faux.pdf")
    with pytest.raises(NoTextError, match="numérisé"):
        extract(make_pdf([[]]), "scan.pdf")


def test_docx_headings_tables_and_pages() -> None:
    data = make_docx(
        [
            ("h1", "Règlement de voirie"),
            ("p", "Préambule du règlement."),
            ("h2", "Article 1 — Occupation"),
            ("p", "Toute occupation est soumise à permis."),
            ("table", "Tarif|Montant;Terrasse|12 €;Échafaudage|8 €"),
            ("h2", "Article 2 — Travaux"),
            ("p", "Les travaux sont déclarés en mairie."),
        ],
        page_break_before=5,
    )
    result = extract(data, "voirie.docx")
    assert result.title == "Règlement de voirie"
    occupation = next(b for b in result.blocks if "permis" in b.text)
    assert occupation.headings == ("Règlement de voirie", "Article 1 — Occupation")
    table = next(b for b in result.blocks if b.kind == "table")
    assert "Tarif : Terrasse ; Montant : 12 €" in table.text
    travaux = next(b for b in result.blocks if "mairie" in b.text)
    assert travaux.headings[-1] == "Article 2 — Travaux"
    assert occupation.page == 1 and travaux.page == 2


def test_odt_headings() -> None:
    data = make_odt([("h1", "Compte rendu"), ("h2", "Point 1"), ("p", "Vote du budget primitif.")])
    result = extract(data, "cr.odt")
    block = next(b for b in result.blocks if "budget" in b.text)
    assert block.headings == ("Compte rendu", "Point 1")
    assert result.title == "Compte rendu"


def test_xlsx_rows_with_headers() -> None:
    data = make_xlsx(
        {"Subventions": [["Association", "Montant"], ["Club de foot", 1500], ["Chorale", 300]]}
    )
    result = extract(data, "subventions.xlsx")
    text = "\n".join(b.text for b in result.blocks)
    assert "Association : Club de foot ; Montant : 1500" in text
    assert all(b.headings == ("Subventions",) for b in result.blocks)


def test_csv_semicolon_multiline_and_cp1252() -> None:
    rows = 'DELIB_ID;DELIB_OBJET;VOTE_POUR\n"2023-1";"Création d\'un\nmarché de Noël";12\n'
    result = extract(rows.encode("cp1252"), "deliberations.csv")
    assert "DELIB_OBJET : Création d'un\nmarché de Noël" in result.blocks[0].text


def test_html_keeps_headings_and_drops_navigation() -> None:
    html = """<html><head><title>Carte d'identité</title><style>p{}</style></head><body>
    <nav>Accueil | Menu</nav><h1>Carte d'identité</h1><p>Présentez-vous en mairie.</p>
    <h2>Pièces à fournir</h2><ul><li>Photo récente</li><li>Justificatif de domicile</li></ul>
    <script>alert(1)</script><div>Texte libre <b>important</b></div></body></html>"""
    result = extract(html.encode(), "cni.html")
    texts = [b.text for b in result.blocks]
    assert "Accueil | Menu" not in " ".join(texts) and "alert" not in " ".join(texts)
    photo = next(b for b in result.blocks if b.text == "Photo récente")
    assert photo.headings == ("Carte d'identité", "Pièces à fournir")
    assert "Texte libre important" in texts
    assert result.title == "Carte d'identité"


def test_markdown_and_windows_1252_text() -> None:
    md = "# Guide\n\nIntroduction.\n\n## Déchets\n\nLa déchèterie ouvre à 9 h.\n"
    result = extract(md.encode(), "guide.md")
    block = next(b for b in result.blocks if "déchèterie" in b.text)
    assert block.headings == ("Guide", "Déchets")
    text = "Arrêté du maire : fête de l'été, règlement « spécial » — œuvre."
    plain = extract(text.encode("cp1252"), "arrete.txt")
    assert plain.blocks[0].text == text


def test_empty_unsupported_and_too_large() -> None:
    with pytest.raises(EmptyFileError, match="est vide"):
        extract(b"", "vide.txt")
    with pytest.raises(EmptyFileError):
        extract(b"  \n ", "blanc.txt")
    with pytest.raises(UnsupportedFormatError, match="pas pris en charge"):
        extract(b"GIF89a\x01\x00\x01\x00....", "image.gif")  # images: PNG, JPEG, TIFF
    with pytest.raises(FileTooLargeError, match="taille maximale"):
        extract(b"x" * 2000, "gros.txt", limits=Limits(max_bytes=1000))
    with pytest.raises(FileTooLargeError):
        read_limited(io.BytesIO(b"x" * 5000), "gros.pdf", 4096)
    assert read_limited(io.BytesIO(b"abc"), "petit.txt", 4096) == b"abc"


def test_zip_bomb_disguised_as_docx_is_refused() -> None:
    bomb = make_zip_bomb(size=5_000_000)
    assert len(bomb) < 20_000
    with pytest.raises(SuspiciousArchiveError, match="piégé"):
        extract(bomb, "rapport.docx", limits=Limits(max_unzipped_bytes=1_000_000))
    with pytest.raises(SuspiciousArchiveError):
        extract(bomb, "tableau.xlsx", limits=Limits(max_unzipped_bytes=1_000_000))


def test_zip_bomb_lying_about_its_size_is_refused() -> None:
    bomb = bytearray(make_zip_bomb(size=3_000_000))
    # Patch the declared uncompressed size (local header and central directory) to 10 bytes.
    local = bomb.find(b"PK\x03\x04", bomb.find(b"word/") - 40)
    central = bomb.find(b"PK\x01\x02", bomb.find(b"PK\x01\x02") + 1)
    bomb[local + 22 : local + 26] = (10).to_bytes(4, "little")
    bomb[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises((SuspiciousArchiveError, CorruptedFileError)):
        extract(bytes(bomb), "piege.docx", limits=Limits(max_unzipped_bytes=1_000_000))


def test_corrupted_office_files() -> None:
    with pytest.raises(CorruptedFileError):
        extract(b"PK\x03\x04 not really a zip", "abime.docx")
    with pytest.raises(EncryptedFileError):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "protege.docx")


def test_hostile_html_and_binary_text_are_refused() -> None:
    deep = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    with pytest.raises(CorruptedFileError, match="La page HTML"):
        extract(deep.encode(), "profond.html")
    with pytest.raises(CorruptedFileError, match="fichier texte"):
        extract(b"abc\x00\x00\x00def" * 10, "binaire.txt")


@pytest.mark.parametrize(
    ("name", "expected"), [("rapport.pdf", "PDF"), ("note.docx", "DOCX"), ("budget.xlsx", "XLSX")]
)
def test_a_renamed_program_is_called_what_it_is(name: str, expected: str) -> None:
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00This program cannot be run in DOS mode." * 20
    with pytest.raises(WrongContentError, match=f"n'est pas un {expected}"):
        extract(program, name)
