from sqlalchemy import select

from civia.chat.models import Conversation, Message
from civia.chat.recovery import recover_interrupted
from tests.conftest import Personas


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
