"""The prompt library: sharing decides who sees a prompt; only its author edits or deletes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.assistants import prompts
from civia.assistants.models import SavedPrompt
from civia.db.engine import session_scope
from civia.settings import Settings
from civia.web.routes import builder as builder_routes
from tests.conftest import Personas, build_app, login_as, page_text

BODY = "Rédige une réponse à {{ nom de l'usager }} au sujet de {{ objet }}. Rappelle {{ objet }}."


@pytest.fixture
def app_and_personas(
    settings: Settings, password_hash: str
) -> Iterator[tuple[TestClient, Personas]]:
    client, personas = build_app(settings, password_hash)
    if not any(getattr(r, "path", "") == "/prompts" for r in client.app.routes):
        client.app.include_router(builder_routes.router)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_variables_and_fill() -> None:
    assert prompts.variables(BODY) == ["nom de l'usager", "objet"]
    assert prompts.fill(BODY, {"nom de l'usager": "Mme Durand", "objet": "la voirie"}) == (
        "Rédige une réponse à Mme Durand au sujet de la voirie. Rappelle la voirie."
    )
    with pytest.raises(prompts.PromptError) as caught:
        prompts.fill(BODY, {"objet": " "})
    assert caught.value.errors == {
        "nom de l'usager": "Renseignez « nom de l'usager ».",
        "objet": "Renseignez « objet ».",
    }
    assert prompts.variables("{{}} {{ a\nb }} texte") == []


def test_visibility_follows_sharing(client: TestClient, personas: Personas) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        for sharing in ("personal", "service", "tenant"):
            prompts.create(db, user=personas["agent"], title=sharing, body=BODY, sharing=sharing)
        prompts.create(db, user=personas["carol"], title="autre", body="x", sharing="tenant")

        def titles(login: str) -> set[str]:
            return {p.title for p in prompts.visible(db, user=personas[login])}

        assert titles("agent") == {"personal", "service", "tenant"}
        assert titles("referent") == {"service", "tenant"}  # same service
        assert titles("bob") == {"tenant"}  # another service
        assert titles("carol") == {"autre"}  # another collectivité
        assert titles("olivia") == {"autre"}


def test_library_pages(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/prompts", data={"title": "Réponse", "body": BODY, "sharing": "tenant"}, headers=headers
    )
    assert "Prompt enregistré." in page_text(resp)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        prompt_id = db.scalars(select(SavedPrompt.id)).one()
    page = client.get(f"/prompts/{prompt_id}")
    soup = BeautifulSoup(page.text, "html.parser")
    assert [label.get_text() for label in soup.select("form.stack label")] == [
        "nom de l'usager",
        "objet",
    ]
    resp = client.post(
        f"/prompts/{prompt_id}", data={"v-0": "", "v-1": "la voirie"}, headers=headers
    )
    assert resp.status_code == 422 and "Renseignez « nom de l'usager »." in page_text(resp)
    assert "la voirie" in page_text(resp)  # kept
    resp = client.post(
        f"/prompts/{prompt_id}", data={"v-0": "Mme Durand", "v-1": "la voirie"}, headers=headers
    )
    soup = BeautifulSoup(resp.text, "html.parser")
    text = "Rédige une réponse à Mme Durand au sujet de la voirie. Rappelle la voirie."
    assert soup.find(id="resultat").get_text() == text
    start = soup.find("form", action="/conversations/nouvelle")
    assert start.find(attrs={"name": "prefill"})["value"] == text
    assert start.find(attrs={"name": "assistant"})["value"] == "chat"
    assert start.find(attrs={"name": "csrf_token"})


def test_only_the_author_edits_or_deletes(client: TestClient, personas: Personas) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        shared = prompts.create(
            db, user=personas["agent"], title="Partagé", body=BODY, sharing="tenant"
        ).id
        private = prompts.create(
            db, user=personas["agent"], title="Privé", body=BODY, sharing="personal"
        ).id
    headers = login_as(client, "bob")
    assert client.get(f"/prompts/{shared}").status_code == 200  # may use it
    assert client.get(f"/prompts/{private}").status_code == 404
    assert client.get(f"/prompts/{shared}/modifier").status_code == 404
    data = {"title": "Piraté", "body": "x", "sharing": "tenant"}
    assert client.post(f"/prompts/{shared}/modifier", data=data, headers=headers).status_code == 404
    assert client.post(f"/prompts/{shared}/supprimer", headers=headers).status_code == 404
    client.cookies.clear()
    headers = login_as(client, "olivia")
    assert client.get(f"/prompts/{shared}").status_code == 404
    client.cookies.clear()
    headers = login_as(client, "agent")
    resp = client.post(f"/prompts/{shared}/modifier", data=data, headers=headers)
    assert "Prompt enregistré." in page_text(resp)
    resp = client.post(f"/prompts/{shared}/supprimer", headers=headers)
    assert "Prompt supprimé." in page_text(resp)
    assert client.get(f"/prompts/{shared}").status_code == 404


def test_bad_prompts_are_explained_and_kept(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    long_body = "x" * (prompts.MAX_BODY + 1)
    resp = client.post(
        "/prompts", data={"title": " ", "body": long_body, "sharing": "partout"}, headers=headers
    )
    assert resp.status_code == 422
    text = page_text(resp)
    assert "Donnez un titre à ce prompt." in text
    assert f"maximum {prompts.MAX_BODY}" in text
    assert "Choisissez avec qui partager ce prompt." in text
    assert long_body in text
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        assert db.scalar(select(SavedPrompt.id)) is None


def test_csrf_and_login(client: TestClient, personas: Personas) -> None:
    assert client.get("/prompts", follow_redirects=False).status_code == 303
    login_as(client, "agent")
    data = {"title": "t", "body": "b", "sharing": "personal"}
    assert client.post("/prompts", data=data).status_code == 403


def test_pages_are_accessible_and_csp_safe(client: TestClient, personas: Personas) -> None:
    from tests.assistants.test_builder_web import _check_page

    headers = login_as(client, "agent")
    client.post(
        "/prompts", data={"title": "T", "body": BODY, "sharing": "personal"}, headers=headers
    )
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        prompt_id = db.scalars(select(SavedPrompt.id)).one()
    for url in ("/prompts", f"/prompts/{prompt_id}", f"/prompts/{prompt_id}/modifier"):
        _check_page(client.get(url).text, url)
    filled = client.post(f"/prompts/{prompt_id}", data={"v-0": "a", "v-1": "b"}, headers=headers)
    _check_page(filled.text, "filled")
