"""PDF text layer with page numbers (pypdf); pages without a text layer go through OCR
(`ocr.py`) when tesseract is installed, and are listed in `meta` otherwise."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from civia.documents.errors import CorruptedFileError, EncryptedFileError, NoTextError
from civia.documents.extract import ocr
from civia.documents.extract.base import Block, Extracted, Limits, clean, stem_title
from civia.documents.extract.text import paragraphs

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files are common
log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pages done, pages in all)


def extract_pdf(
    data: bytes, filename: str, *, limits: Limits | None = None, progress: Progress | None = None
) -> Extracted:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptedFileError(filename, "le PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                # Many "protected" PDFs only restrict printing: the empty password opens them.
                if not reader.decrypt(""):
                    raise EncryptedFileError(filename)
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise EncryptedFileError(filename) from exc
        limits = limits or Limits()
        per_page: list[list[str]] = []
        total = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            per_page.append(paragraphs(_rejoin(page.extract_text() or "")))
            if progress is not None and number % 10 == 0:
                progress(number, total)
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = clean(str(reader.metadata.title))
        page_count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise EncryptedFileError(filename) from exc
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
    ) as exc:
        raise CorruptedFileError(filename, "le PDF") from exc
    empty = [number for number, paras in enumerate(per_page, start=1) if not paras]
    meta: dict[str, object] = {}
    if empty and limits.ocr and ocr.available():
        read, left = empty[: limits.ocr_max_pages], empty[limits.ocr_max_pages :]
        meta["ocr_pages"] = _ocr(data, filename, read, per_page, limits, progress)
        if left:
            meta["pages_without_text"] = left
    elif empty:
        meta["pages_without_text"] = empty
    blocks = [Block(p, page=n) for n, paras in enumerate(per_page, start=1) for p in paras]
    if progress is not None:
        progress(page_count, page_count)
    if not blocks:
        raise NoTextError(filename, ocr_tried="ocr_pages" in meta)
    return Extracted(
        title=title or stem_title(filename),
        mime="application/pdf",
        blocks=blocks,
        pages=page_count,
        meta=meta,
    )


def _ocr(
    data: bytes,
    filename: str,
    pages: list[int],
    per_page: list[list[str]],
    limits: Limits,
    progress: Progress | None,
) -> list[int]:
    """Fill `per_page` for the pages without a text layer; return the pages read by OCR.

    Progress counts text pages as done at once and OCR pages one by one: OCR is what takes
    time (seconds per page)."""
    try:
        document = ocr.open_pdf(data)
    except Exception as exc:  # pdfium refuses what pypdf half-read: the file is damaged
        raise CorruptedFileError(filename, "le PDF") from exc
    text_pages = len(per_page) - len(pages)
    try:
        for done, number in enumerate(pages, start=1):
            text = ocr.ocr_page(document, number - 1, limits.ocr_dpi)
            per_page[number - 1] = paragraphs(_rejoin(text))
            if progress is not None:
                progress(text_pages + done, len(per_page))
    finally:
        document.close()
    return pages


def _rejoin(text: str) -> str:
    """pypdf returns one line per visual line: turn lines back into paragraphs.

    A line break becomes a space, except after a line that is clearly shorter than the page's
    longest and ends a sentence (a paragraph end); a hyphen at a line end joins the word.
    """
    lines = [line.strip() for line in text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    paras: list[str] = []
    current = last = ""
    for line in lines:
        if not line:
            paras.append(current)
            current = ""
        elif not current:
            current = line
        elif current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        elif len(last) < 0.6 * width and last[-1:] in ".:;!?" and line[:1].isupper():
            paras.append(current)
            current = line
        else:
            current = current + " " + line
        last = line
    paras.append(current)
    return "\n\n".join(p for p in paras if p)
