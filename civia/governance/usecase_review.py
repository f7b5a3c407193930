"""The comité's review of a use case: votes (comité members only, never on a case they wrote
or submitted; they reset at each new examination), comments, and the case's history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, User
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.governance.models import UseCase, UseCaseComment, UseCaseVote
from civia.governance.usecase_cards import _target, authored_by
from civia.governance.usecase_terms import VOTES, CaseStatus, WorkflowError


def vote(db: Session, case: UseCase, *, voter: User, choice: str, comment: str = "") -> None:
    if voter.tenant_id != case.tenant_id:
        raise WorkflowError("Cas d'usage introuvable.", "tenant", 404)
    if voter.role_enum is not Role.COMITE:
        raise WorkflowError("Seuls les membres du comité d'éthique votent.", "role", 403)
    if authored_by(case, voter):
        raise WorkflowError(
            "Vous ne pouvez pas voter sur un cas d'usage que vous avez rédigé ou soumis.",
            "own_case",
            403,
        )
    if case.status != CaseStatus.IN_REVIEW:
        raise WorkflowError("Le vote n'est ouvert que pendant l'examen.", "state")
    if choice not in VOTES:
        raise WorkflowError("Vote inconnu.", "invalid", 422)
    row = db.scalar(
        select(UseCaseVote).where(
            UseCaseVote.use_case_id == case.id,
            UseCaseVote.round == case.review_round,
            UseCaseVote.voter_id == voter.id,
        )
    )
    if row is None:
        row = UseCaseVote(use_case_id=case.id, round=case.review_round, voter_id=voter.id)
        db.add(row)
    row.choice, row.comment = choice, comment.strip()[:2000]
    db.flush()
    audit.record(
        db,
        tenant_id=case.tenant_id,
        actor=voter,
        action="usecase.voted",
        target=_target(case),
        details={"choice": choice, "round": case.review_round},
    )


def votes(db: Session, case: UseCase) -> list[tuple[UseCaseVote, str]]:
    """The current round's votes with the voter's name."""
    rows = db.execute(
        select(UseCaseVote, User.display_name)
        .join(User, User.id == UseCaseVote.voter_id)
        .where(UseCaseVote.use_case_id == case.id, UseCaseVote.round == case.review_round)
        .order_by(UseCaseVote.id)
    )
    return [(v, name) for v, name in rows]


def votes_tally(db: Session, case: UseCase) -> dict[str, int]:
    rows = db.execute(
        select(UseCaseVote.choice, func.count())
        .join(User, User.id == UseCaseVote.voter_id)
        .where(
            UseCaseVote.use_case_id == case.id,
            UseCaseVote.round == case.review_round,
            User.role == Role.COMITE.value,  # a member who left the comité no longer counts
        )
        .group_by(UseCaseVote.choice)
    )
    return {choice: n for choice, n in rows}


def comment(db: Session, case: UseCase, *, author: User, body: str) -> None:
    body = body.strip()
    if not 1 <= len(body) <= 5000:
        raise WorkflowError(
            "Le commentaire doit faire entre 1 et 5 000 caractères.", "invalid", 422
        )
    db.add(UseCaseComment(use_case_id=case.id, author_id=author.id, body=body))
    db.flush()
    audit.record(
        db, tenant_id=case.tenant_id, actor=author, action="usecase.commented", target=_target(case)
    )


def comments(db: Session, case: UseCase) -> list[tuple[UseCaseComment, str]]:
    rows = db.execute(
        select(UseCaseComment, User.display_name)
        .outerjoin(User, User.id == UseCaseComment.author_id)
        .where(UseCaseComment.use_case_id == case.id)
        .order_by(UseCaseComment.id)
    )
    return [(c, name or "Compte effacé") for c, name in rows]


def history(db: Session, case: UseCase) -> list[AuditEntry]:
    return list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.tenant_id == case.tenant_id, AuditEntry.target == _target(case))
            .order_by(AuditEntry.seq)
        )
    )
