"""OCR of scanned PDFs: only pages without a text layer are read, with Debian's tesseract."""

from __future__ import annotations

import io
import os

import pytest

from civia.documents.analysis import fold
from civia.documents.errors import (
    CorruptedFileError,
    ImageTooLargeError,
    NoTextError,
    WrongContentError,
)
from civia.documents.extract import Limits, extract, ocr
from tests.documents.scans import declared_png, mixed_pdf, page_image, photo, scanned_pdf

# CI installs tesseract (.ci/run): there, its absence is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    not ocr.available() and not os.environ.get("CI"), reason="tesseract-ocr-fra not installed"
)
LINES = [
    "Délibération du conseil municipal",
    "La déchèterie sera ouverte le samedi matin.",
    "Le budget primitif est adopté à l'unanimité.",
]


def test_scanned_pdf_words_come_back_with_their_page() -> None:
    seen: list[tuple[int, int]] = []
    result = extract(scanned_pdf([LINES, ["Arrêté du maire relatif au stationnement."]]),
                     "scan.pdf", progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert result.meta["ocr_pages"] == [1, 2] and result.pages == 2
    page1 = fold(" ".join(b.text for b in result.blocks if b.page == 1))
    page2 = fold(" ".join(b.text for b in result.blocks if b.page == 2))
    for word in ("deliberation", "decheterie", "samedi", "budget", "unanimite"):
        assert word in page1, (word, page1)
    assert "stationnement" in page2
    assert seen[-1] == (2, 2) and (1, 2) in seen  # real fractions, page by page


def test_only_pages_without_text_go_through_ocr() -> None:
    result = extract(
        mixed_pdf(["Page tapée à la machine : horaires de la mairie."], LINES), "m.pdf"
    )
    assert result.meta["ocr_pages"] == [2]
    assert any("horaires de la mairie" in b.text for b in result.blocks if b.page == 1)
    assert "budget" in " ".join(b.text for b in result.blocks if b.page == 2)


def test_without_ocr_a_scan_is_reported_in_french() -> None:
    data = scanned_pdf([LINES])
    with pytest.raises(NoTextError, match="pas disponible sur ce serveur"):
        extract(data, "scan.pdf", limits=Limits(ocr=False))
    blank = scanned_pdf([[]])
    with pytest.raises(NoTextError, match="n'a rien lu"):
        extract(blank, "blanc.pdf")


FORM = ["Formulaire de demande de carte de stationnement", "Téléphone : 06 12 34 56 78"]


@pytest.mark.parametrize(("name", "fmt", "mime"), [("formulaire.png", "PNG", "image/png"),
                                                   ("photo.jpg", "JPEG", "image/jpeg")])  # fmt: skip
def test_a_photo_of_a_form_is_read_by_ocr(name: str, fmt: str, mime: str) -> None:
    result = extract(photo(FORM, fmt), name)
    assert result.mime == mime and result.meta["ocr_pages"] == [1] and result.pages == 1
    text = fold(" ".join(b.text for b in result.blocks))
    assert "stationnement" in text and "06 12 34 56 78" in text, text


def test_a_multipage_tiff_is_read_up_to_the_page_limit() -> None:
    images = [page_image([f"Page numéro {n} du dossier de subvention"]) for n in (1, 2, 3)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    result = extract(out.getvalue(), "dossier.tiff", limits=Limits(ocr_max_pages=2))
    assert result.meta == {"ocr_pages": [1, 2], "pages_without_text": [3]} and result.pages == 3
    assert {b.page for b in result.blocks} == {1, 2}
    assert "subvention" in fold(" ".join(b.text for b in result.blocks if b.page == 2))


def test_hostile_or_wrong_images_are_refused_in_french() -> None:
    with pytest.raises(ImageTooLargeError, match="millions de pixels"):
        extract(declared_png(100_000, 100_000), "bombe.png")  # 10 Gpx declared in 100 bytes
    with pytest.raises(ImageTooLargeError):
        extract(photo(["petit"]), "page.png", limits=Limits(max_image_pixels=1_000_000))
    with pytest.raises(CorruptedFileError, match=r"L'image « coupee\.png » est endommagée"):
        extract(photo(FORM)[:3000], "coupee.png")
    with pytest.raises(WrongContentError, match="n'est pas un PNG"):
        extract(b"MZ\x90\x00 un programme renomme", "photo.png")
    with pytest.raises(NoTextError, match="pas disponible sur ce serveur"):
        extract(photo(FORM), "f.png", limits=Limits(ocr=False))
    with pytest.raises(NoTextError, match="n'a rien lu"):
        extract(photo([]), "blanc.png")


def test_the_pdf_page_limit_lists_the_pages_not_read() -> None:
    result = extract(
        scanned_pdf([LINES, ["Seconde page"]]), "s.pdf", limits=Limits(ocr_max_pages=1)
    )
    assert result.meta == {"ocr_pages": [1], "pages_without_text": [2]}
