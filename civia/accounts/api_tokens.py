"""Per-user API tokens for the OpenAI-compatible API: valid `days` after creation (the
CIVIA_API_TOKEN_DAYS setting), revoked by their owner or by a password change.

A live token's row is remembered for `TTL_S` seconds (`civia.db.readcache`): revoking it takes
effect at once in the process that revoked it, and within `TTL_S` in the others."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from civia.accounts.models import ApiToken, User
from civia.accounts.tokens import digest, new_api_token
from civia.db.base import aware, utcnow
from civia.db.readcache import KEEP, ReadCache

LAST_USED_STEP = timedelta(minutes=1)
# How long another process may still accept a token revoked here (the revoking one: never).
TTL_S = 10.0


@dataclass(frozen=True)
class LiveToken:
    """What a call needs of a token row that was neither revoked nor missing when read."""

    id: int
    user_id: int
    expires_at: datetime
    last_used_at: datetime | None


LIVE = ReadCache[LiveToken]("api tokens", TTL_S, ("api_tokens",))


def create(db: Session, *, user: User, name: str, days: int = 365) -> tuple[str, ApiToken]:
    """Return the token (to show once) and its row (which stores only a hash)."""
    token, prefix, hashed = new_api_token()
    row = ApiToken(
        user_id=user.id,
        name=name.strip()[:100] or "Jeton",
        prefix=prefix,
        token_hash=hashed,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(row)
    db.flush()
    return token, row


def list_for(db: Session, user: User) -> list[ApiToken]:
    return list(
        db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def revoke(db: Session, *, user: User, token_id: int) -> bool:
    row = db.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def revoke_all(db: Session, *, user_id: int) -> int:
    """Revoke every live token of a user (a new password ends what the old one opened)."""
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def expired(row: ApiToken | LiveToken, now: datetime | None = None) -> bool:
    return aware(row.expires_at) <= (now or utcnow())


def _live(db: Session, hashed: str) -> LiveToken | None:
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == hashed))
    if row is None or row.revoked_at is not None:
        return None
    return LiveToken(row.id, row.user_id, row.expires_at, row.last_used_at)


def authenticate(db: Session, token: str) -> User | None:
    hashed = digest(token)
    live = LIVE.get(db, hashed, lambda: _live(db, hashed))
    now = utcnow()
    if live is None or expired(live, now):
        return None
    # The user is read on every call (never cached): deactivated, or their collectivité
    # suspended, they are refused at once.
    user = db.get(User, live.user_id, options=[joinedload(User.tenant)])
    if user is None or not user.active or user.tenant.status != "active":
        return None
    if user.tenant.kind == "platform":  # operators see figures, never a model's content
        return None
    last = aware(live.last_used_at) if live.last_used_at else None
    # To the minute: a write (and, on SQLite, the database's one writer) per call is not worth
    # a more precise « dernière utilisation ». Only this token's entry is updated: the write
    # does not empty the cache of every token (another process sees it within TTL_S, at worst
    # writing the same minute again).
    if last is None or now - last >= LAST_USED_STEP:
        stamp = update(ApiToken).where(ApiToken.id == live.id).values(last_used_at=now)
        db.execute(stamp, execution_options=KEEP)
        LIVE.refresh(db, hashed, dataclasses.replace(live, last_used_at=now))
    return user
