"""Chat with a document or a collection through the web routes: scope checks, « not found »
without a model call, stop-word questions, and (model) a cited answer linking to its passage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.documents.grounding import NOT_FOUND_FR
from civia.documents.models import AnswerSources, Document
from civia.settings import Settings
from civia.usage.models import UsageEvent
from tests.chat.helpers import done, events
from tests.conftest import Personas, build_app, login_as, page_text
from tests.documents.web import new_collection, run_jobs, upload

HOURS = ("La déchèterie municipale de Démoville est ouverte le samedi de 9 heures à 18 heures "
         "et le mercredi de 14 heures à 18 heures. L'accès est gratuit pour les habitants.")  # fmt: skip
SECRET = "Le code du coffre-fort de la mairie est 4729, connu du seul directeur général."


def ask(client: TestClient, headers: dict[str, str], question: str, **scope: int):
    data = {"content": question, "assistant": "chat", **{k: str(v) for k, v in scope.items()}}
    resp = client.post("/conversations", data=data, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _doc(client: TestClient, filename: str) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(Document.id).where(Document.filename == filename)))


def _usage(client: TestClient) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        # Model calls only: the document's embedding batches are in the ledger too.
        calls = select(func.count(UsageEvent.id)).where(UsageEvent.source != "embeddings")
        return int(db.scalar(calls) or 0)


@pytest.fixture
def any_db_client(
    db_url: str, tmp_path: Path, password_hash: str
) -> Iterator[tuple[TestClient, Settings]]:
    """The app on SQLite, then on PostgreSQL."""
    settings = Settings(data_dir=tmp_path, database_url=db_url, max_tokens=8,
                        retention_sweep_hours=0, model_seed=1234, jobs_in_process=False)  # fmt: skip
    client, _ = build_app(settings, password_hash)
    with client:
        yield client, settings
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_no_route_lets_a_user_reach_another_service_or_tenant_document(
    any_db_client: tuple[TestClient, Settings],
) -> None:
    client, settings = any_db_client
    agent = login_as(client, "agent")
    personal = new_collection(client, agent, "Carnet d'Alice")
    upload(client, agent, personal, [("secret.txt", SECRET.encode(), "text/plain")])
    client.cookies.clear()
    referent = login_as(client, "referent")
    service = new_collection(client, referent, "Population", "service")
    upload(
        client,
        referent,
        service,
        [("service.txt", ("Note interne : " + SECRET).encode(), "text/plain")],
    )
    commune = new_collection(client, referent, "Commune", "tenant")
    upload(client, referent, commune, [("horaires.txt", HOURS.encode(), "text/plain")])
    run_jobs(client, settings)
    secret_id, service_id = _doc(client, "secret.txt"), _doc(client, "service.txt")
    client.cookies.clear()
    bob = login_as(client, "bob")  # service Urbanisme: reads the commune's collection only
    for url in (f"/documents/{secret_id}", f"/documents/{service_id}/original",
                f"/documents/collections/{personal}", f"/documents/collections/{service}",
                f"/conversations/nouvelle?document={secret_id}",
                f"/conversations/nouvelle?collection={service}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    for path in (f"/documents/{secret_id}/supprimer", f"/documents/{service_id}/relancer"):
        assert client.post(path, headers=bob).status_code == 404, path
    refused = client.post("/conversations", data={"content": "Quel est le code du coffre ?",
                          "document_id": str(secret_id)}, headers=bob)  # fmt: skip
    assert refused.status_code == 404
    sent = ask(client, bob, "Quel est le code du coffre-fort de la mairie ?", collection_id=commune)
    final = done(client, sent["stream_url"])
    assert "4729" not in final["html"] + final["sources"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for row in db.scalars(select(AnswerSources)):
            assert all(s["document_id"] not in (secret_id, service_id) for s in row.sources)
    listing = page_text(client.get("/documents"))
    assert "Carnet d'Alice" not in listing and "Population" not in listing and "Commune" in listing
    client.cookies.clear()
    login_as(client, "olivia")  # admin elsewhere
    assert client.get(f"/documents/collections/{commune}").status_code == 404
    assert client.get(f"/conversations/nouvelle?collection={commune}").status_code == 404


def test_nothing_relevant_answers_not_found_without_calling_a_model(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    upload(client, headers, cid, [("horaires.txt", HOURS.encode(), "text/plain")])
    run_jobs(client, settings)
    doc = _doc(client, "horaires.txt")
    page = page_text(client.get(f"/conversations/nouvelle?document={doc}"))
    assert (
        "Questions posées à : <strong>Document « horaires »" in page
        and 'name="document_id"' in page
    )
    sent = ask(client, headers, "Quelle est la capitale de l'Australie et sa population ?",
               document_id=doc)  # fmt: skip
    evs = events(client.get(sent["stream_url"]).text)
    assert evs[0] == ("token", {"t": NOT_FOUND_FR})
    final = evs[-1][1]
    assert NOT_FOUND_FR in final["html"] and "Aucun passage" in final["sources"]
    assert _usage(client) == 0  # no model call: nothing to invent from
    stop_words = ask(client, headers, "c'est quoi ça ?", document_id=doc)
    final = done(client, stop_words["stream_url"])
    assert "mots trop courants" in final["html"]
    conv = page_text(client.get(f"/conversations/{sent['conversation_id']}"))
    assert NOT_FOUND_FR in conv and "Aucun passage" in conv  # kept for reloads


def test_new_conversation_page_offers_readable_collections(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    new_collection(client, headers, "Mes notes")
    page = page_text(client.get("/conversations/nouvelle"))
    assert "Interroger une collection de documents (facultatif)" in page and "Mes notes" in page
    plain = client.post("/conversations", data={"content": "Bonjour", "collection_id": ""},
                        headers=headers)  # fmt: skip
    assert plain.status_code == 200  # « Aucune » keeps a plain conversation


@pytest.mark.model
def test_grounded_answer_cites_its_passage_with_a_link(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    settings.max_tokens = 60
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    upload(client, headers, cid, [("horaires.txt", HOURS.encode(), "text/plain")])
    run_jobs(client, settings)
    doc = _doc(client, "horaires.txt")
    sent = ask(client, headers, "Quels sont les horaires de la déchèterie le samedi ?",
               collection_id=cid)  # fmt: skip
    final = done(client, sent["stream_url"])
    assert final["status"] == "ok", final
    assert f'<a class="cite" href="/documents/{doc}#passage-0"' in final["html"], final["html"]
    assert "9" in final["html"] and "18" in final["html"]
    assert f'href="/documents/{doc}#passage-0"' in final["sources"]
    assert "samedi de 9 heures" in final["sources"]  # the quoted passage
    conv = client.get(f"/conversations/{sent['conversation_id']}").text
    assert 'class="cite"' in conv  # the citations stay links after a reload
