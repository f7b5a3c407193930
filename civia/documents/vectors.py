"""Vectors for chunks that have none yet: after a budgeted eval, a failed embeddings call, a
change of model, or as the second step of a background ingestion job."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from civia.documents.dense import bump_version
from civia.documents.embedding import Embedder, to_bytes
from civia.documents.ingest import IngestSettings, passage_text
from civia.documents.models import Chunk, Document


def _pending_chunks(
    session: Session, tenant_id: int | None, document_ids: list[int] | None
) -> Iterator[tuple[int, str, str, str, int]]:
    """Chunks without a vector, first chunk of every document first (round robin)."""
    query = (
        select(Chunk.id, Document.title, Chunk.heading, Chunk.text, Chunk.tenant_id)
        .join(Document, Document.id == Chunk.document_id)
        .where(Chunk.embedding.is_(None))
        .order_by(Chunk.ordinal, Chunk.id)
    )
    if tenant_id is not None:
        query = query.where(Chunk.tenant_id == tenant_id)
    if document_ids is not None:
        query = query.where(Chunk.document_id.in_(document_ids))
    for row in session.execute(query).yield_per(1000):
        yield int(row[0]), row[1], row[2], row[3], int(row[4])


def embed_pending(
    session: Session,
    embedder: Embedder,
    *,
    tenant_id: int | None = None,
    document_ids: list[int] | None = None,
    char_budget: int | None = None,
    seconds_budget: float | None = None,
    batch_size: int = 16,
    progress: Callable[[int], None] | None = None,
    settings: IngestSettings | None = None,
) -> int:
    """Give vectors to chunks that have none; return how many were embedded.

    The order is round robin over documents (every document's first chunk, then every second
    chunk...) so that a budget — `char_budget` characters of passage text, or
    `seconds_budget` of wall time, checked between batches — covers all documents evenly.
    Chunks left without a vector are still found by lexical search; calling again later
    (a background job) completes them.
    """
    started = time.perf_counter()
    index_title = (settings or IngestSettings()).index_title
    pending = list(_pending_chunks(session, tenant_id, document_ids))
    selected = []
    spent = 0
    for chunk_id, title, heading, text, chunk_tenant in pending:
        passage = passage_text(title if index_title else None, heading, text)
        if char_budget is not None and spent + len(passage) > char_budget:
            break
        spent += len(passage)
        selected.append((chunk_id, passage, chunk_tenant))
    done = 0
    for start in range(0, len(selected), batch_size):
        if seconds_budget is not None and time.perf_counter() - started > seconds_budget:
            break
        batch = selected[start : start + batch_size]
        vectors = embedder.embed([p for _, p, _ in batch], kind="passage")
        versions = {t: bump_version(session, t) for t in {t for _, _, t in batch}}
        session.execute(
            update(Chunk),
            [
                {
                    "id": chunk_id,
                    "embedding": to_bytes(vectors[i]),
                    "embedding_model": embedder.name,
                    "vector_version": versions[t],
                }
                for i, (chunk_id, _, t) in enumerate(batch)
            ],
        )
        done += len(batch)
        if progress is not None:
            progress(done)
    session.flush()
    return done


def count_unembedded(session: Session, tenant_id: int) -> int:
    return int(
        session.execute(
            select(func.count(Chunk.id)).where(
                Chunk.tenant_id == tenant_id, Chunk.embedding.is_(None)
            )
        ).scalar_one()
    )
