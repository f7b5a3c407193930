"""What a collectivité's admin may point a provider at: only key sources and addresses the
operator allowed.

A provider's API key is read from an environment variable or a file of the Civia server and
sent as a bearer token to the provider's base URL. Both are chosen in the admin UI, so without
limits a tenant admin could name `CIVIA_DATABASE_URL` or `/etc/shadow` and a server of their
own, and receive the secret. The operator therefore declares the allowed variables and files
(`CIVIA_PROVIDER_KEY_ENVS`, `CIVIA_PROVIDER_KEY_FILES`, optionally per collectivité), and base
URLs that resolve to link-local or cloud metadata addresses are refused unless
`CIVIA_PROVIDER_ALLOW_LINK_LOCAL` is set. Checked when a provider is saved and again before
every call (rows saved before the rule, DNS answers that change).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse

from civia.settings import Settings

# Cloud metadata endpoints outside 169.254.0.0/16 and fe80::/10.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server
    )
)
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.goog"})


class KeySourceRefused(ValueError):
    """French message for the admin."""


def _entries(raw: str, tenant_slug: str) -> list[str]:
    """`NAME, slug:NAME, /path, slug:/path` → the values allowed for this collectivité."""
    out: list[str] = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        scope, sep, value = item.partition(":")
        if sep and not item.startswith("/"):
            if scope.strip() == tenant_slug and value.strip():
                out.append(value.strip())
        else:
            out.append(item)
    return out


def allowed_envs(settings: Settings, tenant_slug: str) -> list[str]:
    return _entries(settings.provider_key_envs, tenant_slug)


def allowed_files(settings: Settings, tenant_slug: str) -> list[str]:
    return _entries(settings.provider_key_files, tenant_slug)


def check_key_source(settings: Settings, tenant_slug: str, *, env: str, file: str) -> None:
    if env and env not in allowed_envs(settings, tenant_slug):
        raise KeySourceRefused(
            f"La variable d'environnement {env} n'est pas autorisée pour les clés de "
            "fournisseur : demandez à l'exploitant du serveur de l'ajouter à "
            "CIVIA_PROVIDER_KEY_ENVS."
        )
    if file and file not in allowed_files(settings, tenant_slug):
        raise KeySourceRefused(
            f"Le fichier {file} n'est pas autorisé pour les clés de fournisseur : demandez "
            "à l'exploitant du serveur de l'ajouter à CIVIA_PROVIDER_KEY_FILES."
        )


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_link_local or address in METADATA_ADDRESSES


def check_base_url(settings: Settings, base_url: str, *, resolve: bool) -> None:
    """Refuse link-local and metadata targets. `resolve=False` checks only literal addresses
    and known names (saving a provider whose host this server cannot resolve yet is allowed;
    the call re-checks with `resolve=True`)."""
    if settings.provider_allow_link_local or not base_url:
        return
    host = (urlparse(base_url).hostname or "").rstrip(".").lower()
    refused = KeySourceRefused(
        "Cette URL de base désigne une adresse locale au lien ou un service de métadonnées "
        "du serveur (169.254.x.x, fe80::, fd00:ec2::254…) : elle est refusée."
    )
    if host in METADATA_HOSTS:
        raise refused
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = []
        if resolve:
            try:
                infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
            except OSError:
                infos = []  # unresolvable: the call itself fails with its own message
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if any(_forbidden(a) for a in addresses):
        raise refused
