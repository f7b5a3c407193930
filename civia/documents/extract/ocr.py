"""OCR of scanned PDF pages: pypdfium2 renders the page, Debian's tesseract (`tesseract-ocr-fra`)
reads it through pytesseract. Only pages without a text layer come here (see `pdf.py`)."""

from __future__ import annotations

import logging
import math
import shutil
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

LANG = "fra"
# An A4 page at 300 dpi is 8.7 Mpx; a huge MediaBox is rendered smaller rather than filling
# memory (tesseract reads text of 10 pt and more well from ~150 dpi up).
MAX_PIXELS = 25_000_000
PAGE_TIMEOUT_S = 180


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the tesseract binary and its French data are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return LANG in pytesseract.get_languages(config="")
    except Exception:  # a broken install: behave as if absent, the user gets NoTextError
        log.warning("tesseract is installed but unusable", exc_info=True)
        return False


def open_pdf(data: bytes) -> Any:
    import pypdfium2

    return pypdfium2.PdfDocument(data)


def render(document: Any, index: int, dpi: int) -> Any:
    """Page `index` (0-based) as a greyscale PIL image, at `dpi` or less for huge pages."""
    page = document[index]
    try:
        width, height = page.get_size()  # in points (1/72 inch)
        scale = dpi / 72
        pixels = width * height * scale * scale
        if pixels > MAX_PIXELS:
            scale *= math.sqrt(MAX_PIXELS / pixels)
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()


def read_image(image: Any) -> str:
    """Text of an image (French model, automatic page segmentation)."""
    import pytesseract

    return str(pytesseract.image_to_string(image, lang=LANG, timeout=PAGE_TIMEOUT_S))


def ocr_page(document: Any, index: int, dpi: int) -> str:
    """Text of one page; "" when tesseract fails or times out on it (the other pages count)."""
    import pytesseract

    try:
        return read_image(render(document, index, dpi))
    except (pytesseract.TesseractError, RuntimeError, OSError):
        log.warning("OCR failed on page %s", index + 1, exc_info=True)
        return ""
