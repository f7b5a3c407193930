"""OCR of scanned PDFs: only pages without a text layer are read, with Debian's tesseract."""

from __future__ import annotations

import os

import pytest

from civia.documents.analysis import fold
from civia.documents.errors import NoTextError
from civia.documents.extract import Limits, extract, ocr
from tests.documents.scans import mixed_pdf, scanned_pdf

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
