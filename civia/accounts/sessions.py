"""Server-side web sessions: the cookie holds a random id; the database holds its hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import User, WebSession
from civia.accounts.tokens import digest, new_secret
from civia.db.base import aware


def open_session(db: Session, user: User, *, hours: float) -> tuple[str, WebSession]:
    token = new_secret()
    ws = WebSession(
        token_hash=digest(token),
        user_id=user.id,
        csrf_token=new_secret(),
        expires_at=datetime.now(UTC) + timedelta(hours=hours),
    )
    db.add(ws)
    user.last_login_at = datetime.now(UTC)
    db.flush()
    return token, ws


def resolve_session(db: Session, token: str, *, hours: float) -> tuple[User, WebSession] | None:
    """Return the active user and session, sliding the expiry; None if unknown or expired."""
    ws = db.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if ws is None:
        return None
    now = datetime.now(UTC)
    if aware(ws.expires_at) <= now:
        db.delete(ws)
        return None
    user = db.get(User, ws.user_id)
    if user is None or not user.active or user.tenant.status != "active":
        return None
    # Slide the expiry at most once a minute to keep writes rare.
    if aware(ws.expires_at) - now < timedelta(hours=hours) - timedelta(minutes=1):
        ws.expires_at = now + timedelta(hours=hours)
    return user, ws


def close_session(db: Session, token: str) -> None:
    db.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def close_user_sessions(db: Session, user_id: int) -> None:
    db.execute(delete(WebSession).where(WebSession.user_id == user_id))
