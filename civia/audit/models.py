"""Audit tables. Entries have no foreign keys on purpose: they outlive the tenants, users and
cases they describe (retention ≥ 6 months, erasure keeps the audit facts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, utcnow

GENESIS = "0" * 64  # prev_hash of the first entry of a chain


class AuditHead(Base):
    """One row per chain (a tenant, or 0 for deployment-wide events): the append lock and the
    last link. Entries up to `base_seq` were removed by the retention sweep; `base_hash` is the
    hash of the last removed one, so the remaining chain still verifies."""

    __tablename__ = "audit_heads"
    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    base_seq: Mapped[int] = mapped_column(Integer, default=0)
    base_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    # Entries from this seq on are HMAC-keyed (version 2); earlier ones are legacy SHA-256
    # entries written before the key existed (migration 0014_security_data).
    keyed_from: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # HMAC over every field above: a base moved (purge) or a head rolled back without the key
    # is detected.
    signature: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_entries_tenant_created", "tenant_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    tenant_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_login: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # 1: legacy SHA-256 with the login in the hashed fields; 2: HMAC, pseudonymous (actor_id
    # only, the login is looked up when shown, so an erased account leaves no login behind).
    hash_version: Mapped[int] = mapped_column(Integer, default=2, server_default="1")
    # A legacy entry whose login was removed by an erasure: the key holder's attestation that
    # the remaining fields are the ones hashed into `hash`.
    redaction_mac: Mapped[str | None] = mapped_column(String(64))
