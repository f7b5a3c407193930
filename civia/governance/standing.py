"""The built-in assistants' standing card: one card of the use-case register, under which all
of Civia's built-ins run once the comité has approved it (its own status, votes and kill switch
like any card). A built-in may also have a card of its own (a training requirement, a
suspension, a narrower use): that card then speaks for it.

What this module answers: is a built-in covered by an approved card, which built-ins are
actually in use in a collectivité, and which card covers each of them (public page, assistant
pages, the card's own page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.assistants.catalogue import builtins
from civia.assistants.spec import AssistantSpec
from civia.governance.models import UseCase
from civia.governance.usecase_terms import PUBLIC_STATUSES, CaseStatus

# The standing card's assistant id: no assistant slug contains a colon.
BUILTINS_ID = "civia:integres"
BUILTINS_NAME = "Assistants intégrés de Civia (fiche permanente)"
PUBLIC = frozenset(s.value for s in PUBLIC_STATUSES)


def is_builtin(assistant_id: str) -> bool:
    return assistant_id in builtins()


def card(db: Session, tenant_id: int) -> UseCase | None:
    """The standing card, if the collectivité has written it."""
    return db.scalar(
        select(UseCase).where(UseCase.tenant_id == tenant_id, UseCase.assistant_id == BUILTINS_ID)
    )


@dataclass(frozen=True)
class Coverage:
    """How a built-in stands in the register: the card that covers it (its own or the standing
    one), or None when no approved card does; `suspended` when the comité stopped it."""

    spec: AssistantSpec
    case: UseCase | None
    suspended: bool

    @property
    def approved(self) -> bool:
        return self.case is not None and not self.suspended


def coverage(db: Session, tenant_id: int) -> dict[str, Coverage]:
    """Every built-in, by id, with the card that covers it."""
    cases = {
        c.assistant_id: c
        for c in db.scalars(select(UseCase).where(UseCase.tenant_id == tenant_id))
        if c.assistant_id == BUILTINS_ID or is_builtin(c.assistant_id)
    }
    standing = cases.get(BUILTINS_ID)
    standing_stopped = standing is not None and standing.status == CaseStatus.SUSPENDED
    out = {}
    for spec in builtins().values():
        own = cases.get(spec.id)
        suspended = standing_stopped or (own is not None and own.status == CaseStatus.SUSPENDED)
        if own is not None and own.status in PUBLIC:
            covering: UseCase | None = own
        elif standing is not None and standing.status in PUBLIC:
            covering = standing
        else:
            covering = None
        out[spec.id] = Coverage(spec, covering, suspended)
    return out


def unreviewed(db: Session, tenant_id: int) -> set[str]:
    """The built-ins offered without an approved card: marked as such wherever they appear."""
    return {i for i, c in coverage(db, tenant_id).items() if c.case is None and not c.suspended}


def card_of(db: Session, tenant_id: int, assistant_id: str) -> tuple[UseCase | None, bool]:
    """The card an assistant runs under, for its page: (card, approved). A built-in: its own
    public card, else the standing card (whatever its state); another assistant: its card."""
    if is_builtin(assistant_id):
        item = coverage(db, tenant_id)[assistant_id]
        if item.case is not None:
            return item.case, item.approved
        return card(db, tenant_id), False
    found = db.scalar(
        select(UseCase).where(UseCase.tenant_id == tenant_id, UseCase.assistant_id == assistant_id)
    )
    return found, found is not None and found.status in PUBLIC
