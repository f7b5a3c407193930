"""Single sign-on accounts: providers declared by the operator, claims mapped to collectivité,
role and service, just-in-time accounts, the pending logins that make a state single-use."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from civia.accounts.manage import AccountError
from civia.accounts.models import ROLE_LABELS, Role, Service, Tenant, User
from civia.accounts.passwords import hash_password
from civia.accounts.tokens import new_secret
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.tenants.models import SsoIdentity, SsoPending, SsoProvider
from civia.tenants.oidc import SsoError, web_address

CLAIM_KEYS = ("login", "email", "name", "role", "service", "tenant", "siret")
DEFAULT_CLAIMS = {"login": "preferred_username", "email": "email", "name": "name"}
PENDING_MINUTES = 10
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

EXPIRED = "Cette demande de connexion a expiré ou a déjà été utilisée : recommencez."
UNKNOWN_SIRET = (
    "Votre établissement (SIRET {siret}) n'est rattaché à aucune collectivité de cette "
    "plateforme. Contactez votre centre de gestion."
)
NO_TENANT = "Votre compte n'est rattaché à aucune collectivité de cette plateforme."
SUSPENDED = (
    "Votre collectivité est suspendue sur cette plateforme : la connexion est impossible. "
    "Contactez votre centre de gestion."
)
DISABLED = "Votre compte est désactivé. Contactez l'administrateur de votre collectivité."


def claim(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`organization.siret`), or None."""
    value: Any = claims
    for part in path.split(".") if path else ():
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def add_provider(
    db: Session,
    *,
    name: str,
    label: str,
    issuer: str,
    client_id: str,
    client_secret_env: str = "",
    scopes: str = "openid email profile",
    claims: dict[str, str] | None = None,
    roles: dict[str, str] | None = None,
    tenant: Tenant | None = None,
) -> SsoProvider:
    if not NAME_RE.match(name):
        raise AccountError("Le nom du fournisseur : 2 à 63 caractères, minuscules, chiffres, -")
    if db.scalar(select(SsoProvider).where(SsoProvider.name == name)):
        raise AccountError(f"Le fournisseur « {name} » existe déjà.")
    if not web_address(issuer):
        raise AccountError("L'émetteur doit être une adresse https://.")
    unknown = set(claims or {}) - set(CLAIM_KEYS)
    if unknown:
        raise AccountError(f"Champs de correspondance inconnus : {', '.join(sorted(unknown))}.")
    valid_roles = {r.value for r in Role}
    for value in (roles or {}).values():
        if value not in valid_roles:
            raise AccountError(
                f"Rôle inconnu : « {value} ». Rôles possibles : "
                f"{', '.join(f'{r.value} ({ROLE_LABELS[r]})' for r in Role)}."
            )
    provider = SsoProvider(
        name=name,
        label=label or name,
        issuer=issuer,
        client_id=client_id,
        client_secret_env=client_secret_env,
        scopes=scopes,
        claims={**DEFAULT_CLAIMS, **(claims or {})},
        roles=roles or {},
        tenant_id=tenant.id if tenant else None,
    )
    db.add(provider)
    db.flush()
    return provider


def providers(db: Session) -> list[SsoProvider]:
    return list(db.scalars(select(SsoProvider).order_by(SsoProvider.label)))


def get_provider(db: Session, name: str) -> SsoProvider | None:
    return db.scalar(select(SsoProvider).where(SsoProvider.name == name))


def remember(
    db: Session, provider: SsoProvider, *, state: str, nonce: str, verifier: str, next_path: str
) -> None:
    db.execute(
        delete(SsoPending).where(
            SsoPending.created_at < utcnow() - timedelta(minutes=PENDING_MINUTES)
        )
    )
    db.add(
        SsoPending(
            state=state,
            provider_id=provider.id,
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path,
        )
    )
    db.flush()


def take(db: Session, provider: SsoProvider, state: str) -> SsoPending:
    """The pending login of this state, deleted at once: a replayed answer finds nothing."""
    pending = db.scalar(
        select(SsoPending).where(SsoPending.state == state, SsoPending.provider_id == provider.id)
    )
    if pending is None:
        raise SsoError(EXPIRED, 400)
    db.delete(pending)
    db.flush()
    created = (
        pending.created_at
        if pending.created_at.tzinfo
        else pending.created_at.replace(tzinfo=utcnow().tzinfo)
    )
    if utcnow() - created > timedelta(minutes=PENDING_MINUTES):
        raise SsoError(EXPIRED, 400)
    return pending


def _tenant(db: Session, provider: SsoProvider, claims: dict[str, Any]) -> Tenant:
    paths = provider.claims
    if paths.get("siret"):
        siret = str(claim(claims, paths["siret"]) or "").replace(" ", "")
        if siret:
            for tenant in db.scalars(select(Tenant).where(Tenant.kind != "platform")):
                if siret in (tenant.sirets or []):
                    return tenant
        raise SsoError(UNKNOWN_SIRET.format(siret=siret or "absent"), 403)
    if paths.get("tenant"):
        slug = str(claim(claims, paths["tenant"]) or "")
        found = db.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.kind != "platform"))
        if found is None:
            raise SsoError(NO_TENANT, 403)
        return found
    if provider.tenant_id is not None:
        found = db.get(Tenant, provider.tenant_id)
        if found is not None:
            return found
    raise SsoError(NO_TENANT, 403)


def _role(provider: SsoProvider, claims: dict[str, Any]) -> str:
    value = claim(claims, provider.claims.get("role", ""))
    values = value if isinstance(value, list) else [value]
    for key, role in provider.roles.items():  # declaration order: list the strongest first
        if key in values:
            return str(role)
    return Role.AGENT.value


def _service(
    db: Session, tenant: Tenant, provider: SsoProvider, claims: dict[str, Any]
) -> int | None:
    name = claim(claims, provider.claims.get("service", ""))
    if not isinstance(name, str) or not name.strip():
        return None
    found = db.scalar(
        select(Service).where(
            Service.tenant_id == tenant.id, func.lower(Service.name) == name.strip().lower()
        )
    )
    return found.id if found else None


def _free_login(db: Session, wanted: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "-", wanted.lower().split("@")[0]).strip("-._")[:56]
    base = base if len(base) >= 2 else "agent"
    login, n = base, 1
    while db.scalar(select(User.id).where(User.login == login)):
        n += 1
        login = f"{base}-{n}"
    return login


def account(db: Session, provider: SsoProvider, claims: dict[str, Any]) -> User:
    """The Civia user of these verified claims: found by (provider, sub), or created just in
    time; role and service follow the provider at every login."""
    tenant = _tenant(db, provider, claims)
    if tenant.status != "active":
        raise SsoError(SUSPENDED, 403)
    role, service_id = _role(provider, claims), _service(db, tenant, provider, claims)
    identity = db.scalar(
        select(SsoIdentity).where(
            SsoIdentity.provider_id == provider.id, SsoIdentity.subject == str(claims["sub"])
        )
    )
    if identity is not None:
        user = db.get(User, identity.user_id)
        if user is None or user.tenant_id != tenant.id:
            raise SsoError(NO_TENANT, 403)
        if not user.active:
            raise SsoError(DISABLED, 403)
        user.role, user.service_id = role, service_id or user.service_id
        return user
    paths = provider.claims
    wanted = str(claim(claims, paths.get("login", "")) or claim(claims, "email") or claims["sub"])
    user = User(
        tenant_id=tenant.id,
        login=_free_login(db, wanted),
        display_name=str(claim(claims, paths.get("name", "")) or wanted)[:200],
        email=str(claim(claims, paths.get("email", "")) or "")[:254],
        role=role,
        service_id=service_id,
        password_hash=hash_password(new_secret()),  # nobody knows it: SSO only
    )
    db.add(user)
    db.flush()
    db.add(SsoIdentity(provider_id=provider.id, subject=str(claims["sub"]), user_id=user.id))
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=None,
        action="user.created",
        target=f"user:{user.id}",
        details={"role": role, "sso": provider.name},
    )
    db.flush()
    return user
