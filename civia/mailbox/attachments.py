"""Attachments read like uploaded documents (PDF, DOCX, ODT, XLSX, CSV, HTML, text, images):
an excerpt of their text joins the message for triage and drafting; anything unreadable is
listed with the French reason, never dropped (the file stays in the mailbox).

At the fetch the text layer only is read (fast); a scan (an image-only PDF page, a photo of a
form) is marked `ocr = PENDING` and read by OCR in the analysis job (`scans.py`)."""

from __future__ import annotations

import logging
from typing import Any

from civia.documents.errors import DocumentError, NoTextError
from civia.documents.extract import Extracted, Limits, accepted_name, detect_format, extract

log = logging.getLogger("civia.mailbox")
MAX_CHARS = 4_000  # per attachment, for the model's context
UNSUPPORTED_FR = "Format que Civia ne lit pas : ouvrez la pièce jointe dans votre messagerie."
FAILED_FR = "Pièce jointe illisible : ouvrez-la dans votre messagerie."
PENDING, READ = "en_attente", "lu"  # `ocr`: a scan waiting for OCR; its text read by OCR
OCR_LABEL = "texte lu par reconnaissance de caractères : à vérifier"


def read(payload: bytes, name: str, mime: str) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "type": mime, "size": len(payload), "text": "",
                             "problem": "", "ocr": ""}  # fmt: skip
    if not accepted_name(name, mime):
        found["problem"] = UNSUPPORTED_FR
        return found
    limits = Limits(max_bytes=len(payload) + 1, max_chars=MAX_CHARS, ocr=False)
    try:
        extracted = extract(payload, name, mime=mime, limits=limits)
    except NoTextError as exc:
        if _scanned(payload, name, mime):
            found["ocr"] = PENDING
        else:
            found["problem"] = exc.message_fr
        return found
    except DocumentError as exc:
        found["problem"] = exc.message_fr
        return found
    except Exception:  # a hostile file must not stop the fetch of the mailbox; logged
        log.exception("attachment %r could not be read", name)
        found["problem"] = FAILED_FR
        return found
    found["text"] = text_of(extracted)
    if extracted.meta.get("pages_without_text"):
        found["ocr"] = PENDING  # some pages are scans
    return found


def text_of(extracted: Extracted) -> str:
    return "\n".join(block.text for block in extracted.blocks)[:MAX_CHARS]


def _scanned(payload: bytes, name: str, mime: str) -> bool:
    try:
        return detect_format(payload, name, mime) in ("pdf", "image")
    except DocumentError:
        return False


def for_model(attachments: list[dict[str, Any]]) -> str:
    """The attachments' text as the analysis sees it, after the message."""
    parts = [
        f"Pièce jointe « {a['name']} »"
        + (" (texte lu par reconnaissance de caractères, erreurs possibles)" if a.get("ocr") == READ
           else "")
        + f" :\n{a['text']}"
        for a in attachments
        if a.get("text")
    ]  # fmt: skip
    return "\n\n".join(parts)
