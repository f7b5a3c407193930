"""At start-up, answers left "streaming" by a stopped process are marked failed."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from civia.chat.models import Message, MessageStatus
from civia.db.engine import affected, session_scope

log = logging.getLogger("civia.chat")
INTERRUPTED = (
    "La génération a été interrompue par un redémarrage du serveur. Vous pouvez régénérer."
)


def recover_interrupted(sessions: sessionmaker[Session]) -> int:
    try:
        with session_scope(sessions) as db:
            count = affected(
                db.execute(
                    update(Message)
                    .where(Message.status == "streaming")
                    .values(status=MessageStatus.ERROR, error=INTERRUPTED)
                )
            )
    except (OperationalError, ProgrammingError):
        return 0  # database not migrated yet: `civia db upgrade` comes first
    if count:
        log.warning("marked %d interrupted answers as failed", count)
    return count
