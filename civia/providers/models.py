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


class ProviderCredential(Base, Timestamped):
    """A key source declared by the platform operator: where the server reads an API key (an
    environment variable or a file), the base URLs it may be sent to, and the collectivités
    allowed to use it. An admin picks a credential by its label; the variable or file is never
    shown to them nor typed by them."""

    __tablename__ = "provider_credentials"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    key_env: Mapped[str] = mapped_column(String(100), default="")
    key_file: Mapped[str] = mapped_column(String(500), default="")
    base_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Slugs of the collectivités allowed; empty: every collectivité of the platform.
    tenant_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)


class Provider(Base, Timestamped):
    """A model provider configured by an admin. API keys are never stored: the provider names
    one of the operator's credentials (`ProviderCredential`)."""

    __tablename__ = "providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    base_url: Mapped[str] = mapped_column(String(500), default="")
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider_credentials.id", ondelete="SET NULL")
    )
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
