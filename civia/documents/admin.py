"""Index size and re-indexing, for the administrators' page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.db.engine import session_scope
from civia.documents import storage
from civia.documents.analysis import analyze
from civia.documents.dense import bump_version
from civia.documents.embedding import Embedder
from civia.documents.ingest import passage_text
from civia.documents.models import Chunk, Collection, Document, DocumentStatus
from civia.documents.vectors import embed_pending


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


@dataclass
class CollectionStats:
    collection: Collection
    documents: int = 0
    documents_in_error: int = 0
    chunks: int = 0
    chunks_with_vectors: int = 0
    text_characters: int = 0
    bytes_on_disk: int = 0


def collection_stats(session: Session, tenant_id: int, data_dir: Path) -> list[CollectionStats]:
    """Index size per collection of a tenant, files on disk included."""
    collections = session.scalars(
        select(Collection).where(Collection.tenant_id == tenant_id).order_by(Collection.name)
    ).all()
    stats = {c.id: CollectionStats(c) for c in collections}
    for cid, documents, errors in session.execute(
        select(
            Document.collection_id,
            func.count(Document.id),
            func.count(Document.id).filter(Document.status == DocumentStatus.ERROR.value),
        )
        .where(Document.tenant_id == tenant_id)
        .group_by(Document.collection_id)
    ):
        stats[cid].documents, stats[cid].documents_in_error = int(documents), int(errors)
    for cid, chunks, vectors, characters in session.execute(
        select(
            Chunk.collection_id,
            func.count(Chunk.id),
            func.count(Chunk.embedding),
            func.coalesce(func.sum(func.length(Chunk.text)), 0),
        )
        .where(Chunk.tenant_id == tenant_id)
        .group_by(Chunk.collection_id)
    ):
        row = stats[cid]
        row.chunks, row.chunks_with_vectors, row.text_characters = (
            int(chunks),
            int(vectors),
            int(characters),
        )
    ids: dict[int, list[int]] = {}
    for cid, did in session.execute(
        select(Document.collection_id, Document.id).where(Document.tenant_id == tenant_id)
    ):
        ids.setdefault(cid, []).append(did)
    for cid, document_ids in ids.items():
        stats[cid].bytes_on_disk = storage.size_on_disk(data_dir, tenant_id, document_ids)
    return list(stats.values())


def reindex_collection(
    sessions: sessionmaker[Session],
    collection_id: int,
    *,
    embedder: Embedder | None,
    progress: Callable[[float, str], None],
    batch: int = 500,
) -> dict[str, int]:
    """Recompute the lexical terms of a collection's chunks, then give vectors to those that
    have none or were made by another embedder than `embedder` — in short transactions, so
    progress reports and other jobs are never blocked.
    Stopping half-way leaves a consistent index (each step is idempotent)."""
    with session_scope(sessions) as db:
        collection = db.get(Collection, collection_id)
        if collection is None:
            return {"chunks": 0, "vectors": 0}
        tenant_id = collection.tenant_id
        ids = list(
            db.scalars(
                select(Chunk.id).where(Chunk.collection_id == collection_id).order_by(Chunk.id)
            )
        )
        document_ids = list(
            db.scalars(select(Document.id).where(Document.collection_id == collection_id))
        )
    for start in range(0, len(ids), batch):
        with session_scope(sessions) as db:
            rows = db.execute(
                select(Chunk.id, Document.title, Chunk.heading, Chunk.text)
                .join(Document, Document.id == Chunk.document_id)
                .where(Chunk.id.in_(ids[start : start + batch]))
            ).all()
            db.execute(
                update(Chunk),
                [
                    {"id": r[0], "search_text": analyze(passage_text(r[1], r[2], r[3]))}
                    for r in rows
                ],
            )
            bump_version(db, tenant_id)
        done = min(start + batch, len(ids))
        progress(0.4 * done / max(len(ids), 1), f"Index lexical ({done}/{len(ids)} passages)")
    vectors = 0
    if embedder is not None and document_ids:
        _drop_foreign_vectors(sessions, collection_id, tenant_id, embedder.name)
        with sessions() as db:
            pending = int(
                db.scalar(
                    select(func.count(Chunk.id)).where(
                        Chunk.collection_id == collection_id, Chunk.embedding.is_(None)
                    )
                )
                or 0
            )
        while vectors < pending:
            with session_scope(sessions) as db:
                done = embed_pending(
                    db, embedder, document_ids=document_ids, char_budget=20_000, batch_size=16
                )
            if done == 0:
                break
            vectors += done
            progress(0.4 + 0.6 * vectors / pending, f"Vecteurs ({vectors}/{pending} passages)")
    return {"chunks": len(ids), "vectors": vectors}


def _drop_foreign_vectors(
    sessions: sessionmaker[Session], collection_id: int, tenant_id: int, model: str
) -> None:
    """Vectors made by another embedder (the admin changed it) are dropped, for `embed_pending`
    to compute them again with the current one: one collection never holds two vector spaces."""
    with session_scope(sessions) as db:
        result = db.execute(
            update(Chunk)
            .where(
                Chunk.collection_id == collection_id,
                Chunk.embedding.is_not(None),
                Chunk.embedding_model != model,
            )
            .values(embedding=None, embedding_model="", vector_version=0)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            bump_version(db, tenant_id, purge=True)
