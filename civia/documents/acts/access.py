"""Who may read and manage acts, and the pooling between collectivités.

Acts are public records: every user of the importing tenant reads them, whatever their role
or service. A tenant may share its acts with chosen tenants of the deployment, or with all of
them (a centre de gestion importing its members' open data shares it back). Sharing gives
reading only: search, the act's page, similar acts, drafting from them. Référents and admins
import, re-import and delete their own tenant's acts; admins decide the sharing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select, true
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Tenant, User
from civia.documents.acts.models import Act, ActCorpus, ActShare


@dataclass(frozen=True)
class Scope:
    """What a user may read: tenants whose acts are visible, and their acts collections."""

    tenant_ids: tuple[int, ...]
    collection_ids: tuple[int, ...]


def pooling_on(session: Session, tenant_id: int) -> bool:
    """Whether the collectivité opted in to pooling (its admin's choice, off by default)."""
    return bool(session.scalar(select(Tenant.pooling).where(Tenant.id == tenant_id)))


def readable_tenant_ids(session: Session, user: User) -> list[int]:
    """The user's own tenant first, then the tenants sharing their acts with it. Nothing is
    received unless both collectivités opted in to pooling: no one can push acts into the
    search of a collectivité that did not choose to."""
    if not pooling_on(session, user.tenant_id):
        return [user.tenant_id]
    shared = session.execute(
        select(ActCorpus.tenant_id)
        .join(Tenant, Tenant.id == ActCorpus.tenant_id)
        .outerjoin(
            ActShare,
            (ActShare.owner_tenant_id == ActCorpus.tenant_id)
            & (ActShare.reader_tenant_id == user.tenant_id),
        )
        .where(
            ActCorpus.tenant_id != user.tenant_id,
            Tenant.pooling.is_(True),
            or_(ActCorpus.shared_with_all.is_(True), ActShare.id.is_not(None)),
        )
        .order_by(ActCorpus.tenant_id)
    ).scalars()
    return [user.tenant_id, *dict.fromkeys(shared)]


def scope_for(session: Session, user: User) -> Scope:
    tenants = readable_tenant_ids(session, user)
    collections = session.execute(
        select(ActCorpus.collection_id).where(ActCorpus.tenant_id.in_(tenants))
    ).scalars()
    return Scope(tuple(tenants), tuple(collections))


def readable_act(session: Session, user: User, act_id: int) -> Act | None:
    """The act if the user may read it; None otherwise (the route answers 404 alike)."""
    act = session.get(Act, act_id)
    if act is None or act.tenant_id not in readable_tenant_ids(session, user):
        return None
    return act


def can_manage(user: User, act: Act | None = None) -> bool:
    if user.role not in roles.BUILDERS:
        return False
    return act is None or act.tenant_id == user.tenant_id


@dataclass(frozen=True)
class Sharing:
    shared_with_all: bool
    reader_ids: frozenset[int]
    # The other collectivités that opted in to pooling (id, name); empty while this one has not:
    # no collectivité sees the names of those that did not choose to pool.
    others: list[tuple[int, str]]
    pooling: bool = False


def sharing_of(session: Session, tenant_id: int) -> Sharing:
    corpus = session.get(ActCorpus, tenant_id)
    readers = session.execute(
        select(ActShare.reader_tenant_id).where(ActShare.owner_tenant_id == tenant_id)
    ).scalars()
    pooling = pooling_on(session, tenant_id)
    others = session.execute(
        select(Tenant.id, Tenant.name)
        .where(Tenant.id != tenant_id, Tenant.pooling.is_(True), Tenant.kind != "platform")
        .order_by(Tenant.name)
    ).all()
    return Sharing(
        bool(corpus and corpus.shared_with_all),
        frozenset(readers),
        [(int(i), str(n)) for i, n in others] if pooling else [],
        pooling,
    )


def set_sharing(
    session: Session,
    *,
    corpus: ActCorpus,
    shared_with_all: bool,
    reader_ids: set[int],
    by: User,
) -> Sharing:
    """Replace the tenant's sharing. Unknown tenant ids, and those of collectivités that did
    not opt in to pooling, are ignored; nothing is shared while this one has not opted in."""
    if not pooling_on(session, corpus.tenant_id):
        shared_with_all, reader_ids = False, set()
    valid = set(
        session.execute(
            select(Tenant.id).where(
                Tenant.id.in_(reader_ids),
                Tenant.id != corpus.tenant_id,
                Tenant.pooling.is_(True),
                Tenant.kind != "platform",
            )
        ).scalars()
    )
    corpus.shared_with_all = shared_with_all
    session.execute(
        delete(ActShare).where(
            ActShare.owner_tenant_id == corpus.tenant_id,
            ActShare.reader_tenant_id.not_in(valid) if valid else true(),
        )
    )
    kept = set(
        session.execute(
            select(ActShare.reader_tenant_id).where(ActShare.owner_tenant_id == corpus.tenant_id)
        ).scalars()
    )
    for reader in sorted(valid - kept):
        session.add(
            ActShare(owner_tenant_id=corpus.tenant_id, reader_tenant_id=reader, created_by_id=by.id)
        )
    session.flush()
    return sharing_of(session, corpus.tenant_id)
