"""The AI charter: versioned per collectivité, accepted by every user at each new version.

Until an admin publishes a text, version 1 is the default shipped beside this module (drawn
from CNIL guidance); it is stored the first time someone accepts it, so what was accepted is
always in the database.

Whether a user accepted the current version is asked on every page and API call: the current
version of a collectivité and a user's acceptance of it are remembered `TTL_S` seconds
(`civia.db.readcache`). A new version is required at once in the process that published it,
within `TTL_S` in the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.db.readcache import ReadCache
from civia.db.sql import insert_or_ignore
from civia.governance.models import CharterAcceptance, CharterVersion

DEFAULT_TITLE = "Charte d'utilisation de l'intelligence artificielle générative"
MAX_BODY = 50_000
TTL_S = 10.0

_VERSION = ReadCache[int]("charter version", TTL_S, ("charter_versions",))
# Only acceptances are remembered (True): a refusal is read again at the next call.
_ACCEPTED = ReadCache[bool]("charter accepted", TTL_S, ("charter_acceptances", "charter_versions"))


class CharterError(ValueError):
    """A French message for the user."""


@lru_cache
def default_body() -> str:
    return (Path(__file__).parent / "charte.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class CharterText:
    version: int
    title: str
    body: str
    published_at: datetime | None = None


def current(db: Session, tenant_id: int) -> CharterText:
    row = db.scalar(
        select(CharterVersion)
        .where(CharterVersion.tenant_id == tenant_id)
        .order_by(CharterVersion.version.desc())
        .limit(1)
    )
    if row is None:
        return CharterText(1, DEFAULT_TITLE, default_body())
    return CharterText(row.version, row.title, row.body, row.created_at)


def _current_version(db: Session, tenant_id: int) -> int:
    latest = db.scalar(
        select(func.max(CharterVersion.version)).where(CharterVersion.tenant_id == tenant_id)
    )
    return latest or 1


def accepted_version(db: Session, user: User) -> int | None:
    return db.scalar(
        select(func.max(CharterAcceptance.version)).where(CharterAcceptance.user_id == user.id)
    )


def needs_acceptance(db: Session, user: User) -> bool:
    """True until the user has accepted the current version of their collectivité's charter."""
    tenant_id, user_id = user.tenant_id, user.id
    version = _VERSION.get(db, tenant_id, lambda: _current_version(db, tenant_id))
    assert version is not None  # _current_version is at least 1

    def accepted() -> bool | None:
        found = db.scalar(
            select(CharterAcceptance.id).where(
                CharterAcceptance.user_id == user_id, CharterAcceptance.version == version
            )
        )
        return True if found is not None else None

    return _ACCEPTED.get(db, (user_id, version), accepted) is None


def _store_default(db: Session, tenant_id: int) -> None:
    insert_or_ignore(
        db,
        CharterVersion,
        tenant_id=tenant_id,
        version=1,
        title=DEFAULT_TITLE,
        body=default_body(),
        created_at=utcnow(),
    )


def accept(db: Session, user: User, *, version: int) -> None:
    """Record that `user` accepted `version`, which must be the current one (the page they read
    may be stale when an admin has just published a new text)."""
    if version != _current_version(db, user.tenant_id):
        raise CharterError(
            "La charte vient d'être mise à jour : relisez la nouvelle version avant de l'accepter."
        )
    if version == 1:
        _store_default(db, user.tenant_id)
    values = {"tenant_id": user.tenant_id, "user_id": user.id, "version": version}
    if not insert_or_ignore(db, CharterAcceptance, **values, created_at=utcnow()):
        return  # already accepted (double click)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="charter.accepted",
        target=f"charte:v{version}",
        details={"version": version},
    )


def publish(db: Session, *, author: User, title: str, body: str) -> CharterVersion:
    """A new version: every user of the collectivité accepts it again."""
    title, body = title.strip(), body.strip()
    if not 3 <= len(title) <= 200:
        raise CharterError("Le titre doit faire entre 3 et 200 caractères.")
    if len(body) < 50:
        raise CharterError("Le texte de la charte est trop court (50 caractères au minimum).")
    if len(body) > MAX_BODY:
        raise CharterError(f"Le texte de la charte dépasse {MAX_BODY} caractères.")
    previous = current(db, author.tenant_id)
    if previous.title == title and previous.body.strip() == body:
        raise CharterError("Le texte n'a pas changé : aucune nouvelle version n'est créée.")
    if previous.published_at is None:
        _store_default(db, author.tenant_id)  # keep version 1 in the history
    row = CharterVersion(
        tenant_id=author.tenant_id,
        version=previous.version + 1,
        title=title,
        body=body,
        author_id=author.id,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        tenant_id=author.tenant_id,
        actor=author,
        action="charter.published",
        target=f"charte:v{row.version}",
        details={"version": row.version},
    )
    return row


def history(db: Session, tenant_id: int) -> list[CharterVersion]:
    return list(
        db.scalars(
            select(CharterVersion)
            .where(CharterVersion.tenant_id == tenant_id)
            .order_by(CharterVersion.version.desc())
        )
    )


def acceptance_counts(db: Session, tenant_id: int) -> tuple[int, int]:
    """(active users who accepted the current version, active users)."""
    version = _current_version(db, tenant_id)
    active = select(User.id).where(User.tenant_id == tenant_id, User.active.is_(True))
    total = db.scalar(select(func.count()).select_from(active.subquery())) or 0
    accepted = db.scalar(
        select(func.count(CharterAcceptance.id)).where(
            CharterAcceptance.version == version,
            CharterAcceptance.user_id.in_(active),
        )
    )
    return accepted or 0, total
