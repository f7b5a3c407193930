"""Provider credentials declared by the platform operator.

A provider's API key is read from an environment variable or a file of the Civia server and
sent as a bearer token to the provider's base URL. Left to a collectivité's admin, both choices
would let them name `CIVIA_DATABASE_URL` or `/etc/shadow` and a server of their own, and receive
the secret. So the operator declares each credential (`civia platform credentials add`, or the
operator's pages): its key source, the base URLs it may be sent to, the collectivités that may
use it. An admin picks a credential by its label, and a base URL among the credential's; both
are checked again before every call (a credential withdrawn from a collectivité stops working).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.providers.models import Provider, ProviderCredential
from civia.providers.secrets import KeySourceRefused

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def allows(credential: ProviderCredential, tenant_slug: str) -> bool:
    return not credential.tenant_slugs or tenant_slug in credential.tenant_slugs


def available(db: Session, tenant_slug: str) -> list[ProviderCredential]:
    """The credentials a collectivité's admin may choose, by label."""
    rows = db.scalars(select(ProviderCredential).order_by(ProviderCredential.label))
    return [c for c in rows if allows(c, tenant_slug)]


def check(credential: ProviderCredential | None, tenant_slug: str, base_url: str) -> None:
    """Raise `KeySourceRefused` (French) when this collectivité may not send this credential's
    key to this base URL."""
    if credential is None:
        raise KeySourceRefused(
            "Cette clé d'accès n'existe plus : choisissez-en une autre parmi celles que "
            "la plateforme propose."
        )
    if not allows(credential, tenant_slug):
        raise KeySourceRefused(
            f"La clé d'accès « {credential.label} » n'est pas ouverte à votre collectivité : "
            "choisissez-en une autre ou demandez-la à l'opérateur de la plateforme."
        )
    if credential.base_urls and normalise_url(base_url) not in {
        normalise_url(u) for u in credential.base_urls
    }:
        raise KeySourceRefused(
            f"La clé d'accès « {credential.label} » ne peut être envoyée qu'à : "
            + ", ".join(credential.base_urls)
            + "."
        )


def declare(
    db: Session,
    *,
    name: str,
    label: str,
    key_env: str = "",
    key_file: str = "",
    base_urls: list[str],
    tenant_slugs: list[str],
) -> ProviderCredential:
    """Create or replace the credential called `name` (operator only)."""
    name, label, key_env, key_file = (
        name.strip().lower(),
        label.strip(),
        key_env.strip(),
        key_file.strip(),
    )
    if not NAME_RE.match(name):
        raise KeySourceRefused(
            "L'identifiant de la clé doit faire 2 à 64 caractères : minuscules, chiffres, -"
        )
    if not 2 <= len(label) <= 200:
        raise KeySourceRefused("Le libellé doit faire entre 2 et 200 caractères.")
    if bool(key_env) == bool(key_file):
        raise KeySourceRefused(
            "Indiquez une variable d'environnement OU un fichier contenant la clé."
        )
    if key_env and not ENV_RE.match(key_env):
        raise KeySourceRefused(
            "Le nom de variable d'environnement doit être en MAJUSCULES (ex. ALBERT_API_KEY)."
        )
    if key_file and not key_file.startswith("/"):
        raise KeySourceRefused("Le fichier de la clé doit être un chemin absolu.")
    urls = [normalise_url(u) for u in base_urls if u.strip()]
    if not urls:
        raise KeySourceRefused("Indiquez au moins une URL de base vers laquelle envoyer la clé.")
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise KeySourceRefused(f"URL de base invalide : {url}")
    row = db.scalar(select(ProviderCredential).where(ProviderCredential.name == name))
    if row is None:
        row = ProviderCredential(name=name)
        db.add(row)
    row.label, row.key_env, row.key_file = label, key_env, key_file
    row.base_urls = urls
    row.tenant_slugs = sorted({s.strip().lower() for s in tenant_slugs if s.strip()})
    db.flush()
    return row


def remove(db: Session, name: str) -> bool:
    row = db.scalar(select(ProviderCredential).where(ProviderCredential.name == name))
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def all_credentials(db: Session) -> list[ProviderCredential]:
    return list(db.scalars(select(ProviderCredential).order_by(ProviderCredential.name)))


def users_of(db: Session, credential: ProviderCredential) -> int:
    """How many providers use it (the operator sees counts, not the collectivités' settings)."""
    return len(db.scalars(select(Provider.id).where(Provider.credential_id == credential.id)).all())
