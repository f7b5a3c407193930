"""Provider rows: validated creation and update, shared by the admin UI and the CLI."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from civia.accounts.models import Tenant
from civia.providers import credentials, registry, secrets
from civia.providers.models import HostingClass, Provider, ProviderCredential
from civia.settings import Settings


class ProviderConfigError(ValueError):
    """French message for the admin."""


def validate(
    *,
    name: str,
    kind: str,
    base_url: str,
    capability: str = "chat",
    credential: ProviderCredential | None,
    hosting_class: str,
    models: list[str],
    clearance: str = "",
    settings: Settings,
    tenant_slug: str,
) -> None:
    if not 2 <= len(name.strip()) <= 100:
        raise ProviderConfigError("Le nom doit faire entre 2 et 100 caractères.")
    if capability not in registry.CAPABILITIES:
        raise ProviderConfigError("Usage du fournisseur inconnu.")
    if registry.kind_info(capability, kind) is None:
        usage = registry.CAPABILITY_LABELS[capability]
        raise ProviderConfigError(f"Type de fournisseur inconnu pour « {usage} » : {kind}.")
    try:
        HostingClass(hosting_class)
    except ValueError:
        raise ProviderConfigError("Classe d'hébergement inconnue.") from None
    if not registry.in_process(capability, kind):
        parsed = urlparse(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ProviderConfigError(
                "L'URL de base doit commencer par http:// ou https:// (ex. https://albert.api.etalab.gouv.fr/v1)."
            )
        if not models:
            raise ProviderConfigError("Indiquez au moins un modèle servi par ce fournisseur.")
    try:
        if credential is not None:
            credentials.check(credential, tenant_slug, base_url)
        if kind != "local_llama":
            secrets.check_base_url(settings, base_url, resolve=False)
    except secrets.KeySourceRefused as exc:
        raise ProviderConfigError(str(exc)) from None
    if clearance and clearance not in ("public", "internal", "personal", "sensitive"):
        raise ProviderConfigError("Niveau de données autorisé inconnu.")
    if any(not m or len(m) > 200 or any(c.isspace() for c in m) for m in models):
        raise ProviderConfigError("Chaque modèle doit être un identifiant sans espace.")


def parse_models(text: str) -> list[str]:
    return [m.strip() for m in re.split(r"[,\n]", text) if m.strip()]


def save(db: Session, provider: Provider, *, settings: Settings, **fields: object) -> Provider:
    merged: dict[str, Any] = {
        "name": provider.name or "",
        "kind": provider.kind or "",
        "capability": provider.capability or "chat",
        "base_url": provider.base_url or "",
        "credential_id": provider.credential_id,
        "hosting_class": provider.hosting_class or HostingClass.LOCAL.value,
        "models": list(provider.models or []),
        "clearance": provider.clearance or "",
    }
    merged.update({k: v for k, v in fields.items() if k in merged})
    tenant = db.get(Tenant, provider.tenant_id)
    credential_id = merged.pop("credential_id")
    credential = db.get(ProviderCredential, credential_id) if credential_id else None
    if credential_id and credential is None:
        raise ProviderConfigError("Clé d'accès inconnue : choisissez-en une dans la liste.")
    validate(
        **merged,
        credential=credential,
        settings=settings,
        tenant_slug=tenant.slug if tenant else "",
    )
    for key, value in fields.items():
        setattr(provider, key, value)
    if provider.id is None:
        db.add(provider)
    db.flush()
    if provider.is_default:
        db.execute(
            update(Provider)
            .where(
                Provider.tenant_id == provider.tenant_id,
                Provider.capability == provider.capability,
                Provider.id != provider.id,
            )
            .values(is_default=False)
        )
    return provider


def for_tenant(db: Session, tenant_id: int, capability: str | None = None) -> list[Provider]:
    query = select(Provider).where(Provider.tenant_id == tenant_id).order_by(Provider.id)
    if capability is not None:
        query = query.where(Provider.capability == capability)
    return list(db.scalars(query))


def default_for(db: Session, tenant_id: int, capability: str) -> Provider | None:
    """The enabled provider an admin chose for a capability: the default one, else the first."""
    return db.scalars(
        select(Provider)
        .where(
            Provider.tenant_id == tenant_id,
            Provider.capability == capability,
            Provider.enabled.is_(True),
        )
        .order_by(Provider.is_default.desc(), Provider.id)
        .limit(1)
    ).first()


def config_of(row: Provider) -> registry.ProviderConfig:
    """The call's configuration; the key source comes from the operator's credential, checked
    again now (a credential withdrawn from this collectivité or URL refuses the call)."""
    db = object_session(row)
    tenant = db.get(Tenant, row.tenant_id) if db is not None else None
    slug = tenant.slug if tenant else ""
    env = file = refused = ""
    if row.credential_id is not None:
        credential = db.get(ProviderCredential, row.credential_id) if db is not None else None
        try:
            credentials.check(credential, slug, row.base_url)
        except secrets.KeySourceRefused as exc:
            refused = str(exc)
        else:
            assert credential is not None
            env, file = credential.key_env, credential.key_file
    return registry.ProviderConfig(
        id=row.id,
        name=row.name,
        kind=row.kind,
        base_url=row.base_url,
        api_key_env=env,
        api_key_file=file,
        models=tuple(row.models or ()),
        timeout_s=row.timeout_s,
        capability=row.capability or "chat",
        tenant=slug,
        key_refused=refused,
    )
