"""The demo's second collectivité and its platform operator (clearly synthetic).

Passwords follow the demo rule `<login>-demo-civia`: `agent-b`, `admin-b`, `operateur`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import manage as accounts
from civia.accounts.models import Role, Service, Tenant, User
from civia.providers.model_files import MODEL_ID
from civia.providers.models import HostingClass, Provider
from civia.tenants import platform

SLUG = "bourg-temoin"
NAME = "Commune de Bourg-Témoin"
SIRETS = ["21990001200015"]  # fictitious (99 is no French département)


def password(login: str) -> str:
    return f"{login}-demo-civia"


def load(db: Session) -> Tenant:
    """Idempotent: running it again changes nothing."""
    if db.scalar(select(User).where(User.login == "operateur")) is None:
        platform.create_operator(
            db, login="operateur", password=password("operateur"), display_name="Opératrice (démo)"
        )
    tenant = db.scalar(select(Tenant).where(Tenant.slug == SLUG))
    if tenant is None:
        tenant = platform.create_collectivite(db, slug=SLUG, name=NAME, actor=None)
        tenant.sirets = SIRETS
    service = db.scalar(select(Service).where(Service.tenant_id == tenant.id))
    service = service or accounts.create_service(db, tenant=tenant, name="Accueil")
    for login, role in (("agent-b", Role.AGENT), ("admin-b", Role.ADMIN)):
        if db.scalar(select(User).where(User.login == login)) is None:
            accounts.create_user(
                db,
                tenant=tenant,
                login=login,
                password=password(login),
                role=role.value,
                display_name=f"{login} (démo Bourg-Témoin)",
                service_id=service.id,
            )
    if db.scalar(select(Provider).where(Provider.tenant_id == tenant.id)) is None:
        db.add(
            Provider(
                tenant_id=tenant.id,
                name="Modèle local (démo)",
                kind="local_llama",
                hosting_class=HostingClass.LOCAL.value,
                models=[MODEL_ID],
                is_default=True,
            )
        )
    db.flush()
    return tenant
