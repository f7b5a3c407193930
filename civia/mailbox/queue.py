"""Who sees which messages: the queue of a service, always within one tenant. Agents see
their service's messages and those not yet routed; admins and référents see every service."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Service, User
from civia.db.base import aware
from civia.documents.acts.text import date_fr
from civia.mailbox.models import MailMessage, MessageStatus
from civia.privacy.routing import TYPE_LABELS

PARIS = ZoneInfo("Europe/Paris")
PII_LABELS = {**TYPE_LABELS, "DATE": "date"}  # SIRET and SIREN read the same in French
ORDER = {
    MessageStatus.TO_REVIEW: 0,
    MessageStatus.FAILED: 1,
    MessageStatus.ANALYSING: 2,
    MessageStatus.RECEIVED: 3,
    MessageStatus.FILED: 4,
    MessageStatus.SET_ASIDE: 5,
}


def sees_all(user: User) -> bool:
    return user.role in roles.BUILDERS


def services(db: Session, user: User) -> list[Service]:
    return list(
        db.scalars(
            select(Service).where(Service.tenant_id == user.tenant_id).order_by(Service.name)
        )
    )


def visible(user: User) -> list[object]:
    """WHERE clauses limiting messages to what `user` may see."""
    clauses: list[object] = [MailMessage.tenant_id == user.tenant_id]
    if not sees_all(user):
        clauses.append(
            or_(MailMessage.service_id == user.service_id, MailMessage.service_id.is_(None))
        )
    return clauses


def list_for(
    db: Session, user: User, *, service_id: int | None, limit: int = 200
) -> list[MailMessage]:
    query = select(MailMessage).where(*visible(user))  # type: ignore[arg-type]
    if service_id is not None:
        query = query.where(MailMessage.service_id == service_id)
    rank = case(ORDER, value=MailMessage.status, else_=9)
    return list(db.scalars(query.order_by(rank, MailMessage.id.desc()).limit(limit)))


def get(db: Session, user: User, message_id: int) -> MailMessage | None:
    return db.scalar(
        select(MailMessage).where(MailMessage.id == message_id, *visible(user))  # type: ignore[arg-type]
    )


def when_fr(value: datetime | None) -> str:
    """« 4 décembre 2026 à 10 h 12 », in French time (stored in UTC)."""
    if value is None:
        return ""
    value = aware(value).astimezone(PARIS)
    return f"{date_fr(value.date())} à {value:%H} h {value:%M}"


def pii_fr(counts: dict[str, int]) -> str:
    """« personne × 1, téléphone × 1 »: the kinds of personal data found, named in French."""
    return ", ".join(f"{PII_LABELS.get(kind, kind)} × {n}" for kind, n in counts.items())
