"""Model providers configured by an admin, and the hosting classes they belong to."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class HostingClass(StrEnum):
    LOCAL = "local"
    FR_SOVEREIGN = "fr_sovereign"
    EU = "eu"
    OUTSIDE_EU = "outside_eu"


HOSTING_LABELS = {
    HostingClass.LOCAL: "Local (sur ce serveur)",
    HostingClass.FR_SOVEREIGN: "Souverain français",
    HostingClass.EU: "Union européenne",
    HostingClass.OUTSIDE_EU: "Hors Union européenne",
}


class Provider(Base, Timestamped):
    """A model provider configured by an admin. API keys are never stored, only where to read
    them (an environment variable or a file)."""

    __tablename__ = "providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    base_url: Mapped[str] = mapped_column(String(500), default="")
    api_key_env: Mapped[str] = mapped_column(String(100), default="")
    api_key_file: Mapped[str] = mapped_column(String(500), default="")
    hosting_class: Mapped[str] = mapped_column(String(20), default=HostingClass.LOCAL.value)
    # Highest data sensitivity it may receive (public < internal < personal < sensitive);
    # "" = the default of its hosting class (civia.privacy.routing.DEFAULT_CLEARANCE).
    clearance: Mapped[str] = mapped_column(String(20), default="", server_default="")
    models: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    timeout_s: Mapped[float | None] = mapped_column(Float)
    # chat | embeddings | transcription (civia.providers.registry.CAPABILITIES)
    capability: Mapped[str] = mapped_column(String(20), default="chat", server_default="chat")
