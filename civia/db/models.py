"""Core models: tenants, services, users, sessions, providers, conversations, usage, tokens.

Other areas (documents, meetings, privacy, governance...) declare their own models on the
same `Base` in their own package and import them from `civia.db.registry`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civia.db.base import Base, Timestamped, utcnow


class Role(StrEnum):
    AGENT = "agent"
    REFERENT = "referent"
    COMITE = "comite"
    DPO = "dpo"
    PILOTAGE = "pilotage"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.AGENT: "Agent",
    Role.REFERENT: "Référent IA",
    Role.COMITE: "Comité d'éthique",
    Role.DPO: "Délégué à la protection des données",
    Role.PILOTAGE: "Pilotage (DGS, élus)",
    Role.ADMIN: "Administrateur",
}


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


class Tenant(Base, Timestamped):
    """A collectivité. One deployment may serve several (shared services)."""

    __tablename__ = "tenants"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Letterhead and identity used by documents: city, address, phone, email, autorite,
    # signataire, formule, primary_colour (hex), logo_png_b64. Edited by admins.
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # Shared services (civia.tenants): "collectivite" or the operators' own "platform" tenant;
    # active | suspended | archived; SIRETs for SSO; local passwords may be switched off.
    kind: Mapped[str] = mapped_column(
        String(20), default="collectivite", server_default="collectivite"
    )
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    sirets: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    local_passwords: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Service(Base, Timestamped):
    """A direction or service of a collectivité."""

    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base, Timestamped):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"), index=True
    )
    login: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.AGENT.value)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tenant: Mapped[Tenant] = relationship(lazy="joined")
    service: Mapped[Service | None] = relationship(lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class WebSession(Base, Timestamped):
    """Server-side session: the cookie carries a random id, we store only its hash."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base, Timestamped):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class UsageEvent(Base, Timestamped):
    """One model call. Steering dashboards and quotas read these."""

    __tablename__ = "usage_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(40), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="SET NULL"))
    provider_name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))  # web | api
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    conversation_id: Mapped[int | None] = mapped_column(Integer)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    ttft_ms: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20))  # ok | stopped | error | timeout
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
