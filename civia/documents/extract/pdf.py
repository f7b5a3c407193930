"""PDF text layer with page numbers (pypdf). Pages without text are listed for OCR later."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from civia.documents.errors import CorruptedFileError, EncryptedFileError, NoTextError
from civia.documents.extract.base import Block, Extracted, clean, stem_title
from civia.documents.extract.text import paragraphs

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files are common


def extract_pdf(data: bytes, filename: str) -> Extracted:
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
        blocks: list[Block] = []
        empty_pages: list[int] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            paras = paragraphs(_rejoin(text))
            if not paras:
                empty_pages.append(number)
            blocks.extend(Block(p, page=number) for p in paras)
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
    if not blocks:
        raise NoTextError(filename)
    return Extracted(
        title=title or stem_title(filename),
        mime="application/pdf",
        blocks=blocks,
        pages=page_count,
        meta={"pages_without_text": empty_pages} if empty_pages else {},
    )


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
