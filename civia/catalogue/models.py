"""The catalogue's one table. An entry is a snapshot of data only (an assistant's spec without
its governed fields and fixed collections, or a grid): no user, conversation, document,
collection, service or provider of the publishing collectivité is stored with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped, utcnow


class CatalogueEntry(Base, Timestamped):
    """One published item. Publishing the same source again replaces the snapshot and bumps
    `version`; withdrawing sets `withdrawn_at` (the row stays, so adopted copies keep a lineage
    that names a real entry)."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "source_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The publishing collectivité: never shown to others unless `publisher_label` is set.
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # entries.KINDS
    source_key: Mapped[str] = mapped_column(String(64))  # the assistant's or grid's slug
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The collectivité's name as it consented to be shown at publication ("" = not named).
    publisher_label: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
