import socket
from datetime import timedelta

from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from civia.chat.models import Conversation, Message
from civia.chat.recovery import STALE_AFTER_S, recover_interrupted, save_partial
from civia.db.base import utcnow
from tests.chat.helpers import done
from tests.conftest import Personas, login_as


def test_answers_left_streaming_are_marked_failed(client, personas: Personas) -> None:
    sessions = client.app.state.sessions
    with sessions() as db:
        conv = Conversation(tenant_id=personas.tenant.id, user_id=personas["agent"].id)
        db.add(conv)
        db.flush()
        db.add_all([
            Message(conversation_id=conv.id, role="user", content="Question"),
            Message(conversation_id=conv.id, role="assistant", content="Début", status="streaming"),
        ])  # fmt: skip
        db.commit()
    assert recover_interrupted(sessions) == 1
    with sessions() as db:
        answer = db.scalar(select(Message).where(Message.role == "assistant"))
        assert (
            answer.status == "error" and "redémarrage" in answer.error and answer.content == "Début"
        )
    assert recover_interrupted(sessions) == 0


def _answer(client, personas: Personas, streamed_at) -> int:
    with client.app.state.sessions() as db:
        conv = Conversation(tenant_id=personas.tenant.id, user_id=personas["agent"].id)
        db.add(conv)
        db.flush()
        answer = Message(conversation_id=conv.id, role="assistant", content="Début",
                         status="streaming", streamed_at=streamed_at)  # fmt: skip
        db.add_all([Message(conversation_id=conv.id, role="user", content="Question"), answer])
        db.commit()
        return answer.id


def test_only_answers_whose_process_went_silent_are_marked(client, personas: Personas) -> None:
    """Another replica starting leaves the answers this one is streaming (saved seconds ago)
    alone; an answer silent past STALE_AFTER_S has lost its process."""
    live = _answer(client, personas, utcnow())
    dead = _answer(client, personas, utcnow() - timedelta(seconds=STALE_AFTER_S + 5))
    assert recover_interrupted(client.app.state.sessions) == 1
    with client.app.state.sessions() as db:
        assert db.get(Message, live).status == "streaming"
        kept = db.get(Message, dead)
        assert kept.status == "error" and kept.content == "Début"


def test_reopening_an_answer_whose_process_died_says_so(client, personas: Personas) -> None:
    """The page reopens the stream of an answer still « streaming »: « busy » while its process
    lives, the interruption (and the text saved) once it went silent, without any restart."""
    live = _answer(client, personas, utcnow())
    dead = _answer(client, personas, utcnow() - timedelta(seconds=STALE_AFTER_S + 5))
    login_as(client, "agent")
    with client.app.state.sessions() as db:
        urls = {
            m.id: f"/conversations/{m.conversation_id}/reponses/{m.id}/flux"
            for m in db.scalars(select(Message).where(Message.id.in_([live, dead])))
        }
    assert done(client, urls[live])["status"] == "busy"
    final = done(client, urls[dead])
    assert final["status"] == "error" and "interrompue" in final["error"]
    assert "Début" in final["html"]


def test_a_partial_save_while_the_database_is_away_is_skipped() -> None:
    """The database restarting during an answer: one 5-second save is missed, the stream goes
    on (it would end in error otherwise)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/civia")
    save_partial(sessionmaker(engine), 1, "Début")
    engine.dispose()
