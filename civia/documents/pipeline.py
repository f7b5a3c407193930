"""The analysis of one uploaded document, as a background job runs it: read the stored file,
extract (OCR included), chunk, embed, then write everything in one short transaction.

Nothing is written to the index before the last step, so a failure or a cancel leaves no
half-indexed document behind, and a job resumed after a restart simply starts again from the
stored file (the last step first deletes any chunks of the document, so it is idempotent).
Work that takes time (pages, OCR, vectors) happens outside any transaction: on SQLite a long
write transaction would block the progress reports of every other job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import User
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.documents import isolated, storage
from civia.documents.chunking import ChunkDraft, chunk_blocks
from civia.documents.dense import bump_version
from civia.documents.embedding import Embedder
from civia.documents.errors import DocumentError
from civia.documents.extract import Extracted, Limits, extract
from civia.documents.ingest import IngestSettings, insert_chunks, passage_text
from civia.documents.models import Chunk, Document, DocumentStatus
from civia.usage import ledger

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]

GONE_FR = "Ce document a été supprimé entre-temps : il n'y a plus rien à analyser."
FILE_MISSING_FR = (
    "Le fichier original de ce document est introuvable sur le serveur : déposez-le à nouveau."
)
CANCELLED_FR = "Analyse annulée à votre demande. Relancez-la ou supprimez le document."
EMBED_BATCH = 16
# Shares of the progress bar: reading pages (OCR included), then vectors, then writing.
READ_SHARE, EMBED_SHARE = 0.45, 0.5


class AnalysisFailed(Exception):
    """The document cannot be analysed; `message_fr` is also stored on the document."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


@dataclass(frozen=True)
class Source:
    tenant_id: int
    filename: str
    mime: str
    title: str
    uploaded_by: int | None = None


def ingest_settings(
    *, max_bytes: int, ocr: bool, ocr_dpi: int, stall_s: float = 120.0
) -> IngestSettings:
    return IngestSettings(
        limits=Limits(max_bytes=max_bytes, ocr=ocr, ocr_dpi=ocr_dpi), stall_s=stall_s
    )


# The parser run in a child process (`isolated`); tests point it at a parser that hangs.
EXTRACTOR = extract


def mark(sessions: sessionmaker[Session], document_id: int, status: str, error: str = "") -> None:
    with session_scope(sessions) as db:
        document = db.get(Document, document_id)
        if document is not None:
            document.status, document.error, document.updated_at = status, error, utcnow()


def _start(sessions: sessionmaker[Session], document_id: int) -> Source:
    with session_scope(sessions) as db:
        document = db.get(Document, document_id)
        if document is None:
            raise AnalysisFailed(GONE_FR)
        document.status, document.error = DocumentStatus.PROCESSING.value, ""
        return Source(
            document.tenant_id,
            document.filename,
            document.mime,
            document.title,
            document.uploaded_by_id,
        )


def analyse(
    sessions: sessionmaker[Session],
    document_id: int,
    *,
    data_dir: Path,
    settings: IngestSettings,
    embedder: Embedder | None,
    progress: Progress,
) -> dict[str, int]:
    """Analyse a registered document; raise `AnalysisFailed` (document marked in error) for a
    file that cannot be read. Exceptions raised by `progress` (a cancel) propagate."""
    source = _start(sessions, document_id)
    progress(0.02, "Lecture du fichier")
    data = storage.read(data_dir, source.tenant_id, document_id)
    if data is None:
        mark(sessions, document_id, DocumentStatus.ERROR.value, FILE_MISSING_FR)
        raise AnalysisFailed(FILE_MISSING_FR)

    def pages(done: int, total: int) -> None:
        progress(0.02 + READ_SHARE * done / max(total, 1), f"Lecture des pages ({done}/{total})")

    try:
        extracted = isolated.run(
            EXTRACTOR,
            data,
            source.filename,
            filename=source.filename,
            stall_s=settings.stall_s,
            progress=pages,
            mime=source.mime or None,
            limits=settings.limits,
        )
    except DocumentError as exc:
        mark(sessions, document_id, DocumentStatus.ERROR.value, exc.message_fr)
        raise AnalysisFailed(exc.message_fr) from exc
    del data
    drafts = chunk_blocks(extracted.blocks, settings.chunking)
    title = source.title or extracted.title[:500]
    began = time.monotonic()
    vectors = _embed(drafts, title if settings.index_title else None, embedder, progress)
    if vectors is not None and embedder is not None:
        _meter(sessions, source, embedder, drafts, time.monotonic() - began)
    progress(0.97, "Enregistrement dans l'index")
    _write(sessions, document_id, extracted, drafts, title, vectors, embedder, settings)
    return {"chunks": len(drafts), "pages": extracted.pages or 0}


def _meter(
    sessions: sessionmaker[Session],
    source: Source,
    embedder: Embedder,
    drafts: list[ChunkDraft],
    seconds: float,
) -> None:
    """The embedding batches of one document in the ledger (tokens estimated at 4 chars)."""
    with session_scope(sessions) as db:
        user = db.get(User, source.uploaded_by) if source.uploaded_by else None
        ledger.record_call(
            db, tenant_id=source.tenant_id, user_id=user.id if user else None,
            service_id=user.service_id if user else None, kind="embeddings",
            provider_name="Embeddings", model=getattr(embedder, "name", "embeddings"),
            seconds=seconds, tokens=sum(len(d.text) for d in drafts) // 4,
            extra={"passages": len(drafts), "tokens_estimated": True},
        )  # fmt: skip


def _embed(
    drafts: list[ChunkDraft], title: str | None, embedder: Embedder | None, progress: Progress
) -> np.ndarray | None:
    if embedder is None or not drafts:
        return None
    start = 0.02 + READ_SHARE
    passages = [passage_text(title, d.heading, d.text) for d in drafts]
    parts = []
    for first in range(0, len(passages), EMBED_BATCH):
        done = min(first + EMBED_BATCH, len(passages))
        try:
            parts.append(embedder.embed(passages[first:done], kind="passage"))
        except Exception:  # an embeddings server down: the lexical index still works
            log.warning("embedding failed; chunks left for embed_pending", exc_info=True)
            return None
        progress(
            start + EMBED_SHARE * done / len(passages),
            f"Calcul des vecteurs ({done}/{len(passages)} passages)",
        )
    return np.vstack(parts)


def _write(
    sessions: sessionmaker[Session],
    document_id: int,
    extracted: Extracted,
    drafts: list[ChunkDraft],
    title: str,
    vectors: np.ndarray | None,
    embedder: Embedder | None,
    settings: IngestSettings,
) -> None:
    with session_scope(sessions) as db:
        document = db.get(Document, document_id)
        if document is None:  # deleted while we worked: nothing to index
            return
        stale = db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == document_id))
        if stale:  # a resumed or repeated analysis
            db.execute(delete(Chunk).where(Chunk.document_id == document_id))
            bump_version(db, document.tenant_id, purge=True)
        document.title = title
        document.mime = extracted.mime
        document.pages = extracted.pages
        document.meta = {**(document.meta or {}), **extracted.meta}
        insert_chunks(db, document, drafts, vectors, embedder if vectors is not None else None,
                      settings)  # fmt: skip
        document.chunk_count = len(drafts)
        document.status, document.error = DocumentStatus.READY.value, ""
        document.updated_at = utcnow()
