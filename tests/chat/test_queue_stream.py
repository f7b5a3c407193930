"""While the local model is busy, a chat answer's or an assistant run's stream says where it
waits (no generation: the test holds the model, and the user stops or cancels while waiting)."""

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.assistants.models import AssistantRun
from civia.chat.models import Message
from civia.jobs.models import Job
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


@pytest.mark.model  # the run's token budget loads the model (it never generates here)
def test_waiting_assistant_run_shows_its_place_in_line_until_cancelled(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civia.jobs.worker import Worker
    from civia.web.routes import assistants as routes

    line = local_llama.GENERATIONS
    monkeypatch.setattr(line, "heartbeat_s", 0.05)
    polled = threading.Event()
    real_poll = routes._poll

    def spy(*args):  # the real poll, noting when the page's stream has read the waiting line
        found = real_poll(*args)
        if found[3]:
            polled.set()
        return found

    monkeypatch.setattr(routes, "_poll", spy)
    headers = login_as(client, "agent")
    form = {"texte": "La mairie sera fermée lundi.", "registre": "courrier usager FALC",
            "longueur": "plus court"}  # fmt: skip
    resp = client.post("/assistants/reformulation", data=form, headers=headers,
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    run_id = int(resp.headers["location"].rsplit("/", 1)[1])
    app = client.app
    body: list[str] = []
    with line.hold("someone-else"):
        worker = threading.Thread(
            target=Worker(app.state.sessions, app.state.settings, {}).run_once,  # type: ignore[attr-defined]
            args=("redaction",),
        )
        worker.start()
        reader = threading.Thread(
            target=lambda: body.append(client.get(f"/resultats/{run_id}/flux").text)
        )
        reader.start()
        assert polled.wait(30), "the run's stream never saw it waiting"
        with app.state.sessions() as db:  # type: ignore[attr-defined]
            run = db.get(AssistantRun, run_id)
            job = db.get(Job, run.job_id)
            assert job.message == "En file d'attente : 1 demande avant la vôtre"
            job_id = job.id
        assert client.post(f"/travaux/{job_id}/annuler", headers=headers).status_code in (200, 303)
        worker.join(30)
        reader.join(30)
        assert not worker.is_alive() and not reader.is_alive()
    evs = events(body[0])
    assert ("queued", {"label": "En file d'attente : 1 demande avant la vôtre"}) in evs
    assert evs[-1][0] == "done" and evs[-1][1]["error"] == "Génération annulée à votre demande."
    assert line.waiting() == 0 and not line.busy()
