"""What the assistant runners call before any run (web and API): is this assistant suspended
by the comité, or reserved to agents who completed the acculturation module?"""

from __future__ import annotations

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.governance import acculturation, usecases

SUSPENDED = (
    "Cet assistant est suspendu par le comité d'éthique de votre collectivité : il ne peut "
    "pas être utilisé pour le moment. Votre référent IA peut vous indiquer une alternative."
)
TRAINING = (
    "Cet assistant est réservé aux agents qui ont terminé le module d'acculturation à l'IA "
    "(10 minutes) : suivez-le sur /formation puis réessayez."
)


class AssistantBlocked(Exception):
    """`message` is for the user (French); `reason` is "suspended" or "training"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message, self.reason = message, reason

    @property
    def status(self) -> int:
        return 403


def check_assistant(db: Session, *, user: User, assistant_id: str, source: str = "web") -> None:
    """Raise `AssistantBlocked` when `user` may not run `assistant_id` now.

    The refusal is audited and *committed* here, before the caller turns it into an error
    response (which rolls the request's session back)."""
    if usecases.is_suspended(db, user.tenant_id, assistant_id):
        blocked = AssistantBlocked(SUSPENDED, "suspended")
    elif usecases.requires_training(
        db, user.tenant_id, assistant_id
    ) and not acculturation.completed(db, user):
        blocked = AssistantBlocked(TRAINING, "training")
    else:
        return
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="assistant.refused",
        target=f"assistant:{assistant_id}",
        details={"reason": blocked.reason, "source": source},
    )
    db.commit()
    raise blocked
