"""Lexical matching of acts: the documents' full-text index joined with the acts' metadata.

The chunk-level index is the one of `civia.documents.lexical` (SQLite FTS5 over
French-stemmed terms, PostgreSQL GIN on `to_tsvector('simple', …)`), queried with the same
terms (`query_terms`). What this module adds is the join with `acts`: tenant, type, date,
collectivité, thème and vote conditions sit in the same SQL statement as the text match, so
ranking, counting and pagination only ever see acts that pass the filters.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    CTE,
    Boolean,
    ColumnElement,
    Float,
    Integer,
    Select,
    cast,
    column,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from civia.documents.acts.models import Act
from civia.documents.lexical import pg_tsquery
from civia.documents.matches import Match

# Collection ids are rendered as integer literals (as in civia.documents.lexical); the query
# text is bound. The CTE is materialised: on SQLite bm25() only works in the FTS query itself;
# on PostgreSQL an inlined CTE let the planner re-check the text match inside a nested loop
# over the filtered acts (6.9 s instead of 88 ms for words + a vote filter at 20,000 acts).
_SQLITE_MATCH = (
    "SELECT c.id AS chunk_id, c.document_id AS document_id, -bm25(doc_chunks_fts) AS score, "
    "c.embedding IS NOT NULL AS has_vector FROM doc_chunks_fts "
    "JOIN doc_chunks c ON c.id = doc_chunks_fts.rowid "
    "WHERE doc_chunks_fts MATCH :q AND c.collection_id IN ({ids})"
)
_POSTGRES_MATCH = (
    "SELECT c.id AS chunk_id, c.document_id AS document_id, "
    "ts_rank(to_tsvector('simple', c.search_text), {tsquery}, 1) AS score, "
    "c.embedding IS NOT NULL AS has_vector FROM doc_chunks c "
    "WHERE to_tsvector('simple', c.search_text) @@ {tsquery} "
    "AND c.collection_id IN ({ids})"
)


def matches(
    session: Session, qterms: Sequence[str], collection_ids: Sequence[int], *, every: bool = True
) -> CTE:
    """Chunks holding every term (`every`) or any of them: (chunk_id, document_id, score,
    has_vector). Each chunk of an act carries its objet (the document title), so « every
    term » holds across the objet and one passage of the body."""
    ids = ",".join(str(int(i)) for i in collection_ids) or "NULL"
    params: dict[str, str] = {}
    if session.get_bind().dialect.name == "sqlite":
        joiner = " AND " if every else " OR "
        params["q"] = joiner.join(f'"{term}"' for term in qterms)
        sql = _SQLITE_MATCH.format(ids=ids)
    else:
        tsquery = pg_tsquery(qterms, params, every=every)
        sql = _POSTGRES_MATCH.format(ids=ids, tsquery=tsquery)
    cte = (
        text(sql)
        .bindparams(**params)
        .columns(
            column("chunk_id", Integer),
            column("document_id", Integer),
            column("score", Float),
            column("has_vector", Boolean),
        )
        .cte("act_matches")
    )
    return cte.prefix_with("MATERIALIZED")


def _grouped(cte: CTE, where: list[ColumnElement[bool]]) -> Select[int, int, float, int]:
    return (
        select(
            Act.id,
            Act.document_id,
            func.max(cte.c.score).label("score"),
            func.max(cast(cte.c.has_vector, Integer)).label("has_vector"),
        )
        .join(cte, cte.c.document_id == Act.document_id)
        .where(*where)
        .group_by(Act.id, Act.document_id)
    )


def ranked(
    session: Session,
    qterms: Sequence[str],
    *,
    collection_ids: Sequence[int],
    where: list[ColumnElement[bool]],
    limit: int,
    every: bool = True,
) -> list[Match]:
    """The best matching acts, one `Match` per act keyed by its document id, best first."""
    if not qterms or not collection_ids:
        return []
    grouped = _grouped(matches(session, qterms, collection_ids, every=every), where).subquery()
    rows = session.execute(
        select(grouped).order_by(grouped.c.score.desc(), grouped.c.id).limit(limit)
    ).all()
    return [
        Match(int(r.document_id), float(r.score), int(r.document_id), bool(r.has_vector))
        for r in rows
    ]


def count(
    session: Session,
    qterms: Sequence[str],
    *,
    collection_ids: Sequence[int],
    where: list[ColumnElement[bool]],
    every: bool = True,
) -> int:
    if not qterms or not collection_ids:
        return 0
    cte = matches(session, qterms, collection_ids, every=every)
    query = (
        select(func.count(func.distinct(Act.id)))
        .join(cte, cte.c.document_id == Act.document_id)
        .where(*where)
    )
    return int(session.execute(query).scalar_one())


def matching_ids(
    session: Session,
    qterms: Sequence[str],
    *,
    collection_ids: Sequence[int],
    where: list[ColumnElement[bool]],
    every: bool = True,
) -> Select[int]:
    """A subquery of the ids of matching acts (for listing them by date)."""
    cte = matches(session, qterms, collection_ids, every=every)
    return select(Act.id).join(cte, cte.c.document_id == Act.document_id).where(*where).distinct()
