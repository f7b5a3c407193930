"""Conversation data functions. Every read is scoped to its owner: others get None (→ 404)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.chat.models import Conversation, Message, MessageStatus
from civia.db.base import utcnow
from civia.providers.base import ChatMessage

TITLE_CHARS = 60
HISTORY_CHARS = 12_000  # keeps the prompt inside the small local model's context


def create(db: Session, *, user: User, assistant_id: str) -> Conversation:
    conv = Conversation(tenant_id=user.tenant_id, user_id=user.id, assistant_id=assistant_id)
    db.add(conv)
    db.flush()
    return conv


def get_owned(db: Session, *, user: User, conversation_id: int) -> Conversation | None:
    return db.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id,
            Conversation.user_id == user.id,
            Conversation.tenant_id == user.tenant_id,
        )
    )


def list_for(db: Session, *, user: User, query: str = "", limit: int = 50) -> list[Conversation]:
    stmt = select(Conversation).where(Conversation.user_id == user.id)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        matching = select(Message.conversation_id).where(func.lower(Message.content).like(like))
        stmt = stmt.where(
            or_(func.lower(Conversation.title).like(like), Conversation.id.in_(matching))
        )
    return list(db.scalars(stmt.order_by(Conversation.updated_at.desc()).limit(limit)))


def add_exchange(db: Session, conv: Conversation, content: str) -> tuple[Message, Message]:
    """Save the user's message first (never lost), then a pending answer to stream into."""
    user_msg = Message(conversation_id=conv.id, role="user", content=content)
    answer = Message(conversation_id=conv.id, role="assistant", status=MessageStatus.PENDING)
    db.add_all([user_msg, answer])
    if conv.title == "Nouvelle conversation":
        conv.title = _title(content)
    conv.updated_at = utcnow()
    db.flush()
    return user_msg, answer


def regenerate(db: Session, conv: Conversation) -> Message | None:
    """Replace the last answer with a new pending one; None if there is nothing to answer."""
    messages = list(conv.messages)
    if not messages or all(m.role != "user" for m in messages):
        return None
    if messages[-1].role == "assistant":
        db.delete(messages[-1])
        db.flush()
        db.refresh(conv)
    answer = Message(conversation_id=conv.id, role="assistant", status=MessageStatus.PENDING)
    db.add(answer)
    conv.updated_at = utcnow()
    db.flush()
    return answer


def rename(conv: Conversation, title: str) -> None:
    conv.title = title.strip()[:200] or conv.title


def remove(db: Session, conv: Conversation) -> None:
    db.execute(delete(Message).where(Message.conversation_id == conv.id))
    db.delete(conv)


class Instructed(Protocol):
    """What `history` needs of an assistant (an `AssistantSpec`)."""

    @property
    def instructions(self) -> str: ...


def history(conv: Conversation, assistant: Instructed, *, upto: Message) -> list[ChatMessage]:
    """The prompt for `upto`: system instructions + the most recent turns that fit."""
    turns: list[ChatMessage] = []
    size = 0
    earlier = [m for m in conv.messages if m.id < upto.id and m.content.strip()]
    for m in reversed(earlier):
        if m.role == "assistant" and m.status == MessageStatus.ERROR:
            continue
        size += len(m.content)
        if turns and size > HISTORY_CHARS:
            break
        turns.append(ChatMessage(m.role, m.content))
    return [ChatMessage("system", assistant.instructions), *reversed(turns)]


def _title(content: str) -> str:
    line = " ".join(content.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"
