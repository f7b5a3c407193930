"""Stopping a generation: the request reaches the process that streams the answer through the
database (or Redis when configured), not through one process's memory; and only the owner of a
conversation can stop its answers."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from civia.app import create_app
from civia.chat import stops
from civia.chat.models import Message
from tests.chat.helpers import send
from tests.conftest import Personas, login_as


def _pending_answer(client: TestClient, login: str) -> dict[str, object]:
    """A question whose answer is waiting to stream (the model is not called)."""
    sent = send(client, login_as(client, login), "Bonjour")
    assert sent.status_code == 200
    return sent.json()


def _flag(client: TestClient, answer_id: int) -> bool:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return bool(db.scalar(select(Message.stop_requested).where(Message.id == answer_id)))


def test_a_user_cannot_stop_another_users_generation(
    client: TestClient, personas: Personas
) -> None:
    theirs = _pending_answer(client, "agent")
    mine = _pending_answer(client, "bob")
    headers = login_as(client, "bob")
    # bob's own conversation with the agent's answer id: refused, nothing recorded
    url = f"/conversations/{mine['conversation_id']}/reponses/{theirs['answer_id']}/arret"
    assert client.post(url, headers=headers).status_code == 404
    # the agent's conversation: not bob's
    assert client.post(str(theirs["stop_url"]), headers=headers).status_code == 404
    # a user message is not a generation
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        question = db.scalar(
            select(Message.id).where(
                Message.conversation_id == mine["conversation_id"], Message.role == "user"
            )
        )
    url = f"/conversations/{mine['conversation_id']}/reponses/{question}/arret"
    assert client.post(url, headers=headers).status_code == 404
    assert not _flag(client, int(theirs["answer_id"]))  # type: ignore[call-overload]
    # the owner can
    assert client.post(str(mine["stop_url"]), headers=headers).status_code == 204
    assert _flag(client, int(mine["answer_id"]))  # type: ignore[call-overload]


@pytest.mark.model
def test_stop_clicked_on_another_process_stops_the_stream(
    client: TestClient, personas: Personas
) -> None:
    """Two app processes behind a load balancer: the answer streams from the first, the click on
    « Arrêter » reaches the second."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    settings.max_tokens = 200
    with TestClient(create_app(settings)) as other:
        sent = _pending_answer(client, "agent")
        other_headers = login_as(other, "agent")
        tokens = 0
        with client.stream("GET", str(sent["stream_url"])) as resp:
            lines = resp.iter_lines()
            for line in lines:
                if line.startswith("event: token"):
                    tokens += 1
                    if tokens == 3:
                        stop = other.post(str(sent["stop_url"]), headers=other_headers)
                        assert stop.status_code == 204
                if line.startswith("event: done"):
                    final = next(lines)
                    break
        other.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert '"status": "stopped"' in final
    # seen within the polling delay: a few tokens after the click, far from the 200 allowed
    assert tokens < 40
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert answer is not None and answer.status == "stopped" and answer.content


def test_stop_through_redis_when_configured(client: TestClient, personas: Personas) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    sent = _pending_answer(client, "agent")
    answer_id = int(sent["answer_id"])  # type: ignore[call-overload]
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    # a message id of its own, so that parallel test runs sharing this Redis never meet
    key_id = answer_id + uuid.uuid4().int % 10**9 * 1000
    watch = stops.StopWatch(sessions, key_id, redis_url=url)
    assert not asyncio.run(watch.requested())
    with sessions() as db:
        stops.request_stop(db, key_id, redis_url=url)
        db.commit()
    fresh = stops.StopWatch(sessions, key_id, redis_url=url)
    assert asyncio.run(fresh.requested())  # read from Redis (no such row in the database)
    fresh.clear()
    assert not asyncio.run(stops.StopWatch(sessions, key_id, redis_url=url).requested())


def test_stop_reaches_the_stream_while_redis_is_unreachable(
    client: TestClient, personas: Personas
) -> None:
    """Redis restarting (nothing listens on its port): the click is kept on the row and the
    streaming process reads the row instead; nothing raises (the stream would end without its
    answer saved)."""
    pytest.importorskip("redis")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    sent = _pending_answer(client, "agent")
    answer_id = int(sent["answer_id"])  # type: ignore[call-overload]
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    watch = stops.StopWatch(sessions, answer_id, redis_url=url)
    assert not asyncio.run(watch.requested())
    with sessions() as db:
        stops.request_stop(db, answer_id, redis_url=url)
        db.commit()
    watch._next = 0.0  # the next poll is due
    assert asyncio.run(watch.requested())
    watch.clear()


def test_a_database_restarting_does_not_stop_nor_break_the_stream() -> None:
    """Without Redis the row is polled: the database unreachable for a moment reads as « not
    requested » (the next poll looks again) instead of raising into the stream."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/civia")
    watch = stops.StopWatch(sessionmaker(engine), 1)
    assert not asyncio.run(watch.requested())
    engine.dispose()
