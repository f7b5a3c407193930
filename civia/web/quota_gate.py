"""The web's early quota answer: 429 before a message is written, when a call would be refused
anyway (the gateway still decides, atomically, at the call)."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.usage.quotas import QuotaExceeded


def check_quota(request: Request, db: Session, user: User) -> None:
    try:
        request.app.state.gateway.quotas.peek(db, user)
    except QuotaExceeded as exc:
        raise HTTPException(
            429, exc.message_fr, headers={"Retry-After": str(exc.retry_after)}
        ) from None
