"""OpenID Connect protocol: discovery, the authorization request (state, nonce, PKCE), the code
exchange and ID token checks. No Civia accounts here (see `sso`)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse, urlsplit, urlunsplit

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from civia.tenants.models import SsoProvider

TIMEOUT = 10.0
CACHE_SECONDS = 3600.0
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


class SsoError(Exception):
    """A French message for the user; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


UNREACHABLE = "Le fournisseur d'identité ne répond pas. Réessayez dans un instant."
INVALID = "La réponse du fournisseur d'identité est invalide : connexion refusée."


def web_address(url: str) -> bool:
    """An address a browser may be sent to or a server fetched from: https with a host, or
    http on this machine (a provider under test)."""
    parsed = urlparse(url)
    if parsed.scheme == "https" and parsed.hostname:
        return True
    return parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost")


def _get_json(url: str) -> dict[str, Any]:
    found = _cache.get(url)
    if found and time.monotonic() - found[0] < CACHE_SECONDS:
        return found[1]
    try:
        response = httpx.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError):
        raise SsoError(UNREACHABLE, 502) from None
    _cache[url] = (time.monotonic(), data)
    return data


def discover(provider: SsoProvider) -> dict[str, Any]:
    """The provider's metadata; its issuer must be exactly the one the operator declared."""
    meta = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if meta.get("issuer") != provider.issuer:
        raise SsoError(INVALID, 502)
    return meta


def secret(provider: SsoProvider) -> str:
    if not provider.client_secret_env:
        return ""  # a public client: PKCE only
    return os.environ.get(provider.client_secret_env, "")


def _client(provider: SsoProvider, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=provider.client_id,
        client_secret=secret(provider) or None,
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post" if secret(provider) else "none",
        timeout=TIMEOUT,
    )


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def start(provider: SsoProvider, redirect_uri: str) -> Started:
    meta = discover(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with _client(provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            meta["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    return Started(url, state, nonce, verifier)


def finish(
    provider: SsoProvider, *, code: str, redirect_uri: str, nonce: str, code_verifier: str
) -> tuple[dict[str, Any], str]:
    """Exchange the code; return the verified claims (ID token, then userinfo) and the raw ID
    token (the hint of a later logout)."""
    meta = discover(provider)
    try:
        with _client(provider, redirect_uri) as client:
            token = client.fetch_token(
                meta["token_endpoint"], code=code, code_verifier=code_verifier
            )
    except httpx.HTTPError:
        raise SsoError(UNREACHABLE, 502) from None
    except Exception:  # authlib's OAuthError: a refused code
        raise SsoError(INVALID, 401) from None
    raw = token.get("id_token")
    if not raw:
        raise SsoError(INVALID, 401)
    claims = verify_id_token(provider, meta, raw, nonce)
    if meta.get("userinfo_endpoint"):
        try:
            info = httpx.get(
                meta["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {token['access_token']}"},
                timeout=TIMEOUT,
            )
            info.raise_for_status()
            extra = info.json()
        except (httpx.HTTPError, ValueError):
            raise SsoError(UNREACHABLE, 502) from None
        if extra.get("sub") != claims["sub"]:
            raise SsoError(INVALID, 401)
        claims = {**extra, **claims}
    return claims, raw


def verify_id_token(
    provider: SsoProvider, meta: dict[str, Any], raw: str, nonce: str
) -> dict[str, Any]:
    """Signature by the provider's keys, issuer, audience, expiry and our nonce."""
    keys = KeySet.import_key_set(_get_json(meta["jwks_uri"]))  # type: ignore[arg-type]
    try:
        token = jwt.decode(raw, keys)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
            exp={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError):
        raise SsoError(INVALID, 401) from None
    return dict(token.claims)


def end_session_url(provider: SsoProvider, id_token: str, back: str) -> str | None:
    """RP-initiated logout at the provider, when it offers it."""
    try:
        meta = discover(provider)
    except SsoError:
        return None
    endpoint = meta.get("end_session_endpoint")
    # The page sends the browser there: never a `javascript:` or `data:` address from the
    # provider's metadata, and a query it already has is kept.
    if not isinstance(endpoint, str) or not web_address(endpoint):
        return None
    query = httpx.QueryParams(
        id_token_hint=id_token, post_logout_redirect_uri=back, client_id=provider.client_id
    )
    parts = urlsplit(endpoint)  # its own query kept, a fragment left at the end
    return urlunsplit(parts._replace(query="&".join(q for q in (parts.query, str(query)) if q)))
