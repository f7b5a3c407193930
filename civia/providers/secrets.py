"""Where a provider's key may be sent: base URLs resolving to link-local or cloud metadata
addresses are refused unless `CIVIA_PROVIDER_ALLOW_LINK_LOCAL` is set. Checked when a provider
is saved and again before every call (DNS answers change). Which keys exist, and for which
collectivités and URLs, is the operator's declaration (`civia.providers.credentials`).
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
    """French message for the admin or the operator."""


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_link_local or address in METADATA_ADDRESSES


def is_literal(base_url: str) -> bool:
    """True when the URL's host is an IP address: checking it needs no DNS lookup."""
    try:
        ipaddress.ip_address((urlparse(base_url).hostname or "").rstrip("."))
    except ValueError:
        return False
    return True


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
