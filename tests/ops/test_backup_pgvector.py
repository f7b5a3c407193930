"""`civia backup` / `civia restore` of the at-scale profile (PostgreSQL + pgvector), run as the
database's owner, not a superuser: what an administrator runs as `civia` (docs/deploy.md, §2).
The `vector` extension was created by a superuser; the vectors, their HNSW index and the
search come back. Runs on `pgserver` (PostgreSQL 16 + pgvector) with its own client tools."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.documents.ingest import ingest_bytes
from civia.documents.models import Collection, Scope
from civia.documents.pgvector_store import PgVectorStore
from civia.documents.vectors import embed_pending
from tests.conftest import make_personas
from tests.documents.pgvector_server import pgvector_server  # noqa: F401

TEXTS = {
    "decheterie.txt": "La déchèterie municipale est ouverte le samedi de 9 heures à 18 heures.",
    "etat-civil.txt": "Les actes de naissance sont délivrés au guichet de l'état civil.",
}


class Letters:
    """A deterministic embedder: letter counts, L2-normalised."""

    name, dim = "test/lettres-26", 26

    def embed(self, texts: list[str], *, kind: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, body in enumerate(texts):
            for char in body.lower():
                if "a" <= char <= "z":
                    out[row, ord(char) - ord("a")] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out


def _superuser(socket: str, database: str = "postgres") -> str:
    return f"postgresql+psycopg://postgres@/{database}?host={socket}"


@pytest.fixture
def owner_url(pgvector_server: str) -> Iterator[str]:  # noqa: F811
    """A database owned by a login role without superuser rights; `vector` created in it by
    the superuser (the extension is not trusted: its owner cannot create it)."""
    name = "civia_" + uuid.uuid4().hex[:10]
    admin = create_engine(_superuser(pgvector_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    inside = create_engine(_superuser(pgvector_server, name), isolation_level="AUTOCOMMIT")
    with inside.connect() as conn:
        conn.execute(text("CREATE EXTENSION vector"))
    inside.dispose()
    try:
        yield f"postgresql+psycopg://{name}@/{name}?host={pgvector_server}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def pgserver_tools(pgvector_server: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """pgserver's pg_dump/pg_restore first on PATH: Debian's (15) refuse a PostgreSQL 16."""
    from pgserver._commands import POSTGRES_BIN_PATH

    monkeypatch.setenv("PATH", f"{POSTGRES_BIN_PATH}{os.pathsep}{os.environ['PATH']}")


def _seed(db_url: str, password_hash: str) -> int:
    """Personas, two documents with vectors, copied into `doc_chunk_vectors` with their HNSW
    index by the pgvector store, as the role; return the tenant's id."""
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    embedder = Letters()
    with session_scope(make_sessionmaker(engine)) as db:
        tenant = make_personas(db, password_hash).tenant
        collection = Collection(tenant_id=tenant.id, scope=Scope.TENANT.value, name="Commune")
        db.add(collection)
        db.flush()
        for filename, body in TEXTS.items():
            ingest_bytes(db, collection=collection, filename=filename, data=body.encode())
        assert embed_pending(db, embedder) >= len(TEXTS)
        tenant_id = tenant.id
    assert PgVectorStore().sync(engine, tenant_id, embedder.name) >= len(TEXTS)
    engine.dispose()
    return tenant_id


def _vectors(db_url: str) -> tuple[int, list[str], int]:
    """Rows of `doc_chunk_vectors`, its HNSW indexes, and the chunk nearest to the first
    vector (the `vector` type and its operators work)."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM doc_chunk_vectors")).scalar_one()
        indexes = conn.execute(
            text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'doc_chunk_vectors' "
                "AND indexdef LIKE '%USING hnsw%' ORDER BY indexname"
            )
        ).scalars()
        nearest = conn.execute(
            text(
                "SELECT chunk_id FROM doc_chunk_vectors ORDER BY embedding <#> "
                "(SELECT embedding FROM doc_chunk_vectors ORDER BY chunk_id LIMIT 1) LIMIT 1"
            )
        ).scalar_one()
        result = (int(rows), list(indexes), int(nearest))
    engine.dispose()
    return result


def _lose_a_vector(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM doc_chunk_vectors WHERE chunk_id = (SELECT MIN(chunk_id) FROM doc_chunk_vectors)"
            )
        )
    engine.dispose()


def _lose_everything(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE doc_chunk_vectors, doc_vector_syncs"))
    Base.metadata.drop_all(engine)
    engine.dispose()


def test_restore_as_the_owner_keeps_vectors_and_index(
    owner_url: str,
    pgserver_tools: None,
    tmp_path: Path,
    password_hash: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from civia.cli import main
    from civia.settings import get_settings

    _seed(owner_url, password_hash)
    before = _vectors(owner_url)
    assert before[0] >= len(TEXTS) and len(before[1]) == 1
    monkeypatch.setenv("CIVIA_DATABASE_URL", owner_url)
    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        folder = tmp_path / "sauvegarde"
        out = CliRunner().invoke(main, ["backup", str(folder)])
        assert out.exit_code == 0, out.output
        for lose in (_lose_a_vector, _lose_everything):  # over the live database, then an empty one
            lose(owner_url)
            out = CliRunner().invoke(main, ["restore", str(folder), "--yes"])
            assert out.exit_code == 0, out.output
            assert "row counts match the backup" in out.output
            assert _vectors(owner_url) == before
    finally:
        get_settings.cache_clear()
