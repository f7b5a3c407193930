"""Assistant runs (drafts an agent edits, validates and exports), services' own assistants with
their versions, and the shared prompt library."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped, utcnow


class AssistantRun(Base, Timestamped):
    """One use of a form assistant. Inputs are saved before the model is called."""

    __tablename__ = "assistant_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    assistant_id: Mapped[str] = mapped_column(String(100), index=True)
    assistant_version: Mapped[int] = mapped_column(Integer, default=1)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # pending → streaming → draft → validated | error
    error: Mapped[str] = mapped_column(Text, default="")
    raw_output: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    draft: Mapped[str] = mapped_column(Text, default="")
    final_text: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    validated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rating: Mapped[str] = mapped_column(String(20), default="")  # useful | not_useful
    comment: Mapped[str] = mapped_column(Text, default="")
    time_saved_minutes: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # What the run read besides the form: files (name, format, extracted blocks or tables) and
    # the numbered passages of collections, keyed by field name; "sources" lists the passages.
    attachments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Shown beside a usable draft (a cut-off answer, rows left unclassified…), in French.
    warning: Mapped[str] = mapped_column(Text, default="")
    # The background job computing this run (uploaded documents, CSV batches), if any.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))


class AssistantDefinition(Base, Timestamped):
    """An assistant built by a service (no code). The spec is stored as validated JSON."""

    __tablename__ = "assistant_definitions"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    owner_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL")
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    sharing: Mapped[str] = mapped_column(String(20), default="service")
    sensitivity: Mapped[str] = mapped_column(String(20), default="internal")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where a copy adopted from the shared catalogue comes from (French, shown on its pages).
    lineage: Mapped[str] = mapped_column(String(500), default="")


class AssistantVersion(Base, Timestamped):
    __tablename__ = "assistant_versions"
    __table_args__ = (UniqueConstraint("definition_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("assistant_definitions.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")


class SavedPrompt(Base, Timestamped):
    """A prompt an agent keeps and may share, with {{variables}} filled at use."""

    __tablename__ = "saved_prompts"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sharing: Mapped[str] = mapped_column(String(20), default="personal")
