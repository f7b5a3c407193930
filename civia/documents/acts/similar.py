"""« Actes similaires »: the acts nearest to one act, by its vector and by its objet's words.

The act's own stored vector (its first chunk: the metadata header and the start of its text)
is the query of the dense ranker — nothing to embed. Its objet's terms query the lexical one.
Both run over the acts the user may read, and are fused as document search does. An act
without a vector yet (just imported) gets lexical neighbours only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.documents.acts import lexical
from civia.documents.acts.access import Scope
from civia.documents.acts.models import Act
from civia.documents.acts.search import acts_by_document, best_per_document
from civia.documents.dense import dense_search
from civia.documents.embedding import from_bytes
from civia.documents.lexical import query_terms
from civia.documents.matches import Match
from civia.documents.models import Chunk
from civia.documents.search import PER_DOCUMENT_FUSION, Candidates, fuse

SIMILAR = 5


def _vector(session: Session, act: Act) -> tuple[object, str] | None:
    """The act's first stored vector and the embedder that made it."""
    row = session.execute(
        select(Chunk.embedding, Chunk.embedding_model)
        .where(Chunk.document_id == act.document_id, Chunk.embedding.is_not(None))
        .order_by(Chunk.ordinal)
        .limit(1)
    ).first()
    return (from_bytes(bytes(row[0])), str(row[1])) if row and row[0] else None


def similar_acts(session: Session, *, scope: Scope, act: Act, limit: int = SIMILAR) -> list[Act]:
    """The acts most like `act` among those of `scope`, itself excluded."""
    depth = 4 * limit + 1
    where = [Act.tenant_id.in_(scope.tenant_ids), Act.id != act.id]
    qterms = query_terms(act.objet)
    lex = lexical.ranked(
        session, qterms, collection_ids=scope.collection_ids, where=where, limit=depth, every=False
    )
    dense: list[Match] = []
    found = _vector(session, act)
    if found is not None:
        vector, model = found
        dense = [
            m
            for m in best_per_document(
                dense_search(
                    session,
                    vector,  # type: ignore[arg-type]
                    model=model,
                    tenant_ids=scope.tenant_ids,
                    collection_ids=scope.collection_ids,
                    limit=4 * depth,
                )
            )
            if m.document_id != act.document_id
        ]
    fused = fuse(Candidates(lex, dense), PER_DOCUMENT_FUSION)
    return acts_by_document(session, [doc for doc, _ in fused[:limit]])
