"""Scanned attachments (image-only PDF pages, photos of a form) read by OCR like uploaded
documents, in the analysis job rather than at the fetch: OCR takes seconds per page and the
fetch also runs in a web request (« Relever maintenant »).

At the fetch, `keep` stores the scans' bytes (`PendingAttachment`); the analysis job calls
`read_pending` before the model calls, which runs the documents' extraction with OCR in a child
process (killed when it stalls, as for documents), bounded in pages per attachment, scans per
message and time per message, then deletes the bytes. The text joins the message for personal
data detection, triage and draft; the queue says it was read by OCR. Nothing is dropped: a scan
that cannot be read gets a French reason, and the file stays in the mailbox."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.db.engine import session_scope
from civia.documents import isolated
from civia.documents.errors import DocumentError
from civia.documents.extract import Limits, extract, ocr
from civia.mailbox import attachments
from civia.mailbox.models import MailMessage, PendingAttachment
from civia.settings import Settings

log = logging.getLogger("civia.mailbox")
MAX_SCANS = 5  # attachments read by OCR per message
MAX_PAGES = 10  # pages (or image frames) read by OCR per attachment
BUDGET_S = 600.0  # OCR time per message; scans left after it are not read
UNAVAILABLE_FR = (
    "Pièce jointe numérisée : la reconnaissance de caractères n'est pas disponible sur ce "
    "serveur. Ouvrez-la dans votre messagerie."
)
TOO_MANY_FR = (
    f"Pièce jointe numérisée non lue : Civia en lit au plus {MAX_SCANS} par message. "
    "Ouvrez-la dans votre messagerie."
)
OUT_OF_TIME_FR = (
    "Pièce jointe numérisée non lue : la lecture des pièces précédentes a pris tout le temps "
    "prévu. Ouvrez-la dans votre messagerie."
)


def pages_left_fr(count: int) -> str:
    return (
        f"Seules les {MAX_PAGES} premières pages numérisées ont été lues ({count} page(s) non "
        "lue(s)) : ouvrez la pièce jointe dans votre messagerie pour la suite."
    )


def enabled(settings: Settings) -> bool:
    return settings.ocr_enabled and ocr.available()


def plan(found: list[dict[str, Any]], scans: dict[int, bytes], ocr_on: bool) -> dict[int, bytes]:
    """The scans to keep for OCR; the others get their French reason in `found`."""
    kept: dict[int, bytes] = {}
    for position, data in sorted(scans.items()):
        if ocr_on and len(kept) < MAX_SCANS:
            kept[position] = data
            continue
        found[position]["ocr"] = ""
        if not found[position]["text"]:
            found[position]["problem"] = TOO_MANY_FR if ocr_on else UNAVAILABLE_FR
    return kept


def keep(db: Session, message: MailMessage, kept: dict[int, bytes]) -> None:
    """Store the bytes of the scans of a message just added (flushed here for its id)."""
    if not kept:
        return
    db.flush()
    db.add_all(
        PendingAttachment(
            tenant_id=message.tenant_id, message_id=message.id, position=position, data=data
        )
        for position, data in kept.items()
    )


def read_pending(sessions: sessionmaker[Session], message_id: int, settings: Settings) -> int:
    """OCR the message's kept scans, one at a time, with no transaction open meanwhile; the
    number read. Each scan's bytes are deleted once it is read or refused."""
    began = time.monotonic()
    with session_scope(sessions) as db:
        ids = list(
            db.scalars(
                select(PendingAttachment.id)
                .where(PendingAttachment.message_id == message_id)
                .order_by(PendingAttachment.position)
            )
        )
    for pending_id in ids:
        with session_scope(sessions) as db:
            row = db.get(PendingAttachment, pending_id)
            message = db.get(MailMessage, message_id)
            if row is None or message is None:
                continue
            position, data = row.position, row.data
            found = dict((message.attachments or [])[position])
        if time.monotonic() - began > BUDGET_S:
            outcome = _refused(found, OUT_OF_TIME_FR)
        else:
            outcome = _read(data, found, settings)
        del data
        with session_scope(sessions) as db:
            message = db.get(MailMessage, message_id)
            row = db.get(PendingAttachment, pending_id)
            if message is not None:
                updated = list(message.attachments or [])
                updated[position] = outcome
                message.attachments = updated  # a new list: the JSON column sees the change
            if row is not None:
                db.delete(row)
    return len(ids)


def _read(data: bytes, found: dict[str, Any], settings: Settings) -> dict[str, Any]:
    name = str(found.get("name", ""))
    mime = str(found.get("type", "")) or None
    limits = Limits(max_bytes=len(data) + 1, max_chars=attachments.MAX_CHARS, ocr=True,
                    ocr_dpi=settings.ocr_dpi, ocr_max_pages=MAX_PAGES)  # fmt: skip
    try:
        extracted = isolated.run(extract, data, name, filename=name, mime=mime, limits=limits,
                                 stall_s=settings.ingest_stall_s)  # fmt: skip
    except DocumentError as exc:
        return _refused(found, exc.message_fr)
    except Exception:  # a hostile file must not stop the analysis; logged with its trace
        log.exception("OCR of attachment %r failed", name)
        return _refused(found, attachments.FAILED_FR)
    if not extracted.meta.get("ocr_pages"):
        return {**found, "ocr": "", "text": attachments.text_of(extracted)}
    left = extracted.meta.get("pages_without_text") or []
    return {**found, "ocr": attachments.READ, "text": attachments.text_of(extracted),
            "problem": pages_left_fr(len(left)) if left else ""}  # fmt: skip


def _refused(found: dict[str, Any], reason: str) -> dict[str, Any]:
    """Not read by OCR: the text layer read at the fetch (if any) stays, with the reason."""
    return {**found, "ocr": "", "problem": reason}
