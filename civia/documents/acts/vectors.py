"""Vectors for acts, after their text is indexed (a background job: ~20 acts/s on 2 cores).

Acts are searchable by their words as soon as they are imported; vectors add meaning to the
ranking and give « Actes similaires ». The work is resumable by construction: only chunks
without a vector are embedded, in batches committed one by one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from civia.documents.acts.models import ActCorpus
from civia.documents.acts.text import number_fr
from civia.documents.embedding import Embedder
from civia.documents.models import Chunk
from civia.documents.vectors import embed_pending

DOCUMENTS_PER_BATCH = 64


def pending_documents(session: Session, tenant_id: int) -> list[int]:
    """Documents of the tenant's acts that still have chunks without a vector."""
    corpus = session.get(ActCorpus, tenant_id)
    if corpus is None:
        return []
    return list(
        session.execute(
            select(Chunk.document_id)
            .where(Chunk.collection_id == corpus.collection_id, Chunk.embedding.is_(None))
            .group_by(Chunk.document_id)
            .order_by(Chunk.document_id)
        ).scalars()
    )


def count_pending(session: Session, tenant_ids: list[int] | tuple[int, ...]) -> int:
    """Acts still waiting for their vectors among these tenants (shown on the search page)."""
    collections = select(ActCorpus.collection_id).where(ActCorpus.tenant_id.in_(tenant_ids))
    return int(
        session.execute(
            select(func.count(func.distinct(Chunk.document_id))).where(
                Chunk.collection_id.in_(collections), Chunk.embedding.is_(None)
            )
        ).scalar_one()
    )


def embed_acts(
    sessions: sessionmaker[Session],
    *,
    tenant_id: int,
    embedder: Embedder,
    progress: Callable[[float, str], None] | None = None,
) -> int:
    """Embed every act of the tenant that has none yet; returns how many acts were done."""
    with sessions() as db:
        documents = pending_documents(db, tenant_id)
    done = 0
    for start in range(0, len(documents), DOCUMENTS_PER_BATCH):
        batch = documents[start : start + DOCUMENTS_PER_BATCH]
        with sessions() as db:
            embed_pending(db, embedder, tenant_id=tenant_id, document_ids=batch)
            db.commit()
        done += len(batch)
        if progress is not None:
            progress(
                done / len(documents),
                f"Actes vectorisés : {number_fr(done)} sur {number_fr(len(documents))}",
            )
    return done
