"""While the local model is busy, the answer's stream says where it waits (no generation: the
model is held by the test, and the user stops while waiting)."""

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.models import Message
from civia.providers import local_llama
from tests.chat.helpers import events, send
from tests.conftest import Personas, login_as


def test_waiting_answer_streams_its_place_in_line_then_stops(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = local_llama.GENERATIONS
    monkeypatch.setattr(line, "heartbeat_s", 0.05)  # the stop is noticed between announcements
    loaded = dict(local_llama._models)
    headers = login_as(client, "agent")
    sent = send(client, headers, "Bonjour").json()
    body: list[str] = []
    with line.hold("someone-else"):  # another user's generation holds the model
        reader = threading.Thread(target=lambda: body.append(client.get(sent["stream_url"]).text))
        reader.start()
        for _ in range(1000):
            if line.waiting() == 1:
                break
            threading.Event().wait(0.01)
        assert line.waiting() == 1, "the answer never joined the line"
        stop = client.post(sent["stop_url"], headers=headers)
        assert stop.status_code == 204
        reader.join(30)
        assert not reader.is_alive()
    evs = events(body[0])
    queued = [data for name, data in evs if name == "queued"]
    assert queued and queued[0] == {
        "position": 1,
        "label": "En file d'attente : 1 demande avant la vôtre",
    }
    assert [name for name, _ in evs if name != "queued"] == ["done"]
    assert evs[-1][1]["status"] == "stopped"
    assert line.waiting() == 0 and not line.busy()  # it left the line; nothing holds the model
    assert local_llama._models == loaded  # it never reached the model
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.scalar(select(Message).where(Message.id == sent["answer_id"]))
        assert answer is not None and answer.status == "stopped" and answer.content == ""
