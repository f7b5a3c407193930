"""The public assistant's settings per collectivité, the exchanges kept for a short period
(never linked to a person: no account, no address, the question stored masked) and daily
counts that outlive them (for pilotage: « qualité perçue par les citoyens »)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped, utcnow


class Outcome:
    ANSWERED = "repondu"  # grounded answer with its sources
    NOT_FOUND = "ne_sait_pas"  # nothing in the published documents: « je ne sais pas »
    EXTRACTS = "extraits"  # the model was busy: the best published passages, quoted
    REFUSED = "refuse"  # out of the assistant's role (individual decision, legal advice, hate)
    ERROR = "erreur"  # the model failed: a French message, the path to a human


class PublicAssistant(Base, Timestamped):
    """One per collectivité; off until an admin or a référent turns it on."""

    __tablename__ = "citizen_assistants"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), unique=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(120), default="")
    welcome: Mapped[str] = mapped_column(Text, default="")
    # Collections of the collectivité (scope "tenant") whose documents are public.
    collection_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    retention_hours: Mapped[int] = mapped_column(Integer, default=24)
    colour: Mapped[str] = mapped_column(String(6), default="")  # hex, e.g. 000091
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"))
    embed_origins: Mapped[str] = mapped_column(Text, default="")  # sites allowed to frame it
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PublicExchange(Base, Timestamped):
    """One question and its answer. `token` names it for the visitor (rating, follow-up);
    `conversation` groups the exchanges of one browser tab. Deleted after the retention."""

    __tablename__ = "citizen_exchanges"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    conversation: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(Text, default="")  # personal data already masked
    answer: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30), default="")  # refusal category
    masked: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # counts, never values
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rating: Mapped[str] = mapped_column(String(10), default="")  # "utile" | "inutile"
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)


class CitizenDay(Base):
    """Counts per collectivité and day, kept after the exchanges are gone."""

    __tablename__ = "citizen_days"
    __table_args__ = (UniqueConstraint("tenant_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    not_found: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    useful: Mapped[int] = mapped_column(Integer, default=0)
    not_useful: Mapped[int] = mapped_column(Integer, default=0)
    to_agent: Mapped[int] = mapped_column(Integer, default=0)
