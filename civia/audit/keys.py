"""The audit chain's key: HMAC-SHA256 with a key that is not in the database.

`CIVIA_AUDIT_KEY` (or `CIVIA_AUDIT_KEY_FILE`) when set, otherwise derived from
`CIVIA_SECRET_KEY`. Someone who can write the database but not read the server's environment can
neither rewrite entries, nor move a chain's base, nor forge a checkpoint. Read from the process
environment (`get_settings`), like the database URL, so the web app, the worker, the CLI and
migrations all use the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from civia.settings import get_settings


def audit_key() -> bytes:
    settings = get_settings()
    if settings.audit_key:
        return settings.audit_key.encode()
    return hmac.new(settings.secret_key.encode(), b"civia audit chain v2", hashlib.sha256).digest()


def sign(purpose: str, fields: dict[str, Any]) -> str:
    """HMAC over the canonical JSON of `fields`, separated by purpose (entry, head, checkpoint…)
    so a signature made for one can never be replayed as another."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(audit_key(), f"{purpose}\n{text}".encode(), hashlib.sha256).hexdigest()


def valid(signature: str | None, purpose: str, fields: dict[str, Any]) -> bool:
    return bool(signature) and hmac.compare_digest(signature or "", sign(purpose, fields))
