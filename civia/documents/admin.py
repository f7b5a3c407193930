"""Index size and re-indexing, for the administrators' page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from civia.documents.analysis import analyze
from civia.documents.dense import bump_version
from civia.documents.ingest import passage_text
from civia.documents.models import Chunk, Document, DocumentStatus


@dataclass
class IndexStats:
    documents: int
    documents_in_error: int
    chunks: int
    chunks_with_vectors: int
    text_characters: int


def index_stats(session: Session, tenant_id: int) -> IndexStats:
    documents, errors = session.execute(
        select(
            func.count(Document.id),
            func.count(Document.id).filter(Document.status == DocumentStatus.ERROR.value),
        ).where(Document.tenant_id == tenant_id)
    ).one()
    chunks, vectors, characters = session.execute(
        select(
            func.count(Chunk.id),
            func.count(Chunk.embedding),
            func.coalesce(func.sum(func.length(Chunk.text)), 0),
        ).where(Chunk.tenant_id == tenant_id)
    ).one()
    return IndexStats(int(documents), int(errors), int(chunks), int(vectors), int(characters))


def reindex(session: Session, tenant_id: int, *, drop_vectors: bool = False) -> int:
    """Recompute the lexical terms of every chunk of a tenant (after an analyser change; the
    FTS index follows through its triggers). `drop_vectors` clears the vectors too, for
    `embed_pending` to recompute them (after a change of embedding model). Returns the number
    of chunks."""
    rows = session.execute(
        select(Chunk.id, Document.title, Chunk.heading, Chunk.text)
        .join(Document, Document.id == Chunk.document_id)
        .where(Chunk.tenant_id == tenant_id)
    ).all()
    for start in range(0, len(rows), 1000):
        session.execute(
            update(Chunk),
            [
                {"id": r[0], "search_text": analyze(passage_text(r[1], r[2], r[3]))}
                for r in rows[start : start + 1000]
            ],
        )
    if drop_vectors:
        session.execute(
            update(Chunk)
            .where(Chunk.tenant_id == tenant_id)
            .values(embedding=None, embedding_model="", vector_version=0)
        )
    bump_version(session, tenant_id, purge=drop_vectors)
    session.flush()
    return len(rows)
