"""A user changing their own password: the current one is required, the new one checked; the
other sessions and every API token end, the change is audited."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.accounts.models import User, WebSession
from civia.accounts.passwords import hash_password, password_problem, verify_password
from civia.audit import journal as audit

WRONG_CURRENT = "Le mot de passe actuel est incorrect."
MISMATCH = "Les deux saisies du nouveau mot de passe sont différentes."
SAME = "Le nouveau mot de passe doit être différent de l'actuel."


class PasswordChangeError(ValueError):
    """`field` names the form field at fault; the message is French."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def change_own_password(
    db: Session, *, user: User, current: str, new: str, confirmation: str, keep_session: int
) -> int:
    """Return the number of API tokens revoked. Raises `PasswordChangeError`."""
    if not verify_password(user.password_hash, current):
        raise PasswordChangeError(WRONG_CURRENT, "current")
    if new != confirmation:
        raise PasswordChangeError(MISMATCH, "confirmation")
    if problem := password_problem(new):
        raise PasswordChangeError(problem, "new")
    if new == current:
        raise PasswordChangeError(SAME, "new")
    user.password_hash = hash_password(new)
    db.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.id != keep_session)
    )
    revoked = api_tokens.revoke_all(db, user_id=user.id)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="user.password_changed",
        target=f"user:{user.id}",
        details={"tokens_revoked": revoked},
    )
    return revoked
