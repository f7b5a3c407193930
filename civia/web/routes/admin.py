"""Administration (role admin): users, services and model providers of the admin's tenant."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts import manage as accounts
from civia.accounts.models import Service, Tenant, User
from civia.audit import journal as audit
from civia.documents import jobs as doc_jobs
from civia.privacy.routing import LEVEL_LABELS, LEVELS, POLICIES
from civia.providers import credentials, probe, registry, resolve, store
from civia.providers.models import Provider, ProviderCredential
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin")
Text = Annotated[str, Form(max_length=500)]


def _back(path: str, message: str) -> Response:
    return RedirectResponse(f"{path}?ok={message}", status_code=303)


def _services(db: Db, admin: User) -> list[Service]:
    return list(
        db.scalars(
            select(Service).where(Service.tenant_id == admin.tenant_id).order_by(Service.name)
        )
    )


def _user_of_tenant(db: Db, admin: User, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.tenant_id != admin.tenant_id:
        raise HTTPException(404, "Utilisateur introuvable.")
    return user


@router.get("/utilisateurs")
def users_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    return _users(request, db, admin, ok=ok)


def _users(
    request: Request,
    db: Db,
    admin: User,
    ok: str = "",
    error: str = "",
    typed: dict[str, object] | None = None,
) -> Response:
    """`typed`: the new account's form as sent (never its password), shown again on error."""
    users = db.scalars(
        select(User).where(User.tenant_id == admin.tenant_id).order_by(User.login)
    ).all()
    return render(
        request,
        "admin/users.html",
        status_code=422 if error else 200,
        users=users,
        services=_services(db, admin),
        typed=typed or {},
        ok=ok,
        error=error,
    )


@router.post("/utilisateurs")
def create_user(
    request: Request,
    db: Db,
    admin: AdminUser,
    login: Text,
    password: Text,
    role: Text,
    display_name: Text = "",
    email: Text = "",
    service_id: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        accounts.create_user(
            db,
            tenant=admin.tenant,
            login=login,
            password=password,
            role=role,
            display_name=display_name,
            email=email,
            service_id=service_id,
            actor=admin,
        )
    except accounts.AccountError as exc:
        db.rollback()
        typed = {"login": login, "display_name": display_name, "email": email, "role": role}
        return _users(request, db, admin, error=str(exc), typed={**typed, "service": service_id})
    return _back("/admin/utilisateurs", "Utilisateur créé.")


@router.post("/utilisateurs/{user_id}")
def update_user(
    request: Request,
    db: Db,
    admin: AdminUser,
    user_id: int,
    role: Text,
    service_id: Annotated[int | None, Form()] = None,
    active: Annotated[bool, Form()] = False,
    password: Text = "",
) -> Response:
    user = _user_of_tenant(db, admin, user_id)
    if user.id == admin.id and (role != user.role or not active):
        return _users(
            request,
            db,
            admin,
            error="Vous ne pouvez pas retirer vos propres droits d'administrateur.",
        )
    try:
        accounts.update_user(db, user, role=role, service_id=service_id, active=active, actor=admin)
        if password:
            accounts.set_password(db, user, password, actor=admin)
    except accounts.AccountError as exc:
        db.rollback()
        return _users(request, db, admin, error=str(exc))
    return _back("/admin/utilisateurs", f"Compte {user.login} mis à jour.")


@router.get("/services")
def services_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    return _services_page(request, db, admin, ok=ok)


def _services_page(
    request: Request, db: Db, admin: User, ok: str = "", error: str = ""
) -> Response:
    services = _services(db, admin)
    status = 422 if error else 200
    return render(request, "admin/services.html", status, services=services, ok=ok, error=error)


@router.post("/services")
def create_service(request: Request, db: Db, admin: AdminUser, name: Text) -> Response:
    try:
        accounts.create_service(db, tenant=admin.tenant, name=name)
    except accounts.AccountError as exc:
        db.rollback()
        return _services_page(request, db, admin, error=str(exc))
    return _back("/admin/services", "Service créé.")


@router.get("/fournisseurs")
def providers_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    return _providers_page(request, db, admin, ok=ok)


def _providers_page(
    request: Request, db: Db, admin: User, ok: str = "", error: str = "", **tested: object
) -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    return render(
        request,
        "admin/providers.html",
        422 if error else 200,
        providers=store.for_tenant(db, admin.tenant_id),
        credentials=credentials.available(db, tenant.slug),
        capabilities=[
            (cap, registry.CAPABILITY_LABELS[cap], registry.provider_kinds(cap))
            for cap in registry.CAPABILITIES
        ],
        levels=[(lvl, LEVEL_LABELS[lvl]) for lvl in LEVELS],
        policy=(tenant.profile or {}).get("pii_policy", "pseudonymise"),
        ok=ok,
        error=error,
        **tested,
    )


@router.post("/fournisseurs/tester")
def test_provider(
    request: Request,
    db: Db,
    admin: AdminUser,
    name: Text,
    kind: Text,
    hosting_class: Text,
    provider_id: Annotated[int | None, Form()] = None,
    base_url: Text = "",
    credential_id: Text = "",
    models: Annotated[str, Form(max_length=5000)] = "",
    enabled: Annotated[bool, Form()] = False,
    is_default: Annotated[bool, Form()] = False,
    clearance: Text = "",
    capability: Text = "chat",
) -> Response:
    """« Tester la connexion »: call the provider with what the form holds, save nothing, and
    show the form again as typed with the result beside it."""
    if provider_id is not None:
        found = db.get(Provider, provider_id)
        if found is None or found.tenant_id != admin.tenant_id:
            raise HTTPException(404, "Fournisseur introuvable.")
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    settings = request.app.state.settings
    chosen = int(credential_id) if credential_id.isdigit() else None
    credential = db.get(ProviderCredential, chosen) if chosen is not None else None
    typed = SimpleNamespace(
        id=provider_id, name=name.strip(), kind=kind, base_url=base_url.strip(),
        credential_id=chosen, models=store.parse_models(models), hosting_class=hosting_class,
        clearance=clearance, enabled=enabled, is_default=is_default,
    )  # fmt: skip
    try:
        if chosen is not None and credential is None:
            raise store.ProviderConfigError(
                "Clé d'accès inconnue : choisissez-en une dans la liste."
            )
        store.validate(
            name=typed.name, kind=kind, base_url=typed.base_url, capability=capability,
            credential=credential, hosting_class=hosting_class, models=typed.models,
            clearance=clearance, settings=settings, tenant_slug=tenant.slug,
        )  # fmt: skip
        config = registry.ProviderConfig(
            id=provider_id, name=typed.name, kind=kind, base_url=typed.base_url,
            api_key_env=credential.key_env if credential else "",
            api_key_file=credential.key_file if credential else "",
            models=tuple(typed.models), capability=capability, tenant=tenant.slug,
        )  # fmt: skip
        result = probe.probe(config, settings)
    except store.ProviderConfigError as exc:
        result = probe.Probe(False, str(exc))
    target = str(provider_id) if provider_id is not None else f"new-{capability}"
    return _providers_page(request, db, admin, probe=result, probe_target=target, typed=typed)


@router.post("/fournisseurs")
def save_provider(
    request: Request,
    db: Db,
    admin: AdminUser,
    name: Text,
    kind: Text,
    hosting_class: Text,
    provider_id: Annotated[int | None, Form()] = None,
    base_url: Text = "",
    credential_id: Text = "",
    models: Annotated[str, Form(max_length=5000)] = "",
    enabled: Annotated[bool, Form()] = False,
    is_default: Annotated[bool, Form()] = False,
    clearance: Text = "",
    capability: Text = "chat",
) -> Response:
    if provider_id is None:
        provider = Provider(tenant_id=admin.tenant_id)
    else:
        found = db.get(Provider, provider_id)
        if found is None or found.tenant_id != admin.tenant_id:
            raise HTTPException(404, "Fournisseur introuvable.")
        provider = found
    embedder_before = resolve.embedder_for(db, admin.tenant_id).name
    try:
        store.save(
            db,
            provider,
            settings=request.app.state.settings,
            name=name.strip(),
            kind=kind,
            capability=capability,
            base_url=base_url.strip(),
            credential_id=int(credential_id) if credential_id.isdigit() else None,
            hosting_class=hosting_class,
            models=store.parse_models(models),
            enabled=enabled,
            is_default=is_default,
            clearance=clearance,
        )
    except store.ProviderConfigError as exc:
        db.rollback()
        return _providers_page(request, db, admin, error=str(exc))
    audit.record(
        db,
        tenant_id=admin.tenant_id,
        actor=admin,
        action="provider.saved",
        target=f"provider:{provider.id}",
        details={
            "name": provider.name,
            "kind": provider.kind,
            "capability": provider.capability,
            "hosting_class": provider.hosting_class,
            "clearance": provider.clearance,
            "enabled": provider.enabled,
            "is_default": provider.is_default,
        },
    )
    reindexing = doc_jobs.reindex_on_embedder_change(
        db, tenant_id=admin.tenant_id, before=embedder_before, user=admin
    )
    message = f"Fournisseur « {provider.name} » enregistré."
    if reindexing:
        message += (
            f" Le modèle d'embeddings a changé : {len(reindexing)} collection(s) en cours de "
            "réindexation (la recherche par le sens revient passage par passage)."
        )
    return _back("/admin/fournisseurs", message)


@router.post("/politique-donnees")
def data_policy(request: Request, db: Db, admin: AdminUser, policy: Text) -> Response:
    if policy not in POLICIES:
        return _providers_page(request, db, admin, error="Politique inconnue.")
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    before = (tenant.profile or {}).get("pii_policy", "pseudonymise")
    tenant.profile = {**(tenant.profile or {}), "pii_policy": policy}
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="policy.changed",
        target="pii_policy",
        details={"from": before, "to": policy},
    )
    label = "pseudonymiser" if policy == "pseudonymise" else "refuser"
    return _back("/admin/fournisseurs", f"Politique enregistrée : {label}.")
