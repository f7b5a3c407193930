"""Attachments read like uploaded documents (PDF, DOCX, ODT, XLSX, CSV, HTML, text): an excerpt
of their text joins the message for triage and drafting; anything unreadable is listed with
the French reason, never dropped (the file stays in the mailbox)."""

from __future__ import annotations

import logging
from typing import Any

from civia.documents.errors import DocumentError
from civia.documents.extract import Limits, accepted_name, extract

log = logging.getLogger("civia.mailbox")
MAX_CHARS = 4_000  # per attachment, for the model's context
UNSUPPORTED_FR = "Format que Civia ne lit pas : ouvrez la pièce jointe dans votre messagerie."
FAILED_FR = "Pièce jointe illisible : ouvrez-la dans votre messagerie."


def read(payload: bytes, name: str, mime: str) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "type": mime, "size": len(payload), "text": "",
                             "problem": ""}  # fmt: skip
    if not accepted_name(name, mime):
        found["problem"] = UNSUPPORTED_FR
        return found
    limits = Limits(max_bytes=len(payload) + 1, max_chars=MAX_CHARS, ocr=False)
    try:
        extracted = extract(payload, name, mime=mime, limits=limits)
    except DocumentError as exc:
        found["problem"] = exc.message_fr
        return found
    except Exception:  # a hostile file must not stop the fetch of the mailbox; logged
        log.exception("attachment %r could not be read", name)
        found["problem"] = FAILED_FR
        return found
    found["text"] = "\n".join(block.text for block in extracted.blocks)[:MAX_CHARS]
    return found


def for_model(attachments: list[dict[str, Any]]) -> str:
    """The attachments' text as the analysis sees it, after the message."""
    parts = [f"Pièce jointe « {a['name']} » :\n{a['text']}" for a in attachments if a.get("text")]
    return "\n\n".join(parts)
