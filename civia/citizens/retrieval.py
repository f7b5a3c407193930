"""Search in the published collections only, for nobody in particular: the tenant and the
published collections are the filters, inside each ranker (`civia.documents.search`). A
passage counts only above the relevance threshold; below it, the assistant says it does not
know rather than ask a model to make something up."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.grounding import Grounding, Relevance, source_of
from civia.documents.lexical import query_terms
from civia.documents.search import search

TOP_K = 3
# Stricter than the documents' chat (cosine 0.83): on the 40-question dev set
# (bench/data/citizen_questions.json) the best passage of every supported question has a cosine
# ≥ 0.86 or holds ≥ 60 % of the question's terms, while out-of-scope questions reach 0.844 at
# most (« Quel temps fera-t-il demain ? » reached 0.831 and got an invented answer at 0.83).
RELEVANCE = Relevance(min_dense=0.85, min_coverage=0.6)


def ground(
    db: Session,
    *,
    tenant_id: int,
    collection_ids: Sequence[int],
    question: str,
    embedder: Embedder | None,
    relevance: Relevance = RELEVANCE,
) -> Grounding:
    """The passages of the published collections that support an answer (possibly none)."""
    if not collection_ids:
        return Grounding(question)
    try:
        hits = search(
            db,
            question,
            collection_ids=list(collection_ids),
            tenant_id=tenant_id,
            embedder=embedder,
            top_k=TOP_K,
        )
    except EmptyQueryError:
        return Grounding(question)
    wanted = set(query_terms(question))
    grounding = Grounding(question, [source_of(n, h, wanted) for n, h in enumerate(hits, start=1)])
    return grounding.relevant_only(relevance)
