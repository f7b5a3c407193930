"""Users and services of a collectivité: the data functions shared by the admin UI and the CLI.

Validation errors raise `AccountError` with a French message for the user.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.accounts.models import Role, Service, Tenant, User
from civia.accounts.passwords import hash_password, password_problem
from civia.accounts.sessions import close_user_sessions
from civia.audit import journal as audit

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A French message explaining what is wrong with the input."""


def get_tenant(db: Session, slug: str) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise AccountError(f"Collectivité inconnue : {slug}.")
    return tenant


def create_service(db: Session, *, tenant: Tenant, name: str) -> Service:
    name = name.strip()
    if not 2 <= len(name) <= 200:
        raise AccountError("Le nom du service doit faire entre 2 et 200 caractères.")
    exists = db.scalar(
        select(Service).where(
            Service.tenant_id == tenant.id, func.lower(Service.name) == name.lower()
        )
    )
    if exists:
        raise AccountError(f"Le service « {name} » existe déjà.")
    service = Service(tenant_id=tenant.id, name=name)
    db.add(service)
    db.flush()
    return service


def tenant_service(db: Session, tenant_id: int, service_id: int | None) -> Service | None:
    if service_id is None:
        return None
    service = db.get(Service, service_id)
    if service is None or service.tenant_id != tenant_id:
        raise AccountError("Service inconnu.")
    return service


def create_user(
    db: Session,
    *,
    tenant: Tenant,
    login: str,
    password: str,
    role: str = Role.AGENT.value,
    display_name: str = "",
    email: str = "",
    service_id: int | None = None,
    actor: User | None = None,
) -> User:
    login = login.strip().lower()
    if not LOGIN_RE.match(login):
        raise AccountError(
            "L'identifiant doit faire 2 à 64 caractères : lettres minuscules, chiffres, . _ -"
        )
    if db.scalar(select(User).where(User.login == login)):
        raise AccountError(f"L'identifiant « {login} » est déjà pris.")
    if problem := password_problem(password):
        raise AccountError(problem)
    user = User(
        tenant_id=tenant.id,
        login=login,
        display_name=display_name.strip() or login,
        email=email.strip(),
        role=_role(role),
        service_id=tenant_service(db, tenant.id, service_id).id if service_id else None,  # type: ignore[union-attr]
        password_hash=hash_password(password),
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=actor,
        action="user.created",
        target=f"user:{user.id}",
        details={"role": user.role},
    )
    return user


def update_user(
    db: Session,
    user: User,
    *,
    role: str | None = None,
    service_id: int | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    actor: User | None = None,
) -> None:
    if role is not None and role != user.role:
        before, user.role = user.role, _role(role)
        close_user_sessions(db, user.id)  # a role change takes effect at once
        audit.record(
            db,
            tenant_id=user.tenant_id,
            actor=actor,
            action="user.role_changed",
            target=f"user:{user.id}",
            details={"from": before, "to": user.role},
        )
    if service_id is not None:
        svc = tenant_service(db, user.tenant_id, service_id)
        user.service_id = svc.id if svc else None
    if active is not None and active != user.active:
        user.active = active
        if not active:
            close_user_sessions(db, user.id)
            audit.record(
                db,
                tenant_id=user.tenant_id,
                actor=actor,
                action="user.disabled",
                target=f"user:{user.id}",
            )
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()[:200]


def set_password(db: Session, user: User, password: str, actor: User | None = None) -> None:
    """An administrator's (or the CLI's) reset: every session and API token of the user ends."""
    if problem := password_problem(password):
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    close_user_sessions(db, user.id)
    api_tokens.revoke_all(db, user_id=user.id)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=actor,
        action="user.password_reset",
        target=f"user:{user.id}",
    )


def _role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        raise AccountError(f"Rôle inconnu : {role}.") from None
