"""Answers left "streaming" by a process that stopped or died are marked failed, with the text
received so far. The streaming process saves that text and the time every `SAVE_EVERY_S`
(`save_partial`), so an answer silent for `STALE_AFTER_S` has lost its process: marked at
start-up, or when it is reopened; answers other replicas are streaming are left alone."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from civia.chat.models import Message, MessageStatus
from civia.db.base import utcnow
from civia.db.engine import affected, session_scope

log = logging.getLogger("civia.chat")
INTERRUPTED = (
    "La génération a été interrompue par un redémarrage du serveur. Vous pouvez régénérer."
)
SAVE_EVERY_S = 5.0
STALE_AFTER_S = 30.0


def save_partial(sessions: sessionmaker[Session], message_id: int, text: str) -> None:
    """The streaming process's news: the text so far, and that it is alive. The database
    restarting costs one save, not the stream."""
    try:
        with session_scope(sessions) as db:
            db.execute(
                update(Message)
                .where(Message.id == message_id, Message.status == "streaming")
                .values(content=text, streamed_at=utcnow())
            )
    except SQLAlchemyError as exc:
        log.warning("partial answer not saved: %s", type(exc).__name__)


def mark_interrupted(db: Session, message_id: int | None = None) -> int:
    """Mark failed the streaming answers (or this one) silent for STALE_AFTER_S."""
    cutoff = utcnow() - timedelta(seconds=STALE_AFTER_S)
    query = update(Message).where(
        Message.status == "streaming",
        or_(Message.streamed_at.is_(None), Message.streamed_at < cutoff),
    )
    if message_id is not None:
        query = query.where(Message.id == message_id)
    query = query.values(status=MessageStatus.ERROR, error=INTERRUPTED)
    # Not evaluated on loaded rows (SQLite gives naive times): the caller refreshes its own.
    return affected(db.execute(query.execution_options(synchronize_session=False)))


def recover_interrupted(sessions: sessionmaker[Session]) -> int:
    try:
        with session_scope(sessions) as db:
            count = mark_interrupted(db)
    except (OperationalError, ProgrammingError):
        return 0  # database not migrated yet: `civia db upgrade` comes first
    if count:
        log.warning("marked %d interrupted answers as failed", count)
    return count
