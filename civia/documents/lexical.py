"""Lexical (BM25) search over French-stemmed chunk text.

SQLite: an FTS5 table with external content on `doc_chunks.search_text` (created with the
tables, see `civia.documents.models.SQLITE_FTS_DDL`), kept in sync by triggers in the same
transaction as the chunk rows (nothing half-indexed, incremental by construction, cascaded
deletes included). PostgreSQL: a GIN index on
`to_tsvector('simple', search_text)` (the text is already stemmed) ranked with `ts_rank`.
Filters are part of the SQL query, before ranking is cut to `limit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from civia.documents.analysis import terms
from civia.documents.matches import Match

# Filters are rendered from integers only (see `_filters`), never from user text.
_SQLITE_QUERY = (
    "SELECT c.id, -bm25(doc_chunks_fts) AS score, c.document_id, "
    "c.embedding IS NOT NULL AS has_vector FROM doc_chunks_fts "
    "JOIN doc_chunks c ON c.id = doc_chunks_fts.rowid "
    "WHERE doc_chunks_fts MATCH :q AND {where} ORDER BY score DESC LIMIT :limit"
)
_POSTGRES_QUERY = (
    "SELECT c.id, ts_rank(to_tsvector('simple', c.search_text), t.q, 1) AS score, "
    "c.document_id, c.embedding IS NOT NULL AS has_vector "
    "FROM doc_chunks c, (SELECT {tsquery} AS q) t "
    "WHERE to_tsvector('simple', c.search_text) @@ t.q AND {where} "
    "ORDER BY score DESC LIMIT :limit"
)


def pg_tsquery(qterms: Sequence[str], params: dict[str, Any], *, every: bool = False) -> str:
    """A PostgreSQL tsquery matching any (or every) term, as SQL with bound parameters.

    Each term goes through `plainto_tsquery`, never `to_tsquery`: a term is user text after
    normalisation (`a⑴` becomes `a(1)`), and to_tsquery's operator syntax would make it a
    syntax error (a 500) or an operator. plainto uses the same parser as the indexed
    `to_tsvector('simple', …)`, so terms still match what was indexed."""
    parts = []
    for i, term in enumerate(qterms):
        params[f"q{i}"] = term
        parts.append(f"plainto_tsquery('simple', :q{i})")
    return "(" + (" && " if every else " || ").join(parts) + ")"


def query_terms(query: str) -> list[str]:
    """Distinct index terms of a query, in order."""
    return list(dict.fromkeys(terms(query)))


def _filters(
    params: dict[str, Any],
    collection_ids: Sequence[int],
    document_ids: Sequence[int] | None,
    tenant_id: int | None,
) -> str:
    clauses = []
    # Integer literals, never user text: the lists can be long and bind-parameter limits vary.
    ids = ",".join(str(int(i)) for i in collection_ids)
    clauses.append(f"c.collection_id IN ({ids})")
    if document_ids is not None:
        docs = ",".join(str(int(i)) for i in document_ids) or "NULL"
        clauses.append(f"c.document_id IN ({docs})")
    if tenant_id is not None:
        clauses.append("c.tenant_id = :tenant_id")
        params["tenant_id"] = tenant_id
    return " AND ".join(clauses)


def lexical_search(
    session: Session,
    qterms: Sequence[str],
    *,
    collection_ids: Sequence[int],
    document_ids: Sequence[int] | None = None,
    tenant_id: int | None = None,
    limit: int = 100,
) -> list[Match]:
    """Matching chunks, best first (BM25 on SQLite, higher is better)."""
    if not qterms or not collection_ids:
        return []
    params: dict[str, Any] = {"limit": limit}
    where = _filters(params, collection_ids, document_ids, tenant_id)
    if session.get_bind().dialect.name == "sqlite":
        params["q"] = " OR ".join(f'"{term}"' for term in qterms)
        sql = _SQLITE_QUERY.format(where=where)
    else:
        sql = _POSTGRES_QUERY.format(where=where, tsquery=pg_tsquery(qterms, params))
    rows = session.execute(text(sql), params).all()
    return [Match(int(r[0]), float(r[1]), int(r[2]), bool(r[3])) for r in rows]


def rebuild_sqlite_index(session: Session) -> None:
    """Rebuild the whole FTS5 index from `doc_chunks.search_text` (after a bulk repair)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO doc_chunks_fts(doc_chunks_fts) VALUES ('rebuild')"))
