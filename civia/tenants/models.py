"""Models of shared services: OpenID Connect providers, linked identities, quotas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class SsoProvider(Base, Timestamped):
    """An OpenID provider declared by the operator (ProConnect, Keycloak, Entra ID…)."""

    __tablename__ = "sso_providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # in URLs: /sso/<name>/...
    label: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    # The secret is never stored: the name of an environment variable of the server.
    client_secret_env: Mapped[str] = mapped_column(String(100), default="")
    scopes: Mapped[str] = mapped_column(String(300), default="openid email profile")
    # Claim paths (dotted, for nested claims): login, email, name, role, service, tenant, siret.
    claims: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Claim value → Civia role (e.g. {"civia-admins": "admin"}); unmapped → agent.
    roles: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Tenant when no tenant or SIRET claim is mapped (a collectivité's own Keycloak).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))


class SsoIdentity(Base, Timestamped):
    """A user's account at a provider (issuer `sub`), linked to a Civia user at first login."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("sso_providers.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class SsoPending(Base, Timestamped):
    """A login started at a provider: deleted when its answer comes back, so a replayed answer
    finds nothing."""

    __tablename__ = "sso_pending"
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(64))
    code_verifier: Mapped[str] = mapped_column(String(128))
    next_path: Mapped[str] = mapped_column(String(500), default="/")
