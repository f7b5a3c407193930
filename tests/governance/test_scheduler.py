"""The app's scheduled retention sweep deletes what is past its retention date."""

from datetime import timedelta

from sqlalchemy import select

from civia.accounts.models import User
from civia.chat.models import Conversation
from civia.db.base import utcnow
from civia.governance import retention
from civia.governance.scheduler import sweep_once
from tests.conftest import Personas


def test_sweep_once_deletes_old_conversations(client, personas: Personas) -> None:
    sessions = client.app.state.sessions
    with sessions() as db:
        admin = db.get(User, personas["admin"].id)
        retention.save_settings(db, actor=admin, values=retention.Retention(conversations_days=365))
        old = Conversation(tenant_id=personas.tenant.id, user_id=personas["agent"].id, title="ancienne",
                           updated_at=utcnow() - timedelta(days=4000))  # fmt: skip
        new = Conversation(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id, title="récente"
        )
        db.add_all([old, new])
        db.commit()
    report = sweep_once(sessions, client.app.state.registries.governance)
    assert report["demoville"].get("conversations") == 1
    with sessions() as db:
        assert [c.title for c in db.scalars(select(Conversation))] == ["récente"]
