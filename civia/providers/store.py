"""Provider rows: validated creation and update, shared by the admin UI and the CLI."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from civia.accounts.models import Tenant
from civia.providers import registry, secrets
from civia.providers.models import HostingClass, Provider
from civia.settings import Settings

ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")


class ProviderConfigError(ValueError):
    """French message for the admin."""


def validate(
    *,
    name: str,
    kind: str,
    base_url: str,
    capability: str = "chat",
    api_key_env: str,
    api_key_file: str,
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
    if api_key_env and not ENV_RE.match(api_key_env):
        raise ProviderConfigError(
            "Le nom de variable d'environnement doit être en MAJUSCULES (ex. ALBERT_API_KEY)."
        )
    if api_key_env and api_key_file:
        raise ProviderConfigError(
            "Choisissez une variable d'environnement OU un fichier, pas les deux."
        )
    try:
        secrets.check_key_source(settings, tenant_slug, env=api_key_env, file=api_key_file)
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
        "api_key_env": provider.api_key_env or "",
        "api_key_file": provider.api_key_file or "",
        "hosting_class": provider.hosting_class or HostingClass.LOCAL.value,
        "models": list(provider.models or []),
        "clearance": provider.clearance or "",
    }
    merged.update({k: v for k, v in fields.items() if k in merged})
    tenant = db.get(Tenant, provider.tenant_id)
    validate(**merged, settings=settings, tenant_slug=tenant.slug if tenant else "")
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
    return registry.ProviderConfig(
        id=row.id,
        name=row.name,
        kind=row.kind,
        base_url=row.base_url,
        api_key_env=row.api_key_env,
        api_key_file=row.api_key_file,
        models=tuple(row.models or ()),
        timeout_s=row.timeout_s,
        capability=row.capability or "chat",
        tenant=_tenant_slug(row),
    )


def _tenant_slug(row: Provider) -> str:
    """The collectivité's slug: the operator's key allow-list is per tenant."""
    db = object_session(row)
    tenant = db.get(Tenant, row.tenant_id) if db is not None else None
    return tenant.slug if tenant else ""
