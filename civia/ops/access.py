"""Who is the operator: a client on a declared network, or the bearer of the metrics token.
Nobody else sees metrics or probe details."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

from civia.accounts.tokens import same
from civia.settings import Settings


@lru_cache(maxsize=32)
def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    parts = filter(None, (p.strip() for p in value.split(",")))
    return tuple(ipaddress.ip_network(p, strict=False) for p in parts)


def on_operator_network(settings: Settings, host: str | None) -> bool:
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # "testclient", a Unix socket…
        return False
    return any(address in net for net in _networks(settings.operator_networks))


def has_token(settings: Settings, request: Request) -> bool:
    expected = settings.metrics_token
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and same(sent.strip(), expected)


def is_operator(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    client = request.client.host if request.client else None
    return has_token(settings, request) or on_operator_network(settings, client)
