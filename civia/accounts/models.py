"""Accounts: collectivités (tenants), their services, users and roles, web sessions, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civia.accounts.roles import ROLE_LABELS, Role
from civia.db.base import Base, Timestamped

__all__ = ["ROLE_LABELS", "ApiToken", "Role", "Service", "Tenant", "User", "WebSession"]


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
    # Pooling by consent: only collectivités that opted in see each other's names, offer and
    # receive shared acts, assistants and grids (an admin's choice, off by default).
    pooling: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
