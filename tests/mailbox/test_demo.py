"""The demo collectivité comes with a paused mailbox and three messages waiting for analysis."""

from __future__ import annotations

from sqlalchemy import func, select

from civia import demo
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.settings import Settings


def test_demo_messages_are_loaded_once(settings: Settings) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    for _ in range(2):
        with session_scope(sessions) as db:
            demo.load(db)
    with session_scope(sessions) as db:
        box = db.scalars(select(Mailbox)).one()
        assert not box.active  # no server is declared in the demo: never fetched
        statuses = db.scalars(select(MailMessage.status)).all()
        assert statuses == [MessageStatus.RECEIVED] * 3
        assert db.scalar(select(func.count()).select_from(MailMessage).where(
            MailMessage.service_id == box.service_id)) == 3  # fmt: skip
    engine.dispose()
