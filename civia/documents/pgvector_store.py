"""Dense search inside PostgreSQL with the pgvector extension (the at-scale profile).

`doc_chunks.embedding` stays the source of truth (float16 bytes, as on SQLite); this store keeps
a derived copy in `doc_chunk_vectors` (a pgvector `vector` column) with one HNSW index per
embedder, a partial index on `model`, so that vectors of two embedders are never compared and
each index has a fixed dimension. App processes hold no vectors.

Keeping the copy right:
- a deleted chunk takes its vector with it (foreign key, ON DELETE CASCADE), in the same
  transaction as the erasure;
- a trigger drops the copy when a chunk's vector or embedder changes (a redaction, a change of
  model) and follows a chunk moved to another collection or document;
- new vectors are copied before a tenant is searched: `doc_vector_syncs` records, per tenant and
  embedder, the `doc_index_states` version copied so far; rows written since are added, and after
  a purge every missing vector is added back. An advisory lock serialises the copy across app
  processes.

Search: an HNSW scan (`hnsw.ef_search` candidates) filtered by tenant, collection and document;
when the filters leave fewer rows than asked (a small collection in a large table), an exact scan
over the filtered rows, found by the (tenant, model, collection) index, replaces it. The planner
also picks the exact scan by itself when the filters are selective.

The tables are created on first use (`CREATE ... IF NOT EXISTS` under an advisory lock), not by
a migration: the extension is only present on the at-scale profile.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from civia.documents.embedding import from_bytes
from civia.documents.matches import Match

# pg_advisory_xact_lock(key, tenant_id) namespaces: schema creation and per-tenant copies.
_LOCK_KEY = 0x0C1F1A  # "civia"
_SCHEMA_LOCK = -1
_BATCH = 2000

SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    """CREATE TABLE IF NOT EXISTS doc_chunk_vectors (
        chunk_id integer PRIMARY KEY REFERENCES doc_chunks(id) ON DELETE CASCADE,
        tenant_id integer NOT NULL,
        collection_id integer NOT NULL,
        document_id integer NOT NULL,
        model varchar(100) NOT NULL,
        embedding vector NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS ix_doc_chunk_vectors_scope
        ON doc_chunk_vectors (tenant_id, model, collection_id)""",
    """CREATE TABLE IF NOT EXISTS doc_vector_syncs (
        tenant_id integer NOT NULL,
        model varchar(100) NOT NULL,
        version integer NOT NULL,
        purge_version integer NOT NULL,
        PRIMARY KEY (tenant_id, model))""",
    """CREATE OR REPLACE FUNCTION civia_chunk_vector_follow() RETURNS trigger AS $$
    BEGIN
        IF NEW.embedding IS DISTINCT FROM OLD.embedding
           OR NEW.embedding_model IS DISTINCT FROM OLD.embedding_model THEN
            DELETE FROM doc_chunk_vectors WHERE chunk_id = OLD.id;
        ELSIF NEW.collection_id <> OLD.collection_id OR NEW.document_id <> OLD.document_id
              OR NEW.tenant_id <> OLD.tenant_id THEN
            UPDATE doc_chunk_vectors
               SET collection_id = NEW.collection_id, document_id = NEW.document_id,
                   tenant_id = NEW.tenant_id
             WHERE chunk_id = OLD.id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER civia_chunk_vector_follow
        AFTER UPDATE OF embedding, embedding_model, collection_id, document_id, tenant_id
        ON doc_chunks FOR EACH ROW EXECUTE FUNCTION civia_chunk_vector_follow()""",
]


def _matrix(blobs: list[bytes]) -> np.ndarray:
    """float16 blobs of `doc_chunks.embedding` (one dimension) as a float32 matrix."""
    flat = from_bytes(b"".join(blobs))
    return flat.reshape(len(blobs), -1)


def copy_payload(tenant_id: int, model: str, keys: np.ndarray, vectors: np.ndarray) -> bytes:
    """PostgreSQL's binary COPY format for rows (chunk, tenant, collection, document, model,
    vector): every row has the same layout, so one numpy structured array holds them; pgvector
    receives a vector as int16 dimension, int16 unused, then big-endian float4 values."""
    name = model.encode()
    count, dim = vectors.shape
    layout = np.dtype(
        [("fields", ">i2"), ("l1", ">i4"), ("chunk", ">i4"), ("l2", ">i4"), ("tenant", ">i4"),
         ("l3", ">i4"), ("collection", ">i4"), ("l4", ">i4"), ("document", ">i4"),
         ("l5", ">i4"), ("model", f"S{len(name)}"), ("l6", ">i4"), ("dim", ">i2"),
         ("unused", ">i2"), ("values", ">f4", (dim,))]
    )  # fmt: skip
    rows = np.zeros(count, dtype=layout)
    rows["fields"] = 6
    for length in ("l1", "l2", "l3", "l4"):
        rows[length] = 4
    rows["chunk"], rows["tenant"] = keys[:, 0], tenant_id
    rows["collection"], rows["document"] = keys[:, 1], keys[:, 2]
    rows["l5"], rows["model"] = len(name), name
    rows["l6"], rows["dim"] = 4 + 4 * dim, dim
    rows["values"] = vectors
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    return header + rows.tobytes() + b"\xff\xff"


class PgVectorUnavailable(RuntimeError):
    pass


def _literal(value: str) -> str:
    """A SQL string literal (the model name must be inline for the planner to match the
    partial index of that model)."""
    return "'" + value.replace("'", "''") + "'"


def index_name(model: str) -> str:
    return "ix_doc_chunk_vectors_hnsw_" + hashlib.sha1(model.encode()).hexdigest()[:12]  # noqa: S324


class PgVectorStore:
    name = "pgvector"

    def __init__(self, *, ef_search: int = 200, m: int = 16, ef_construction: int = 64) -> None:
        self.ef_search = ef_search
        self.m, self.ef_construction = m, ef_construction
        self._ready: set[int] = set()
        self._lock = threading.Lock()

    # -- schema -----------------------------------------------------------------------------

    def ensure_schema(self, engine: Engine) -> None:
        """Check that PostgreSQL offers pgvector and that the extension is created in the
        database (`CREATE EXTENSION IF NOT EXISTS`: pgvector is not a trusted extension, so a
        role that is not a superuser needs it created beforehand); a clear error at startup
        otherwise."""
        if engine.dialect.name != "postgresql":
            raise PgVectorUnavailable(
                "CIVIA_VECTOR_STORE=pgvector needs PostgreSQL with the pgvector extension "
                f"(the database is {engine.dialect.name})"
            )
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
            ).first()
        if found is None:
            raise PgVectorUnavailable(
                "CIVIA_VECTOR_STORE=pgvector: this PostgreSQL server has no pgvector extension "
                "(package postgresql-<version>-pgvector, or CIVIA_VECTOR_STORE=memory)"
            )
        try:  # created now, or the first search would fail instead of the start
            with engine.begin() as conn:
                if conn.execute(
                    text("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
                ).first():
                    return
                conn.execute(  # processes starting together create it one after the other
                    text("SELECT pg_advisory_xact_lock(:k, :t)"),
                    {"k": _LOCK_KEY, "t": _SCHEMA_LOCK},
                )
                conn.execute(text(SCHEMA[0]))
        except DBAPIError as exc:
            database = engine.url.database or "?"
            raise PgVectorUnavailable(
                f"CIVIA_VECTOR_STORE=pgvector: the extension is not created in database "
                f"{database!r} and this role may not create it; as a PostgreSQL superuser: "
                f"psql -d {database} -c 'CREATE EXTENSION vector' "
                f"({type(exc.orig).__name__})"
            ) from None

    def _create_tables(self, engine: Engine) -> None:
        key = id(engine)
        if key in self._ready:
            return
        with self._lock, engine.begin() as conn:
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:k, :t)"), {"k": _LOCK_KEY, "t": _SCHEMA_LOCK}
            )
            for statement in SCHEMA:
                conn.execute(text(statement))
            self._ready.add(key)

    def ensure_index(self, conn: Connection, model: str, dim: int) -> None:
        """The HNSW index of one embedder's vectors (inner product: the vectors are
        L2-normalised, so it ranks as cosine does)."""
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {index_name(model)} ON doc_chunk_vectors "
                f"USING hnsw ((embedding::vector({int(dim)})) vector_ip_ops) "
                f"WITH (m = {int(self.m)}, ef_construction = {int(self.ef_construction)}) "
                f"WHERE model = {_literal(model)}"
            )
        )

    # -- copy -------------------------------------------------------------------------------

    def sync(self, engine: Engine, tenant_id: int, model: str) -> int:
        """Copy the tenant's vectors of `model` written since the last copy; return how many."""
        self._create_tables(engine)
        with engine.connect() as conn:
            if self._synced(conn, tenant_id, model) == self._state(conn, tenant_id):
                return 0
        with engine.begin() as conn:
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:k, :t)"), {"k": _LOCK_KEY, "t": tenant_id}
            )
            state = self._state(conn, tenant_id)
            synced = self._synced(conn, tenant_id, model)
            if synced == state:
                return 0
            version, purge_version = state
            params: dict[str, object] = {"t": tenant_id, "m": model, "v": version}
            if synced is None or synced[1] != purge_version:
                # First copy, or after a purge: add back whatever is missing.
                which = (
                    "NOT EXISTS (SELECT 1 FROM doc_chunk_vectors v WHERE v.chunk_id = c.id) "
                    "AND c.vector_version <= :v"
                )
            else:
                which = "c.vector_version > :since AND c.vector_version <= :v"
                params["since"] = synced[0]
            rows = conn.execute(
                text(
                    "SELECT c.id, c.collection_id, c.document_id, c.embedding "  # noqa: S608 - fixed fragments
                    "FROM doc_chunks c WHERE c.tenant_id = :t AND c.embedding_model = :m "
                    f"AND c.embedding IS NOT NULL AND {which} ORDER BY c.id"
                ).execution_options(yield_per=_BATCH),
                params,
            )
            copied = 0
            dim = 0
            replace = synced is not None and synced[1] == purge_version
            for batch in rows.partitions(_BATCH):
                matrix = _matrix([bytes(r[3]) for r in batch])
                dim = dim or matrix.shape[1]
                keys = np.array([(r[0], r[1], r[2]) for r in batch], dtype=np.int64)
                self.insert(conn, tenant_id, model, keys, matrix, replace=replace)
                copied += len(batch)
            if dim:
                self.ensure_index(conn, model, dim)
            conn.execute(
                text(
                    "INSERT INTO doc_vector_syncs (tenant_id, model, version, purge_version) "
                    "VALUES (:t, :m, :v, :p) ON CONFLICT (tenant_id, model) DO UPDATE "
                    "SET version = :v, purge_version = :p"
                ),
                {"t": tenant_id, "m": model, "v": version, "p": purge_version},
            )
            return copied

    @staticmethod
    def insert(
        conn: Connection,
        tenant_id: int,
        model: str,
        keys: np.ndarray,
        vectors: np.ndarray,
        *,
        replace: bool = True,
    ) -> None:
        """Add (chunk, collection, document) rows with their vectors by a binary COPY (built
        with numpy: a million vectors copy in seconds, not in Python loops). `replace` drops
        rows of the same chunks first (a copy after a purge only adds missing ones)."""
        if replace:
            conn.execute(
                text("DELETE FROM doc_chunk_vectors WHERE chunk_id = ANY(CAST(:ids AS integer[]))"),
                {"ids": keys[:, 0].tolist()},
            )
        payload = copy_payload(tenant_id, model, keys, vectors)
        raw: Any = conn.connection.dbapi_connection  # a psycopg connection: COPY is psycopg's
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY doc_chunk_vectors (chunk_id, tenant_id, collection_id, document_id, model, "
                "embedding) FROM STDIN WITH (FORMAT BINARY)"
            ) as copy,
        ):
            copy.write(payload)

    @staticmethod
    def _state(conn: Connection, tenant_id: int) -> tuple[int, int]:
        row = conn.execute(
            text("SELECT version, purge_version FROM doc_index_states WHERE tenant_id = :t"),
            {"t": tenant_id},
        ).first()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    @staticmethod
    def _synced(conn: Connection, tenant_id: int, model: str) -> tuple[int, int] | None:
        row = conn.execute(
            text(
                "SELECT version, purge_version FROM doc_vector_syncs "
                "WHERE tenant_id = :t AND model = :m"
            ),
            {"t": tenant_id, "m": model},
        ).first()
        return (int(row[0]), int(row[1])) if row else None

    # -- search -----------------------------------------------------------------------------

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
        if not tenant_ids or not collection_ids or limit <= 0:
            return []
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        for tenant_id in tenant_ids:
            self.sync(engine, tenant_id, model)
        query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        params: dict[str, object] = {
            "q": query.tolist(),
            "tenants": list(tenant_ids),
            "collections": list(collection_ids),
            "limit": limit,
        }
        where = (
            f"model = {_literal(model)} AND tenant_id = ANY(CAST(:tenants AS integer[])) "
            "AND collection_id = ANY(CAST(:collections AS integer[]))"
        )
        if document_ids is not None:
            if not document_ids:
                return []
            where += " AND document_id = ANY(CAST(:documents AS integer[]))"
            params["documents"] = list(document_ids)
        dim = len(query)
        distance = f"(embedding::vector({dim})) <#> CAST(CAST(:q AS real[]) AS vector({dim}))"
        session.execute(text(f"SET LOCAL hnsw.ef_search = {max(int(self.ef_search), limit)}"))
        found = self._select(session, distance, where, params)
        if len(found) < limit:
            # The index scan stops after ef_search candidates, filtered afterwards: with
            # selective filters it can miss rows that exist. "+ 0" keeps the planner off the
            # HNSW index: an exact scan of the filtered rows.
            found = self._select(session, f"({distance}) + 0", where, params)
        return [Match(chunk_id, score, document_id) for chunk_id, document_id, score in found]

    @staticmethod
    def _select(
        session: Session, distance: str, where: str, params: dict[str, object]
    ) -> list[tuple[int, int, float]]:
        rows = session.execute(
            text(
                f"SELECT chunk_id, document_id, -({distance}) AS score FROM doc_chunk_vectors "  # noqa: S608 - fragments built above
                f"WHERE {where} ORDER BY {distance} LIMIT :limit"
            ),
            params,
        ).all()
        return [(int(r[0]), int(r[1]), float(r[2])) for r in rows]
