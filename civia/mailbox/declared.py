"""Mailboxes declared by the operator in a TOML file (`CIVIA_MAILBOXES_FILE`): credentials
stay on the server, never typed into a page; admins only pick among the declared ones.

    [accueil]                       # the key admins see
    tenant = "demoville"            # slug of the collectivité that may connect it
    label = "Accueil de la mairie"
    host = "imap.demoville.fr"
    port = 993
    security = "ssl"                # ssl | starttls | none (none only on 127.0.0.1)
    login = "accueil@demoville.fr"
    password_file = "/run/secrets/imap-accueil"   # or password_env = "IMAP_ACCUEIL"
    inbox = "INBOX"
    drafts = "Drafts"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from civia.settings import Settings

SECURITIES = ("ssl", "starttls", "none")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
NOT_DECLARED_FR = (
    "Cette boîte n'est plus déclarée par l'exploitant : elle ne peut plus être relevée."
)


class DeclarationError(ValueError):
    """The operator's file is wrong: the message (English) names the key and the field."""


@dataclass(frozen=True)
class DeclaredMailbox:
    key: str
    tenant: str
    label: str
    host: str
    port: int
    security: str
    login: str
    password_file: str = ""
    password_env: str = ""
    inbox: str = "INBOX"
    drafts: str = "Drafts"

    def password(self) -> str:
        """Read at each connection, so a rotated secret needs no restart."""
        if self.password_file:
            return Path(self.password_file).read_text(encoding="utf-8").strip()
        return os.environ.get(self.password_env, "")


def _one(key: str, raw: object) -> DeclaredMailbox:
    if not isinstance(raw, dict):
        raise DeclarationError(f"mailbox {key!r}: expected a table")
    known = set(DeclaredMailbox.__dataclass_fields__) - {"key"}
    unknown = set(raw) - known
    if unknown:
        raise DeclarationError(f"mailbox {key!r}: unknown field(s) {sorted(unknown)}")
    for name in ("tenant", "host", "login"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise DeclarationError(f"mailbox {key!r}: {name} is required")
    security = raw.get("security", "ssl")
    if security not in SECURITIES:
        raise DeclarationError(f"mailbox {key!r}: security must be one of {SECURITIES}")
    if security == "none" and raw["host"] not in LOOPBACK:
        raise DeclarationError(f"mailbox {key!r}: security = 'none' only on the loopback")
    if bool(raw.get("password_file")) == bool(raw.get("password_env")):
        raise DeclarationError(f"mailbox {key!r}: give password_file or password_env (one)")
    default_port = {"ssl": 993, "starttls": 143, "none": 143}[security]
    return DeclaredMailbox(
        key=key,
        tenant=raw["tenant"],
        label=str(raw.get("label") or key),
        host=raw["host"],
        port=int(raw.get("port", default_port)),
        security=security,
        login=raw["login"],
        password_file=str(raw.get("password_file", "")),
        password_env=str(raw.get("password_env", "")),
        inbox=str(raw.get("inbox", "INBOX")),
        drafts=str(raw.get("drafts", "Drafts")),
    )


def load(settings: Settings) -> dict[str, DeclaredMailbox]:
    """Every declared mailbox by key; {} when no file is configured."""
    path = settings.mailboxes_file
    if path is None:
        return {}
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {key: _one(key, raw) for key, raw in data.items()}


def for_tenant(settings: Settings, slug: str) -> dict[str, DeclaredMailbox]:
    return {k: m for k, m in load(settings).items() if m.tenant == slug}


def unreadable_fr(exc: Exception) -> str:
    return f"Le fichier des boîtes déclarées est illisible ({exc}) : prévenez l'exploitant."


def find(settings: Settings, slug: str, key: str) -> DeclaredMailbox | str:
    """The declared mailbox, or a French reason why it cannot be used."""
    try:
        found = for_tenant(settings, slug).get(key)
    except (OSError, tomllib.TOMLDecodeError, DeclarationError) as exc:
        return unreadable_fr(exc)
    if found is None:
        return NOT_DECLARED_FR
    return found
