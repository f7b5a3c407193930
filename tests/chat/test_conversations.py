"""Conversations without the model: ownership, limits, rename, delete, search; both databases."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.models import Conversation, Message
from civia.providers.models import Provider
from civia.settings import Settings
from tests.chat.helpers import done, send
from tests.conftest import Personas, build_app, login_as


@pytest.fixture
def app_any_db(db_url: str, tmp_path, password_hash: str) -> Iterator[tuple[TestClient, Personas]]:
    settings = Settings(
        data_dir=tmp_path, database_url=db_url, max_tokens=8, max_message_chars=1000
    )
    client, personas = build_app(settings, password_hash)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _provider_down(client: TestClient) -> None:
    """Point every provider at a closed port: a real connection refusal, no model needed."""
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for p in db.scalars(select(Provider)):
            p.kind, p.base_url, p.models = "openai_compat", "http://127.0.0.1:9/v1", ["m"]
        db.commit()


def test_other_users_conversation_is_404(app_any_db: tuple[TestClient, Personas]) -> None:
    client, _ = app_any_db
    _provider_down(client)
    headers = login_as(client, "agent")
    conv_id = send(client, headers, "Ma question privée").json()["conversation_id"]
    for intruder in ("bob", "carol", "admin"):
        other = TestClient(client.app)
        h = login_as(other, intruder)
        assert other.get(f"/conversations/{conv_id}").status_code == 404
        assert (
            other.post(
                f"/conversations/{conv_id}/renommer", data={"title": "x"}, headers=h
            ).status_code
            == 404
        )
        assert other.post(f"/conversations/{conv_id}/supprimer", headers=h).status_code == 404
        assert "Ma question privée" not in other.get("/conversations/liste?q=privée").text


def test_message_is_saved_even_when_provider_is_down(
    app_any_db: tuple[TestClient, Personas],
) -> None:
    client, _ = app_any_db
    _provider_down(client)
    headers = login_as(client, "agent")
    sent = send(client, headers, "Rédige une note sur le marché de Noël").json()
    final = done(client, sent["stream_url"])
    assert final["status"] == "error"
    assert "injoignable" in final["error"] and "réf." in final["error"]
    page = client.get(sent["url"]).text
    assert "Rédige une note sur le marché de Noël" in page
    assert "injoignable" in page


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        ("   ", 422, "Le message est vide."),
        ("x" * 1001, 413, "la limite est de 1"),
    ],
)
def test_message_limits(
    app_any_db: tuple[TestClient, Personas], content: str, status: int, message: str
) -> None:
    client, _ = app_any_db
    headers = login_as(client, "agent") | {"Accept": "application/json"}
    resp = send(client, headers, content)
    assert resp.status_code == status
    assert message in resp.json()["detail"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(Message)) is None


def test_rename_search_delete(app_any_db: tuple[TestClient, Personas]) -> None:
    client, _ = app_any_db
    _provider_down(client)
    headers = login_as(client, "agent")
    conv = send(client, headers, "Question sur la cantine scolaire").json()
    done(client, conv["stream_url"])
    cid = conv["conversation_id"]
    assert "Question sur la cantine" in client.get("/conversations/liste").text
    client.post(f"/conversations/{cid}/renommer", data={"title": "Cantine 2027"}, headers=headers)
    assert "Cantine 2027" in client.get("/conversations/liste?q=cantine").text  # title or content
    assert "Cantine 2027" in client.get("/conversations/liste?q=scolaire").text  # content match
    assert "Aucune conversation ne correspond" in client.get("/conversations/liste?q=piscine").text
    resp = client.post(f"/conversations/{cid}/supprimer", headers=headers, follow_redirects=False)
    assert resp.status_code == 303
    assert "La conversation a été supprimée." in client.get(resp.headers["location"]).text
    assert client.get(f"/conversations/{cid}").status_code == 404
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(Conversation)) is None and db.scalar(select(Message)) is None


def test_unknown_assistant_is_404(app_any_db: tuple[TestClient, Personas]) -> None:
    client, _ = app_any_db
    login_as(client, "agent")
    assert client.get("/conversations/nouvelle?assistant=inconnu").status_code == 404


def test_the_error_box_lives_in_the_sticky_composer(client: TestClient) -> None:
    from bs4 import BeautifulSoup

    login_as(client, "agent")
    page = BeautifulSoup(client.get("/conversations/nouvelle").text, "html.parser")
    error = page.find(id="chat-error")
    assert error is not None and error.find_parent(id="composer") is not None
