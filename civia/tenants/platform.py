"""The platform operator's data functions: collectivités' lifecycle, their admins, figures.

The operator belongs to the hidden `platform` tenant; what they see of a collectivité is its
name, status and counts, never its content. Errors raise `AccountError` with a French message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from civia.accounts.manage import AccountError, create_user
from civia.accounts.models import Role, Tenant, User, WebSession
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.usage.models import Quota, UsageEvent

PLATFORM_SLUG = "plateforme"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
STATUSES = {"active": "Active", "suspended": "Suspendue", "archived": "Archivée"}
SUSPENDED_FR = (
    "Votre collectivité est suspendue sur cette plateforme : la connexion est impossible. "
    "Contactez votre centre de gestion."
)


def is_operator(user: User) -> bool:
    return user.tenant.kind == "platform"


def platform_tenant(db: Session) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.kind == "platform"))
    if tenant is None:
        tenant = Tenant(slug=PLATFORM_SLUG, name="Plateforme mutualisée", kind="platform")
        db.add(tenant)
        db.flush()
    return tenant


def create_operator(db: Session, *, login: str, password: str, display_name: str = "") -> User:
    # Least privilege inside the platform tenant: the operator's powers come from the tenant.
    return create_user(
        db,
        tenant=platform_tenant(db),
        login=login,
        password=password,
        role=Role.AGENT.value,
        display_name=display_name,
    )


def collectivites(db: Session) -> list[Tenant]:
    return list(db.scalars(select(Tenant).where(Tenant.kind != "platform").order_by(Tenant.name)))


def get_collectivite(db: Session, slug: str) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.kind != "platform"))
    if tenant is None:
        raise AccountError(f"Collectivité inconnue : {slug}.")
    return tenant


def create_collectivite(db: Session, *, slug: str, name: str, actor: User | None) -> Tenant:
    slug, name = slug.strip().lower(), name.strip()
    if not SLUG_RE.match(slug):
        raise AccountError(
            "L'identifiant court doit faire 2 à 63 caractères : lettres minuscules, chiffres, -"
        )
    if not 2 <= len(name) <= 200:
        raise AccountError("Le nom doit faire entre 2 et 200 caractères.")
    if db.scalar(select(Tenant).where(Tenant.slug == slug)):
        raise AccountError(f"L'identifiant « {slug} » est déjà pris.")
    tenant = Tenant(slug=slug, name=name)
    db.add(tenant)
    db.flush()
    _audit(db, actor, tenant, "tenant.created")
    return tenant


def set_status(db: Session, tenant: Tenant, status: str, *, actor: User | None) -> None:
    """Suspend, archive or reactivate; leaving `active` closes every session of its users."""
    if status not in STATUSES:
        raise AccountError(f"Statut inconnu : {status}.")
    if tenant.kind == "platform":
        raise AccountError("La plateforme elle-même ne peut pas changer de statut.")
    tenant.status = status
    if status != "active":
        users = select(User.id).where(User.tenant_id == tenant.id)
        db.execute(delete(WebSession).where(WebSession.user_id.in_(users)))
    actions = {"active": "tenant.active", "suspended": "tenant.suspended"}
    _audit(db, actor, tenant, actions.get(status, "tenant.archived"))


def set_sirets(db: Session, tenant: Tenant, sirets: list[str], *, actor: User | None) -> None:
    cleaned = sorted({s.replace(" ", "") for s in sirets if s.strip()})
    for siret in cleaned:
        if not (siret.isdigit() and len(siret) == 14):
            raise AccountError(f"SIRET invalide : « {siret} » (14 chiffres attendus).")
    tenant.sirets = cleaned
    _audit(db, actor, tenant, "tenant.sirets")


def set_local_passwords(db: Session, tenant: Tenant, enabled: bool, *, actor: User | None) -> None:
    """Off: the collectivité's users sign in through single sign-on only."""
    tenant.local_passwords = enabled
    _audit(db, actor, tenant, "tenant.passwords_on" if enabled else "tenant.passwords_off")


def appoint_admin(
    db: Session,
    *,
    tenant: Tenant,
    login: str,
    password: str = "",
    display_name: str = "",
    email: str = "",
    actor: User | None,
) -> User:
    """Make an existing user of the collectivité its admin, or create the admin account."""
    existing = db.scalar(select(User).where(User.login == login.strip().lower()))
    if existing is not None:
        if existing.tenant_id != tenant.id:
            raise AccountError(f"L'identifiant « {existing.login} » est déjà pris.")
        existing.role = Role.ADMIN.value
        user = existing
    else:
        user = create_user(
            db,
            tenant=tenant,
            login=login,
            password=password,
            role=Role.ADMIN.value,
            display_name=display_name,
            email=email,
        )
    _audit(db, actor, tenant, "tenant.admin_appointed", target=f"user:{user.id}")
    return user


@dataclass(frozen=True)
class Consumption:
    """Figures only: what the operator may know of a collectivité."""

    tenant: Tenant
    users: int
    calls: int
    tokens: int


def consumption(db: Session, *, days: int = 30) -> list[Consumption]:
    since = utcnow() - timedelta(days=days)
    users = dict(
        db.execute(select(User.tenant_id, func.count(User.id)).group_by(User.tenant_id)).all()
    )
    usage = {
        row[0]: (row[1], row[2] or 0)
        for row in db.execute(
            select(
                UsageEvent.tenant_id,
                func.count(UsageEvent.id),
                func.sum(UsageEvent.prompt_tokens + UsageEvent.completion_tokens),
            )
            .where(UsageEvent.created_at >= since)
            .group_by(UsageEvent.tenant_id)
        ).all()
    }
    return [Consumption(t, users.get(t.id, 0), *usage.get(t.id, (0, 0))) for t in collectivites(db)]


def _audit(db: Session, actor: User | None, tenant: Tenant, action: str, target: str = "") -> None:
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=actor,
        action=action,
        target=target or f"tenant:{tenant.id}",
    )


def envelopes(db: Session) -> dict[int, Quota]:
    """Each collectivité's own quota (the envelope of its services and users), by tenant id."""
    rows = db.scalars(select(Quota).where(Quota.service_id.is_(None), Quota.user_id.is_(None)))
    return {row.tenant_id: row for row in rows}
