"""Where dense search runs: the vector store of a database engine, chosen by settings.

- `memory` (the embedded profile, and the default): each process keeps a float32 matrix of
  its tenants' vectors, loaded from `doc_chunks.embedding` (`civia.documents.dense`).
- `pgvector` (the at-scale profile, PostgreSQL with the pgvector extension): vectors are
  copied into a `vector` column with one HNSW index per embedder, searched inside PostgreSQL;
  app processes hold no vectors (`civia.documents.pgvector_store`).

Both answer the same question (chunks by cosine similarity among the allowed collections of the
given tenants, for one embedder only) and keep `doc_chunks.embedding` as the source of truth, so
a deployment can move from one to the other without re-embedding.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from civia.documents.matches import Match

if TYPE_CHECKING:
    from civia.settings import Settings


class VectorStore(Protocol):
    name: str

    def search(
        self,
        session: Session,
        query_vector: np.ndarray,
        *,
        model: str,
        tenant_ids: Sequence[int],
        collection_ids: Sequence[int],
        document_ids: Sequence[int] | None,
        limit: int,
    ) -> list[Match]:
        """Chunks by cosine similarity, best first, among the allowed chunks whose vectors were
        made by `model` (vectors of two embedders are never compared)."""
        ...


class MemoryVectorStore:
    """Today's behaviour: per-process numpy matrices (see `civia.documents.dense`)."""

    name = "memory"

    def search(
        self,
        session: Session,
        query_vector: np.ndarray,
        *,
        model: str,
        tenant_ids: Sequence[int],
        collection_ids: Sequence[int],
        document_ids: Sequence[int] | None,
        limit: int,
    ) -> list[Match]:
        from civia.documents.dense import memory_search

        return memory_search(
            session,
            query_vector,
            model=model,
            tenant_ids=tenant_ids,
            collection_ids=collection_ids,
            document_ids=document_ids,
            limit=limit,
        )


_stores: weakref.WeakKeyDictionary[Engine, VectorStore] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def make_store(settings: Settings) -> VectorStore:
    if settings.vector_store == "pgvector":
        from civia.documents.pgvector_store import PgVectorStore

        return PgVectorStore(
            ef_search=settings.pgvector_ef_search,
            m=settings.pgvector_hnsw_m,
            ef_construction=settings.pgvector_hnsw_ef_construction,
        )
    return MemoryVectorStore()


def configure(engine: Engine, settings: Settings) -> VectorStore:
    """Bind the store the settings ask for to `engine` (the app, the worker, commands).

    The pgvector store checks its schema here, so a database without the extension fails at
    startup with a clear message rather than at the first search."""
    store = make_store(settings)
    ensure_schema = getattr(store, "ensure_schema", None)
    if ensure_schema is not None:
        ensure_schema(engine)
    with _lock:
        _stores[engine] = store
    return store


def use(engine: Engine, store: VectorStore) -> None:
    """Bind an explicit store (tests, benchmarks)."""
    with _lock:
        _stores[engine] = store


def store_for(engine: Engine) -> VectorStore:
    """The engine's store; an engine nobody configured follows the process settings."""
    with _lock:
        store = _stores.get(engine)
    if store is not None:
        return store
    from civia.settings import get_settings

    return configure(engine, get_settings())
