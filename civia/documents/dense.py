"""Dense (vector) search: `dense_search` asks the engine's vector store
(`civia.documents.vector_store`); the in-memory store, numpy over the vectors stored in
`doc_chunks.embedding`, is below.

Each process keeps, per database engine, tenant and embedder, a float32 matrix of the tenant's
vectors computed by that embedder (`Chunk.embedding_model`): vectors of two embedders live in
different spaces and are never compared.
`doc_index_states` tells when it is stale: rows written since the cached version are appended;
a purge (deleted chunks, replaced vectors) reloads the tenant. Filters (collections, documents)
mask the matrix before the top-k is taken, so a filter never empties a result that exists.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from civia.db.base import utcnow
from civia.documents.embedding import from_bytes
from civia.documents.matches import Match
from civia.documents.models import Chunk, SearchIndexState
from civia.documents.vector_store import store_for


@dataclass
class TenantVectors:
    version: int = -1
    purge_version: int = -1
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    collections: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    documents: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def append(self, rows: list[tuple[int, int, int, bytes]]) -> None:
        if not rows:
            return
        known = set(self.ids.tolist()) if len(self.ids) else set()
        fresh = [row for row in rows if row[0] not in known]
        replaced = len(fresh) != len(rows)
        if replaced:  # a re-embedded chunk: drop its old row first
            keep = ~np.isin(self.ids, [row[0] for row in rows])
            self._take(keep)
            fresh = rows
        vectors = np.stack([from_bytes(row[3]) for row in fresh])
        self.ids = np.concatenate([self.ids, np.array([r[0] for r in fresh], dtype=np.int64)])
        self.collections = np.concatenate(
            [self.collections, np.array([r[1] for r in fresh], dtype=np.int64)]
        )
        self.documents = np.concatenate(
            [self.documents, np.array([r[2] for r in fresh], dtype=np.int64)]
        )
        self.matrix = vectors if self.matrix.size == 0 else np.vstack([self.matrix, vectors])

    def _take(self, keep: np.ndarray) -> None:
        self.ids, self.collections = self.ids[keep], self.collections[keep]
        self.documents, self.matrix = self.documents[keep], self.matrix[keep]


_caches: weakref.WeakKeyDictionary[Engine, dict[tuple[int, str], TenantVectors]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def bump_version(session: Session, tenant_id: int, *, purge: bool = False) -> int:
    """Record a change of the tenant's index in the current transaction; return the version."""
    values: dict[str, Any] = {"version": SearchIndexState.version + 1, "updated_at": utcnow()}
    if purge:
        values["purge_version"] = SearchIndexState.purge_version + 1
    row = session.execute(
        update(SearchIndexState)
        .where(SearchIndexState.tenant_id == tenant_id)
        .values(**values)
        .returning(SearchIndexState.version)
        .execution_options(synchronize_session=False)
    ).first()
    if row is not None:
        return int(row[0])
    session.add(SearchIndexState(tenant_id=tenant_id, version=1, purge_version=int(purge)))
    session.flush()
    return 1


def tenant_vectors(session: Session, tenant_id: int, model: str) -> TenantVectors:
    """The up-to-date matrix of a tenant's vectors made by `model` (loaded or extended)."""
    engine = _engine(session)
    row = session.execute(
        select(SearchIndexState.version, SearchIndexState.purge_version).where(
            SearchIndexState.tenant_id == tenant_id
        )
    ).first()
    version, purge_version = (int(row[0]), int(row[1])) if row else (0, 0)
    with _lock:
        tenants = _caches.setdefault(engine, {})
        cached = tenants.get((tenant_id, model))
        if cached is None or cached.purge_version != purge_version:
            cached = TenantVectors(purge_version=purge_version)
            since = -1
        elif cached.version == version:
            return cached
        else:
            since = cached.version
        rows = session.execute(
            select(Chunk.id, Chunk.collection_id, Chunk.document_id, Chunk.embedding)
            .where(
                Chunk.tenant_id == tenant_id,
                Chunk.embedding_model == model,
                Chunk.embedding.is_not(None),
                Chunk.vector_version > since,
                Chunk.vector_version <= version,
            )
            .order_by(Chunk.id)
        ).all()
        cached.append([(int(r[0]), int(r[1]), int(r[2]), bytes(r[3] or b"")) for r in rows])
        cached.version = version
        tenants[(tenant_id, model)] = cached
        return cached


def dense_search(
    session: Session,
    query_vector: np.ndarray,
    *,
    model: str,
    tenant_ids: Sequence[int],
    collection_ids: Sequence[int],
    document_ids: Sequence[int] | None = None,
    limit: int = 100,
) -> list[Match]:
    """Chunks by cosine similarity, best first, among the allowed chunks whose vectors were made
    by `model` (the embedder of `query_vector`), from the store configured for the engine."""
    return store_for(_engine(session)).search(
        session,
        query_vector,
        model=model,
        tenant_ids=tenant_ids,
        collection_ids=collection_ids,
        document_ids=document_ids,
        limit=limit,
    )


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def memory_search(
    session: Session,
    query_vector: np.ndarray,
    *,
    model: str,
    tenant_ids: Sequence[int],
    collection_ids: Sequence[int],
    document_ids: Sequence[int] | None = None,
    limit: int = 100,
) -> list[Match]:
    """The in-memory store's search: numpy over the process's matrix of each tenant."""
    results: list[Match] = []
    query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    for tenant_id in tenant_ids:
        vectors = tenant_vectors(session, tenant_id, model)
        if not len(vectors.ids):
            continue
        mask = np.isin(vectors.collections, np.asarray(list(collection_ids), dtype=np.int64))
        if document_ids is not None:
            mask &= np.isin(vectors.documents, np.asarray(list(document_ids), dtype=np.int64))
        allowed = np.flatnonzero(mask)
        if not len(allowed):
            continue
        if len(allowed) == len(vectors.ids):
            scores = vectors.matrix @ query
        else:
            scores = vectors.matrix[allowed] @ query
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        rows = allowed[top]
        results.extend(
            Match(int(vectors.ids[r]), float(scores[i]), int(vectors.documents[r]))
            for r, i in zip(rows, top, strict=True)
        )
    results.sort(key=lambda match: -match.score)
    return results[:limit]


def forget_cache(engine: Engine | None = None) -> None:
    """Drop cached matrices (tests, or after restoring a backup)."""
    with _lock:
        if engine is None:
            _caches.clear()
        else:
            _caches.pop(engine, None)
