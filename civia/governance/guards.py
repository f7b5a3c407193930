"""What the assistant runners call before any run (web and API): is this assistant suspended
by the comité, or reserved to agents who completed the acculturation module?"""

from __future__ import annotations

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.governance import acculturation, usecases
from civia.plugins.registries import GuardRefused

SUSPENDED = (
    "Cet assistant est suspendu par le comité d'éthique de votre collectivité : il ne peut "
    "pas être utilisé pour le moment. Votre référent IA peut vous indiquer une alternative."
)
TRAINING = (
    "Cet assistant est réservé aux agents qui ont terminé le module d'acculturation à l'IA "
    "(10 minutes) : suivez-le sur /formation puis réessayez."
)


# A call without an assistant (the web chat's default, a plain model name through the API) is
# the general chat assistant: the comité suspends or restricts it like any other.
GENERAL_CHAT = "chat"


def assistant_of_call(assistant_id: str) -> str:
    return assistant_id or GENERAL_CHAT


class AssistantBlocked(GuardRefused):
    """`message` is for the user (French); `reason` is "suspended" or "training"."""

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


def call_guard(db: Session, user: User, assistant_id: str, source: str) -> None:
    """The comité's guard on every model call (registered through `register_call_guards`)."""
    check_assistant(db, user=user, assistant_id=assistant_of_call(assistant_id), source=source)
