"""Which collections a user may read or write. Search takes the readable ids as a filter."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import User
from civia.documents.models import Collection, Scope


def readable_collection_ids(session: Session, user: User) -> list[int]:
    """Personal collections of the user, those of the user's service, those of the tenant."""
    conditions = [
        and_(Collection.scope == Scope.PERSONAL.value, Collection.owner_user_id == user.id),
        Collection.scope == Scope.TENANT.value,
    ]
    if user.service_id is not None:
        conditions.append(
            and_(Collection.scope == Scope.SERVICE.value, Collection.service_id == user.service_id)
        )
    query = (
        select(Collection.id)
        .where(Collection.tenant_id == user.tenant_id, or_(*conditions))
        .order_by(Collection.id)
    )
    return list(session.execute(query).scalars())


def can_write(user: User, collection: Collection) -> bool:
    """Owners write their personal collections; service members theirs; référents and admins
    the collectivité's collections."""
    if collection.tenant_id != user.tenant_id:
        return False
    if collection.scope == Scope.PERSONAL.value:
        return collection.owner_user_id == user.id
    if collection.scope == Scope.SERVICE.value:
        return collection.service_id is not None and collection.service_id == user.service_id
    return user.role in roles.BUILDERS
