"""The demo collectivité: Commune de Démoville, 3 services, one user per role, the local model."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import manage as accounts
from civia.accounts.models import Role, Service, Tenant, User
from civia.providers.model_files import MODEL_ID
from civia.providers.models import HostingClass, Provider

TENANT_SLUG = "demoville"
TENANT_NAME = "Commune de Démoville"
SERVICES = ("Direction générale des services", "Population et citoyenneté", "Urbanisme")
PROFILE = {  # a fictitious commune
    "city": "Démoville",
    "address": "1 place de la Mairie, 99000 Démoville",
    "phone": "01 00 00 00 00",
    "email": "contact@demoville.example",
    "autorite": "Le Maire de la commune de Démoville",
    "signataire": "Le Maire, Jean Exemple",
    "primary_colour": "000091",
    "pii_policy": "pseudonymise",
}
USERS = {  # login (= role) → (display name, service index)
    Role.AGENT: ("Alice Agent", 1),
    Role.REFERENT: ("Romain Référent", 1),
    Role.COMITE: ("Camille Comité", 0),
    Role.DPO: ("Dominique DPO", 0),
    Role.PILOTAGE: ("Paule Pilotage", 0),
    Role.ADMIN: ("Adrien Admin", 0),
}


def demo_password(role: Role) -> str:
    """Documented demo passwords: `<role>-demo-civia` (demo mode only)."""
    return f"{role.value}-demo-civia"


def load(db: Session, data_dir: Path | None = None) -> Tenant:
    """Create the demo collectivité; running it again changes nothing. With `data_dir`, add the
    demo's content too (comité of three, FAQ collection, acts: `civia.demo_content`)."""
    tenant = db.scalar(select(Tenant).where(Tenant.slug == TENANT_SLUG))
    if tenant is None:
        tenant = Tenant(slug=TENANT_SLUG, name=TENANT_NAME)
        db.add(tenant)
        db.flush()
    if not tenant.profile:
        tenant.profile = PROFILE
    services = []
    for name in SERVICES:
        svc = db.scalar(select(Service).where(Service.tenant_id == tenant.id, Service.name == name))
        services.append(svc or accounts.create_service(db, tenant=tenant, name=name))
    for role, (display, svc_index) in USERS.items():
        if db.scalar(select(User).where(User.login == role.value)) is None:
            accounts.create_user(
                db,
                tenant=tenant,
                login=role.value,
                password=demo_password(role),
                role=role.value,
                display_name=display,
                service_id=services[svc_index].id,
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
    if data_dir is not None:
        from civia import demo_content  # the documents and acts areas, only for the full demo

        admin = db.scalar(select(User).where(User.login == Role.ADMIN.value))
        assert admin is not None
        demo_content.load(db, tenant, admin=admin, data_dir=data_dir, service_id=services[0].id)
        db.flush()
    from civia.planning import demo as planning_demo

    planning_demo.load(db, tenant)  # diagnostics, survey and portfolio (synthetic)
    from civia.steering import demo as steering_demo  # clearly synthetic activity for /pilotage

    steering_demo.load(db, tenant.id)
    from civia.mailbox import demo as mailbox_demo

    mailbox_demo.load(db, tenant, services[1])  # Population et citoyenneté
    db.flush()
    if data_dir is not None:
        from civia.citizens import demo as citizens_demo  # public assistant on the FAQ

        admin = db.scalar(select(User).where(User.login == Role.ADMIN.value))
        assert admin is not None
        citizens_demo.load(db, tenant, admin=admin, data_dir=data_dir)
    from civia.posters import demo as posters_demo

    posters_demo.load(db, tenant)  # one event, its poster texts written by the local model
    db.flush()
    from civia.tenants import demo as tenants_demo

    tenants_demo.load(db)  # a second collectivité and the platform operator
    from civia.catalogue import demo as catalogue_demo

    catalogue_demo.load(db, tenant)  # one of Démoville's assistants in the shared catalogue
    return tenant
