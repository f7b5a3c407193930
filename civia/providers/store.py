"""Provider rows: validated creation and update, shared by the admin UI and the CLI."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select, update
from sqlalchemy.orm import Session

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
    if kind not in registry.provider_kinds():
        raise ProviderConfigError(f"Type de fournisseur inconnu : {kind}.")
    try:
        HostingClass(hosting_class)
    except ValueError:
        raise ProviderConfigError("Classe d'hébergement inconnue.") from None
    if kind != "local_llama":
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
            .where(Provider.tenant_id == provider.tenant_id, Provider.id != provider.id)
            .values(is_default=False)
        )
    return provider


def for_tenant(db: Session, tenant_id: int) -> list[Provider]:
    return list(
        db.scalars(select(Provider).where(Provider.tenant_id == tenant_id).order_by(Provider.id))
    )
