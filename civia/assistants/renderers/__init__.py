"""Export an `OfficialDocument` to a file: one module per format (`to_docx`, `to_odt`, …),
each with `render(doc) -> bytes`, gathered in `RENDERERS` (keyed by format id) for the web and
the API.

    data, mime, filename = render(doc, "docx")

A format's module (and its library: fpdf2 alone pulls in NumPy) is imported on first use, so
listing the formats costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from civia.assistants.document import OfficialDocument

__all__ = ["RENDERERS", "Renderer", "UnknownFormat", "filename", "render", "slugify"]


@dataclass(frozen=True)
class Renderer:
    fmt: str
    label: str  # shown to users
    mime: str
    extension: str
    load: Callable[[], Callable[[OfficialDocument], bytes]]  # imports the format's module

    @property
    def function(self) -> Callable[[OfficialDocument], bytes]:
        return self.load()


# Each format's module is imported on first use: it defers a heavy library (python-docx, odfpy,
# python-pptx, openpyxl, fpdf2 with NumPy).
def _docx() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_docx

    return to_docx.render


def _odt() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_odt

    return to_odt.render


def _pptx() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_pptx

    return to_pptx.render


def _xlsx() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_xlsx

    return to_xlsx.render


def _csv() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_csv

    return to_csv.render


def _pdf() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_pdf

    return to_pdf.render


def _html() -> Callable[[OfficialDocument], bytes]:
    from civia.assistants.renderers import to_html

    return to_html.render


RENDERERS: dict[str, Renderer] = {
    r.fmt: r
    for r in (
        Renderer(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            _docx,
        ),
        Renderer(
            "odt",
            "OpenDocument (ODT)",
            "application/vnd.oasis.opendocument.text",
            "odt",
            _odt,
        ),
        Renderer(
            "pptx",
            "PowerPoint (PPTX)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
            _pptx,
        ),
        Renderer(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            _xlsx,
        ),
        Renderer("csv", "Tableur (CSV)", "text/csv; charset=utf-8", "csv", _csv),
        Renderer("pdf", "PDF", "application/pdf", "pdf", _pdf),
        Renderer("html", "Page web (HTML)", "text/html; charset=utf-8", "html", _html),
    )
}


class UnknownFormat(ValueError):
    """Raised for a format id absent from `RENDERERS`; its message is for the user."""

    def __init__(self, fmt: str) -> None:
        known = ", ".join(RENDERERS)
        super().__init__(f"Format d'export inconnu : « {fmt} ». Formats possibles : {known}.")
        self.fmt = fmt


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphenated: "Arrêté n° 12 : voirie" → "arrete-n-12-voirie"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "document"


def filename(doc: OfficialDocument, fmt: str) -> str:
    return f"{slugify(doc.title)}.{_renderer(fmt).extension}"


def render(doc: OfficialDocument, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, MIME type and download name for `fmt` (a `RENDERERS` key)."""
    renderer = _renderer(fmt)
    return renderer.function(doc), renderer.mime, filename(doc, fmt)


def _renderer(fmt: str) -> Renderer:
    try:
        return RENDERERS[fmt.lower()]
    except KeyError:
        raise UnknownFormat(fmt) from None
