"""Which assistants a user may use: built-ins plus the collectivité's published ones."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import AssistantSpec, Sharing, Status


def definition_spec(row: AssistantDefinition) -> AssistantSpec:
    """The stored spec with governed fields taken from the row, never from the spec data."""
    data = {
        k: v
        for k, v in row.spec.items()
        if k not in ("status", "sharing", "sensitivity", "version")
    }
    return AssistantSpec.model_validate(
        {
            **data,
            "id": row.slug,
            "status": row.status,
            "sharing": row.sharing,
            "sensitivity": row.sensitivity,
            "version": row.version,
        }
    )


def _visible(db: Session, user: User) -> list[AssistantDefinition]:
    stmt = select(AssistantDefinition).where(
        AssistantDefinition.tenant_id == user.tenant_id,
        AssistantDefinition.status == Status.PUBLISHED.value,
        or_(
            AssistantDefinition.sharing == Sharing.TENANT.value,
            (AssistantDefinition.sharing == Sharing.SERVICE.value)
            & (AssistantDefinition.owner_service_id == user.service_id),
            (AssistantDefinition.sharing == Sharing.PERSONAL.value)
            & (AssistantDefinition.created_by == user.id),
        ),
    )
    return list(db.scalars(stmt.order_by(AssistantDefinition.slug)))


def available(db: Session, user: User) -> list[AssistantSpec]:
    specs = sorted(builtins().values(), key=lambda s: (s.id != "chat", s.name))
    specs += [definition_spec(row) for row in _visible(db, user)]
    return specs


def find(db: Session, user: User, assistant_id: str) -> AssistantSpec | None:
    if assistant_id in builtins():
        return builtins()[assistant_id]
    return next((s for s in available(db, user) if s.id == assistant_id), None)
