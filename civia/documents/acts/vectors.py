"""Vectors for acts, after their text is indexed (a background job: ~20 acts/s on 2 cores).

Acts are searchable by their words as soon as they are imported; vectors add meaning to the
ranking and give « Actes similaires ». The work is resumable by construction: only chunks
without a vector are embedded, in batches committed one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.documents.acts.models import ActCorpus
from civia.documents.acts.text import number_fr
from civia.documents.embedding import Embedder
from civia.documents.models import Chunk
from civia.documents.vectors import embed_pending
from civia.jobs.models import Job, JobStatus

EMBED_KIND = "acts.embed"
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


def vectorising(session: Session, tenant_ids: Sequence[int]) -> Job | None:
    """The vectorisation job under way for these tenants' acts, if any: the search page says
    that the newest acts are found by their words but not yet by their meaning. (Counting the
    acts without a vector on every page view cost 170 ms at 20,000 acts under load.)"""
    return session.scalars(
        select(Job)
        .where(
            Job.kind == EMBED_KIND,
            Job.tenant_id.in_(list(tenant_ids)),
            Job.status.in_((JobStatus.QUEUED.value, JobStatus.RUNNING.value)),
        )
        .order_by(Job.id)
    ).first()


def embed_acts(
    sessions: sessionmaker[Session],
    *,
    tenant_id: int,
    embedder: Embedder,
    progress: Callable[[float, str], None] | None = None,
    limit: int | None = None,
) -> int:
    """Embed the acts of the tenant that have no vector yet (the first `limit` of them, if
    given); returns how many acts were done."""
    with sessions() as db:
        documents = pending_documents(db, tenant_id)[:limit]
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
