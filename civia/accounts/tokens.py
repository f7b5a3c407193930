"""Random secrets: session ids and API tokens are stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "civia_"  # noqa: S105 - a public prefix, not a secret


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_api_token() -> tuple[str, str, str]:
    """Return (token shown once, display prefix, hash to store)."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token[: len(API_TOKEN_PREFIX) + 6], digest(token)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
