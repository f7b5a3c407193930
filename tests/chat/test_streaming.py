"""Chat with the real local model (few, short generations: max_tokens=8)."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.models import Message
from civia.usage.models import UsageEvent
from tests.chat.helpers import done, events, send
from tests.conftest import Personas, login_as

pytestmark = pytest.mark.model


def test_answer_streams_and_is_recorded(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    sent = send(client, headers, "Dis bonjour en une phrase.").json()
    evs = events(client.get(sent["stream_url"]).text)
    tokens = [e for e in evs if e[0] == "token"]
    assert len(tokens) >= 2, evs  # streamed in pieces, not one block
    final = evs[-1]
    assert final[0] == "done" and final[1]["status"] == "ok"
    # each answer's footprint, said with an equivalent (steering.equivalents)
    assert final[1]["footprint"].startswith("Empreinte estimée de cette réponse : ≈ ")
    assert "ampoule LED" in final[1]["footprint"]
    text = "".join(t[1]["t"] for t in tokens)
    assert text.strip()
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert answer is not None and answer.status == "ok" and answer.content == text
        event = db.scalar(select(UsageEvent))
        assert event is not None
        assert event.user_id == personas["agent"].id and event.service_id == personas.service_a.id
        assert event.source == "web" and event.outcome == "ok"
        assert event.completion_tokens == len(tokens) and event.prompt_tokens > 10
        assert event.ttft_ms is not None and 0 < event.ttft_ms <= event.latency_ms


def test_second_stream_of_same_answer_does_not_regenerate(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    sent = send(client, headers, "Donne un mot.").json()
    first = done(client, sent["stream_url"])
    replay = events(client.get(sent["stream_url"]).text)
    assert [e[0] for e in replay] == ["done"]
    assert replay[0][1]["html"] == first["html"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert len(db.scalars(select(UsageEvent)).all()) == 1


def test_regenerate_replaces_last_answer(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    sent = send(client, headers, "Donne un prénom.").json()
    done(client, sent["stream_url"])
    regen = client.post(
        f"/conversations/{sent['conversation_id']}/regenerer", headers=headers
    ).json()
    assert done(client, regen["stream_url"])["status"] == "ok"
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answers = db.scalars(select(Message).where(Message.role == "assistant")).all()
        assert [a.id for a in answers] == [regen["answer_id"]]


def test_follow_up_while_generating_is_refused(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent") | {"Accept": "application/json"}
    sent = send(client, headers, "Bonjour").json()
    again = send(client, headers, "Encore ?", sent["conversation_id"])
    assert again.status_code == 409
    assert "déjà en cours" in again.json()["detail"]
    done(client, sent["stream_url"])
    assert send(client, headers, "Encore ?", sent["conversation_id"]).status_code == 200


def test_markdown_answer_is_sanitised(client: TestClient, personas: Personas) -> None:
    from civia.web.markdown import render

    html = render("**gras** <script>alert(1)</script> [x](javascript:alert(1)) | a |\n|---|\n| b |")
    assert "<strong>gras</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_stop_keeps_the_partial_answer(client: TestClient, personas: Personas) -> None:
    client.app.state.settings.max_tokens = 200  # type: ignore[attr-defined]
    headers = login_as(client, "agent")
    sent = send(client, headers, "Écris un long poème sur la mer.").json()
    tokens = 0
    with client.stream("GET", sent["stream_url"]) as resp:
        lines = resp.iter_lines()
        for line in lines:
            if line.startswith("event: token"):
                tokens += 1
                if tokens == 3:
                    assert client.post(sent["stop_url"], headers=headers).status_code == 204
            if line.startswith("event: done"):
                final = next(lines)
                break
    assert '"status": "stopped"' in final
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert answer is not None and answer.status == "stopped" and answer.content
        assert db.scalar(select(UsageEvent)).outcome == "stopped"  # type: ignore[union-attr]
