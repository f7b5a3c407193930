"""Turn an uploaded file into text blocks with headings and page numbers.

`extract(data, filename)` picks the format from the content first (magic bytes), then from the
extension, and raises a `civia.documents.errors.DocumentError` with a French message for
anything it cannot read safely.
"""

from __future__ import annotations

from collections.abc import Callable

from civia.documents.errors import (
    EmptyFileError,
    FileTooLargeError,
    NoTextError,
    UnsupportedFormatError,
    WrongContentError,
)
from civia.documents.extract.base import Block, Extracted, Limits, is_image

__all__ = ["FORMATS", "Block", "Extracted", "Limits", "accepted_name", "detect_format", "extract"]

FORMATS = ("pdf", "docx", "odt", "xlsx", "csv", "html", "md", "txt", "image")
_EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "odt": "odt",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "csv": "csv",
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "md": "md",
    "markdown": "md",
    "txt": "txt",
    "text": "txt",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "tif": "image",
    "tiff": "image",
}
_MIMES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv",
    "text/html": "html",
    "text/markdown": "md",
    "text/plain": "txt",
    "image/png": "image",
    "image/jpeg": "image",
    "image/tiff": "image",
}


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected office files


def accepted_name(filename: str, mime: str | None = None) -> bool:
    """Whether an upload's name (or declared type) is one of the formats Civia reads. The
    content is checked again when the file is analysed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension in _EXTENSIONS or (mime or "").split(";")[0].strip() in _MIMES


def detect_format(data: bytes, filename: str, mime: str | None = None) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    by_name = _EXTENSIONS.get(extension) or _MIMES.get((mime or "").split(";")[0].strip())
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and by_name not in ("docx", "odt", "xlsx"):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:100]:
            return "odt"
        raise UnsupportedFormatError(filename)
    if is_image(data) and by_name in (None, "image", "txt", "md"):
        return "image"  # a photo or a scan, whatever its name says (if not an office file)
    if by_name is None:
        lowered = head[:512].lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            return "html"
        raise UnsupportedFormatError(filename)
    if by_name == "pdf" and b"%PDF-" in data[:1024]:
        return "pdf"  # the header may follow a little junk, as readers accept
    office = by_name in ("docx", "odt", "xlsx")
    if by_name in ("pdf", "image") or (office and not data.startswith((b"PK", OLE_HEADER))):
        # The name promises a format the content is not (a renamed program, an image…).
        raise WrongContentError(filename, (extension or "image") if by_name == "image" else by_name)
    return by_name


def extract(
    data: bytes,
    filename: str,
    *,
    mime: str | None = None,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extracted:
    """Extract text blocks from a file's bytes. Raises `DocumentError` subclasses.

    `progress(done, total)` is called as pages are read (PDF and images, which OCR reads page
    by page: other formats are read in one go, in well under a second)."""
    limits = limits or Limits()
    if not data or not data.strip():
        raise EmptyFileError(filename)
    if len(data) > limits.max_bytes:
        raise FileTooLargeError(filename, limits.max_bytes)
    kind = detect_format(data, filename, mime)
    result = _dispatch(kind, data, filename, limits, progress)
    blocks = [block for block in result.blocks if block.text.strip()]
    if not blocks:
        raise NoTextError(filename)
    total = 0
    for index, block in enumerate(blocks):
        total += len(block.text)
        if total > limits.max_chars:
            blocks = blocks[:index]
            result.meta["truncated_at_chars"] = limits.max_chars
            break
    result.blocks = blocks
    return result


def _dispatch(
    kind: str,
    data: bytes,
    filename: str,
    limits: Limits,
    progress: Callable[[int, int], None] | None,
) -> Extracted:
    if kind == "pdf":
        # Deferred: each format's module and library (PDF, office, HTML parsers) load on first use.
        from civia.documents.extract.pdf import extract_pdf

        return extract_pdf(data, filename, limits=limits, progress=progress)
    if kind == "image":
        from civia.documents.extract.image import extract_image

        return extract_image(data, filename, limits=limits, progress=progress)
    if kind in ("docx", "odt", "xlsx"):
        from civia.documents.extract import office

        extractor = {
            "docx": office.extract_docx,
            "odt": office.extract_odt,
            "xlsx": office.extract_xlsx,
        }[kind]
        return extractor(data, filename, limits)
    if kind == "csv":
        from civia.documents.extract.tabular import extract_csv

        return extract_csv(data, filename)
    if kind == "html":
        from civia.documents.extract.html import extract_html

        return extract_html(data, filename)
    from civia.documents.extract.text import extract_text

    return extract_text(data, filename, markdown=kind == "md")
