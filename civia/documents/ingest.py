"""The ingestion pipeline: file bytes → document → chunks (lexical index) → vectors.

`ingest_bytes` does it all in the caller's transaction; background jobs can split it into
`create_document` (fast, in the web request) and `process_document` (in a worker), then
`embed_pending` to add vectors. A failing file leaves a document in status "error" with a
French message and no chunk at all: chunks are written in a savepoint.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import IO

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from civia.db.base import utcnow
from civia.documents.analysis import analyze
from civia.documents.chunking import ChunkDraft, ChunkSettings, chunk_blocks
from civia.documents.dense import bump_version
from civia.documents.embedding import Embedder, to_bytes
from civia.documents.errors import DocumentError, DuplicateDocumentError, FileTooLargeError
from civia.documents.extract import Limits, extract
from civia.documents.models import Chunk, Collection, Document, DocumentStatus

log = logging.getLogger(__name__)

UNEXPECTED_FR = (
    "Une erreur inattendue a empêché l'analyse de ce fichier. Les administrateurs ont été "
    "prévenus ; vous pouvez réessayer plus tard."
)


@dataclass(frozen=True)
class IngestSettings:
    limits: Limits = field(default_factory=Limits)
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    embed_batch: int = 64
    # Prefix every passage with its document title when indexing (off for diagnostics).
    index_title: bool = True
    # Background analysis: the parser (a child process) is stopped after this long without
    # progress (`civia.documents.isolated`).
    stall_s: float = 120.0


def read_limited(stream: IO[bytes], filename: str, max_bytes: int) -> bytes:
    """Read an upload, refusing it as soon as it exceeds `max_bytes` (before it fills a disk)."""
    parts: list[bytes] = []
    total = 0
    while piece := stream.read(1 << 20):
        total += len(piece)
        if total > max_bytes:
            raise FileTooLargeError(filename, max_bytes)
        parts.append(piece)
    return b"".join(parts)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(session: Session, collection_id: int, digest: str) -> Document | None:
    return session.execute(
        select(Document).where(Document.collection_id == collection_id, Document.sha256 == digest)
    ).scalar_one_or_none()


def create_document(
    session: Session,
    *,
    collection: Collection,
    filename: str,
    data: bytes,
    title: str | None = None,
    mime: str | None = None,
    uploaded_by_id: int | None = None,
    settings: IngestSettings | None = None,
) -> Document:
    """Register an upload (status "pending"). Raises on duplicates and oversized files."""
    settings = settings or IngestSettings()
    if len(data) > settings.limits.max_bytes:
        raise FileTooLargeError(filename, settings.limits.max_bytes)
    return register(
        session,
        collection=collection,
        filename=filename,
        size=len(data),
        digest=sha256(data),
        title=title,
        mime=mime,
        uploaded_by_id=uploaded_by_id,
    )


def register(
    session: Session,
    *,
    collection: Collection,
    filename: str,
    size: int,
    digest: str,
    title: str | None = None,
    mime: str | None = None,
    uploaded_by_id: int | None = None,
) -> Document:
    """A pending document for a file already received (size and hash known). Raises
    `DuplicateDocumentError` when the collection already holds the same content."""
    existing = find_duplicate(session, collection.id, digest)
    if existing is not None:
        raise DuplicateDocumentError(filename, existing.title or existing.filename, existing.id)
    document = Document(
        tenant_id=collection.tenant_id,
        collection_id=collection.id,
        uploaded_by_id=uploaded_by_id,
        title=(title or "")[:500],
        filename=filename[:500],
        mime=mime or "",
        size_bytes=size,
        sha256=digest,
        status=DocumentStatus.PENDING.value,
        meta={},
    )
    session.add(document)
    session.flush()
    return document


def passage_text(title: str | None, heading: str, text: str) -> str:
    """What gets indexed for a chunk: its document title and section, then the passage."""
    header = " — ".join(part for part in (title, heading) if part)
    return f"{header}\n{text}" if header else text


def process_document(
    session: Session,
    document: Document,
    data: bytes,
    *,
    embedder: Embedder | None = None,
    settings: IngestSettings | None = None,
) -> Document:
    """Extract, chunk and index a registered document. Never raises for a bad file.

    With an `embedder`, vectors are computed in the same transaction; background jobs would
    rather process without one, commit (the document is searchable at once), then run
    `embed_pending(session, embedder, document_ids=[document.id])`.
    """
    settings = settings or IngestSettings()
    document.status = DocumentStatus.PROCESSING.value
    session.flush()
    try:
        with session.begin_nested():
            extracted = extract(
                data, document.filename, mime=document.mime or None, limits=settings.limits
            )
            drafts = chunk_blocks(extracted.blocks, settings.chunking)
            document.title = document.title or extracted.title[:500]
            document.mime = extracted.mime
            document.pages = extracted.pages
            document.meta = {**(document.meta or {}), **extracted.meta}
            vectors = _embed_drafts(document, drafts, embedder, settings)
            insert_chunks(session, document, drafts, vectors, embedder, settings)
            document.chunk_count = len(drafts)
            document.status = DocumentStatus.READY.value
            document.error = ""
    except DocumentError as exc:
        document.status = DocumentStatus.ERROR.value
        document.error = exc.message_fr
    except Exception:  # a bug must not stop the other files of an upload
        log.exception("ingestion failed for document %s", document.id)
        document.status = DocumentStatus.ERROR.value
        document.error = UNEXPECTED_FR
    document.updated_at = utcnow()
    session.flush()
    return document


def _embed_drafts(
    document: Document,
    drafts: list[ChunkDraft],
    embedder: Embedder | None,
    settings: IngestSettings,
) -> np.ndarray | None:
    """Vectors for the new chunks, or None: without them the document is still searchable
    lexically, and `embed_pending` completes it later."""
    if embedder is None or not drafts:
        return None
    title = document.title if settings.index_title else None
    try:
        return embedder.embed(
            [passage_text(title, d.heading, d.text) for d in drafts], kind="passage"
        )
    except Exception:  # an embeddings server may be down: keep the lexical index
        log.warning("embedding failed for document %s; left for embed_pending", document.id)
        return None


def insert_chunks(
    session: Session,
    document: Document,
    drafts: list[ChunkDraft],
    vectors: np.ndarray | None,
    embedder: Embedder | None,
    settings: IngestSettings,
    version: int | None = None,
) -> None:
    title = document.title if settings.index_title else None
    if version is None:
        version = bump_version(session, document.tenant_id)
    rows = []
    for index, draft in enumerate(drafts):
        row = {
            "tenant_id": document.tenant_id,
            "collection_id": document.collection_id,
            "document_id": document.id,
            "ordinal": draft.ordinal,
            "text": draft.text,
            "heading": draft.heading,
            "page": draft.page,
            "page_end": draft.page_end,
            "char_start": draft.char_start,
            "char_end": draft.char_end,
            "meta": draft.meta,
            "search_text": analyze(passage_text(title, draft.heading, draft.text)),
            "embedding": None,
            "embedding_model": "",
            "vector_version": 0,
        }
        if vectors is not None and embedder is not None:
            row.update(
                embedding=to_bytes(vectors[index]),
                embedding_model=embedder.name,
                vector_version=version,
            )
        rows.append(row)
    if rows:
        session.execute(insert(Chunk), rows)


def index_chunks(
    session: Session,
    document: Document,
    drafts: list[ChunkDraft],
    *,
    version: int,
    settings: IngestSettings | None = None,
) -> None:
    """Insert a document's chunks (lexical terms; vectors come from `embed_pending`) at an index
    version the caller bumped: bulk imports of many small documents (open-data acts) bump the
    tenant's version once per batch instead of once per document."""
    insert_chunks(session, document, drafts, None, None, settings or IngestSettings(), version)


def ingest_bytes(
    session: Session,
    *,
    collection: Collection,
    filename: str,
    data: bytes,
    title: str | None = None,
    mime: str | None = None,
    uploaded_by_id: int | None = None,
    embedder: Embedder | None = None,
    settings: IngestSettings | None = None,
) -> Document:
    """Register and process one file. Raises only for duplicates and oversized files;
    any other problem ends as a document in status "error" with a French message."""
    document = create_document(
        session,
        collection=collection,
        filename=filename,
        data=data,
        title=title,
        mime=mime,
        uploaded_by_id=uploaded_by_id,
        settings=settings,
    )
    return process_document(session, document, data, embedder=embedder, settings=settings)


def delete_document(session: Session, document: Document) -> None:
    """Remove a document and its chunks (the FTS index follows through triggers)."""
    tenant_id = document.tenant_id
    # Explicit, so that it holds even on a SQLite connection without foreign keys enforced.
    session.execute(delete(Chunk).where(Chunk.document_id == document.id))
    session.delete(document)
    session.flush()
    bump_version(session, tenant_id, purge=True)
