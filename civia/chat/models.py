"""Conversations and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civia.db.base import Base, Timestamped, utcnow


class Conversation(Base, Timestamped):
    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assistant_id: Mapped[str] = mapped_column(String(100), default="chat")
    title: Mapped[str] = mapped_column(String(200), default="Nouvelle conversation")
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="SET NULL"))
    model: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation",
        order_by="Message.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MessageStatus(StrEnum):
    OK = "ok"
    PENDING = "pending"
    STOPPED = "stopped"
    ERROR = "error"


class Message(Base, Timestamped):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.OK.value)
    error: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    # Set by « Arrêter » from any app process; the process streaming the answer polls it
    # (civia.chat.stops).
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # While an answer streams, its process saves the text received and this time every few
    # seconds: any process tells an answer whose process died by its old time
    # (civia.chat.recovery).
    streamed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
