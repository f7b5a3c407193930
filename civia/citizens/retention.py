"""Exchanges are deleted once older than the collectivité's retention (hours; 24 by default,
also for a collectivité that turned the assistant off). Their daily counts stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant
from civia.audit import journal as audit
from civia.citizens.models import PublicAssistant, PublicExchange
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.settings import Settings

DEFAULT_HOURS = 24


def purge(db: Session, now: datetime | None = None) -> dict[int, int]:
    """Delete expired exchanges of every collectivité; {tenant id: rows deleted}."""
    now = now or utcnow()
    hours = dict(
        db.execute(select(PublicAssistant.tenant_id, PublicAssistant.retention_hours)).all()
    )
    deleted: dict[int, int] = {}
    for tenant_id in db.scalars(select(Tenant.id)):
        cutoff = now - timedelta(hours=hours.get(tenant_id) or DEFAULT_HOURS)
        result = db.execute(
            delete(PublicExchange).where(
                PublicExchange.tenant_id == tenant_id, PublicExchange.created_at < cutoff
            )
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            deleted[tenant_id] = count
            audit.record(
                db,
                tenant_id=tenant_id,
                actor=None,
                action="citizens.purged",
                details={"exchanges": count},
            )
    return deleted


def purge_all(sessions: sessionmaker[Session], settings: Settings) -> None:
    """The periodic task."""
    with session_scope(sessions) as db:
        purge(db)
