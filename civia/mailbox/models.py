"""A connected shared mailbox (its IMAP position) and the messages fetched from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class MessageStatus:
    RECEIVED = "recu"  # fetched, waiting for analysis
    ANALYSING = "analyse"  # claimed by a worker
    TO_REVIEW = "a_valider"  # triaged with a draft: an agent reviews it
    FAILED = "erreur"  # analysis failed (French reason in `problem`); can be retried
    FILED = "depose"  # validated reply placed in the mailbox's Drafts folder
    SET_ASIDE = "ecarte"  # an agent decided no reply is needed


STATUS_LABELS = {
    MessageStatus.RECEIVED: "En attente d'analyse",
    MessageStatus.ANALYSING: "Analyse en cours",
    MessageStatus.TO_REVIEW: "À valider",
    MessageStatus.FAILED: "Analyse impossible",
    MessageStatus.FILED: "Réponse déposée dans les brouillons",
    MessageStatus.SET_ASIDE: "Sans réponse",
}


class Mailbox(Base, Timestamped):
    """A mailbox declared by the operator (`key`) and connected by an admin of its tenant."""

    __tablename__ = "mailboxes"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The FAQ collection replies draw on, read with the rights of the admin who connected it.
    faq_collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("doc_collections.id", ondelete="SET NULL")
    )
    connected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_fetch_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")


class MailMessage(Base, Timestamped):
    __tablename__ = "mail_messages"
    __table_args__ = (UniqueConstraint("mailbox_id", "uidvalidity", "uid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    mailbox_id: Mapped[int] = mapped_column(
        ForeignKey("mailboxes.id", ondelete="CASCADE"), index=True
    )
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(Text, default="")
    thread_references: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(Text, default="")  # the address replies go to
    sender_name: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)  # French, about the reading
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.RECEIVED, index=True)
    problem: Mapped[str] = mapped_column(Text, default="")
    pii_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    proposed_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL")
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str] = mapped_column(String(200), default="")
    urgency: Mapped[str] = mapped_column(String(20), default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    draft: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # FAQ extracts
    human_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    analysed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PendingAttachment(Base):
    """A scanned attachment (image-only PDF pages, a photo) waiting for OCR: its bytes are kept
    only from the fetch to the message's analysis, where OCR reads them (too slow for the fetch,
    which « Relever maintenant » runs in a web request); the row is deleted once read."""

    __tablename__ = "mail_pending_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # index in the message's `attachments`
    data: Mapped[bytes] = mapped_column(LargeBinary)
