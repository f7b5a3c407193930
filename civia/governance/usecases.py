"""The use-case register and its review workflow.

    draft → submitted → in_review → approved | rejected | changes_requested
    approved → pilot → generalised;  any → suspended (kill switch) → in_review

Rules: only comité members vote and decide; nobody reviews, votes on or decides a case they
wrote or submitted; a high-risk case (AI Act Annex III) needs a fundamental-rights impact
assessment (Art. 27) and a named human overseer before approval; a prohibited one (Art. 5) is
never approved. Every transition is audited; refusals raise `WorkflowError`, which the caller
records with `record_refusal` once its transaction is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Role, User
from civia.audit import journal as audit
from civia.audit.journal import Identity
from civia.db.base import utcnow
from civia.governance import fria, standing
from civia.governance.models import UseCase
from civia.governance.usecase_cards import (
    Card,
    CardError,
    _target,
    assistant_choices,
    authored_by,
    can_edit,
    counts,
    create,
    for_tenant,
    get,
    missing_for_submission,
    overseer_names,
    update,
    warnings,
)
from civia.governance.usecase_review import (
    comment,
    comments,
    history,
    vote,
    votes,
    votes_tally,
)
from civia.governance.usecase_terms import (
    DATA_CATEGORIES,
    EDITABLE,
    MIN_FRIA_CHARS,
    PUBLIC_STATUSES,
    RISK_HELP,
    RISK_LABELS,
    SENSITIVE_CATEGORIES,
    STATUS_LABELS,
    VOTES,
    CaseStatus,
    RiskClass,
    WorkflowError,
)

# The cards and the words too, so callers need only this module.
# fmt: off
__all__ = [
    "DATA_CATEGORIES", "EDITABLE", "MIN_FRIA_CHARS", "PUBLIC_STATUSES",
    "RISK_HELP", "RISK_LABELS", "SENSITIVE_CATEGORIES", "STATUS_LABELS", "STEPS",
    "VOTES", "Card", "CardError", "CaseStatus", "RiskClass", "Step",
    "WorkflowError", "assistant_choices", "authored_by", "available_steps", "can_edit", "comment",
    "comments", "counts", "create", "for_tenant", "get", "history", "is_suspended",
    "missing_for_submission", "overseer_names", "record_refusal", "requires_training",
    "suspend_assistant", "transition", "update", "vote", "votes", "votes_tally", "warnings",
]
# fmt: on


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus
    roles: frozenset[Role]
    independent: bool = False  # refused to the case's author and submitter
    note_required: bool = False
    editors_only: bool = False  # the case's author, a référent of its service or an admin


S, R = CaseStatus, roles
NOT_SUSPENDED = tuple(state for state in S if state is not S.SUSPENDED)
# fmt: off
STEPS = {s.action: s for s in (
    Step("submit", "Soumettre au comité", EDITABLE, S.SUBMITTED, R.CASE_EDITORS, editors_only=True),
    Step("review", "Ouvrir l'examen", (S.SUBMITTED,), S.IN_REVIEW, R.COMITE, independent=True),
    Step("approve", "Approuver", (S.IN_REVIEW,), S.APPROVED, R.COMITE, independent=True),
    Step("request_changes", "Demander des modifications", (S.IN_REVIEW,), S.CHANGES_REQUESTED,
         R.COMITE, independent=True, note_required=True),
    Step("reject", "Refuser", (S.IN_REVIEW,), S.REJECTED, R.COMITE, independent=True,
         note_required=True),
    Step("pilot", "Lancer le pilote", (S.APPROVED,), S.PILOT, R.DECIDERS),
    Step("generalise", "Généraliser", (S.PILOT,), S.GENERALISED, R.DECIDERS),
    Step("suspend", "Suspendre immédiatement", NOT_SUSPENDED, S.SUSPENDED, R.AUDITORS,
         note_required=True),
    Step("reopen", "Lever la suspension (nouvel examen)", (S.SUSPENDED,), S.IN_REVIEW, R.COMITE),
    Step("rework", "Reprendre le dossier", (S.REJECTED,), S.DRAFT, R.CASE_EDITORS,
         editors_only=True),
)}
# fmt: on


def available_steps(case: UseCase, user: User) -> list[Step]:
    """The buttons to show (the checks in `transition` still apply)."""
    return [
        s
        for s in STEPS.values()
        if CaseStatus(case.status) in s.sources
        and user.role_enum in s.roles
        and not (s.independent and authored_by(case, user))
        and not (s.editors_only and not can_edit(user, case))
    ]


def transition(
    db: Session, case: UseCase, *, actor: User | None, action: str, note: str = ""
) -> None:
    """Move a case along the workflow. `actor=None` is the command line (suspension only)."""
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError("Action inconnue.", "invalid", 422)
    if actor is None:
        if action != "suspend":
            raise WorkflowError("Seule la suspension est possible hors de l'interface.", "role")
    else:
        _check_actor(case, actor, step)
    if CaseStatus(case.status) not in step.sources:
        label = STATUS_LABELS[CaseStatus(case.status)]
        raise WorkflowError(f"Action impossible : le cas d'usage est « {label} ».", "state")
    note = note.strip()
    if step.note_required and not note:
        raise WorkflowError("Indiquez un motif.", "note_required", 422)
    if action == "approve":
        _check_approval(db, case)
    if action == "submit" and (missing := missing_for_submission(case)):
        raise WorkflowError(
            f"Complétez la fiche avant de la soumettre : {', '.join(missing)}.", "incomplete", 422
        )
    before = case.status
    _enter(db, case, step, actor, note)
    details = {"action": action, "from": before, "to": case.status, "round": case.review_round}
    audit.record(
        db,
        tenant_id=case.tenant_id,
        actor=actor,
        action="usecase.transition",
        target=_target(case),
        details=details,
    )
    if action == "suspend":
        audit.record(
            db,
            tenant_id=case.tenant_id,
            actor=actor,
            action="assistant.suspended",
            target=f"assistant:{case.assistant_id}",
            details={"usecase": case.id},
        )


def _check_actor(case: UseCase, actor: User, step: Step) -> None:
    if actor.tenant_id != case.tenant_id:
        raise WorkflowError("Cas d'usage introuvable.", "tenant", 404)
    if actor.role_enum not in step.roles:
        raise WorkflowError(f"Votre rôle ne permet pas : « {step.label} ».", "role", 403)
    if step.independent and authored_by(case, actor):
        raise WorkflowError(
            "Vous avez rédigé ou soumis ce cas d'usage : un autre membre du "
            "comité doit l'examiner et décider.",
            "own_case",
            403,
        )
    if step.editors_only and not can_edit(actor, case):
        raise WorkflowError(
            "Seul l'auteur de la fiche, un référent de son service ou un "
            "administrateur peut faire cela.",
            "role",
            403,
        )


def _check_approval(db: Session, case: UseCase) -> None:
    if case.risk_class == RiskClass.PROHIBITED:
        raise WorkflowError(
            "Une pratique interdite par l'article 5 du règlement sur l'IA ne "
            "peut pas être approuvée.",
            "prohibited",
        )
    if case.risk_class == RiskClass.HIGH:
        if not fria.has_assessment(db, case):
            raise WorkflowError(
                "Cas à haut risque : joignez l'analyse d'impact sur les droits "
                "fondamentaux (art. 27) avant l'approbation.",
                "high_risk_fria",
            )
        if not overseer_names(case):
            raise WorkflowError(
                "Cas à haut risque : nommez au moins une personne chargée du "
                "contrôle humain (art. 26).",
                "high_risk_overseer",
            )
    tally = votes_tally(db, case)
    against = tally.get("reject", 0) + tally.get("changes", 0)
    if tally.get("approve", 0) < 1 or tally.get("approve", 0) <= against:
        raise WorkflowError(
            "L'approbation demande plus de votes favorables que de votes "
            "défavorables ou demandant des modifications (au moins un).",
            "votes",
        )


def _enter(db: Session, case: UseCase, step: Step, actor: User | None, note: str) -> None:
    now = utcnow()
    if step.target is CaseStatus.IN_REVIEW and votes_tally(db, case):
        case.review_round += 1  # a new examination: earlier votes no longer count
    if step.action == "submit":
        case.submitted_by, case.submitted_at = (actor.id if actor else None), now
    if step.action in ("approve", "reject", "request_changes"):
        case.decided_by, case.decided_at, case.decision_note = (
            actor.id if actor else None,
            now,
            note,
        )
    if step.action == "suspend":
        case.suspended_at, case.suspension_reason = now, note
    case.status = step.target.value
    case.updated_at = now


def record_refusal(
    db: Session,
    *,
    tenant_id: int,
    actor: Identity | None,
    case_id: int | None,
    attempted: str,
    error: WorkflowError,
) -> None:
    """Audit a refused action (call after rolling back the attempt)."""
    audit.record(
        db,
        tenant_id=tenant_id,
        actor=actor,
        action="usecase.refused",
        target=f"usecase:{case_id}" if case_id else "",
        details={"attempted": attempted, "reason": error.code},
    )


def suspend_assistant(
    db: Session, *, tenant_id: int, actor: User | None, assistant_id: str, reason: str
) -> UseCase:
    """The kill switch for any assistant, with or without a card (one is created)."""
    case = db.scalar(
        select(UseCase).where(UseCase.tenant_id == tenant_id, UseCase.assistant_id == assistant_id)
    )
    if case is not None and case.status == CaseStatus.SUSPENDED:
        raise WorkflowError("Cet assistant est déjà suspendu.", "state")
    if case is None:
        names = assistant_choices(db, tenant_id)
        if assistant_id not in names:
            raise WorkflowError(f"Assistant inconnu : {assistant_id}.", "invalid", 404)
        case = UseCase(
            tenant_id=tenant_id,
            assistant_id=assistant_id,
            title=names[assistant_id][:200],
            created_by=None,
        )
        db.add(case)
        db.flush()
        audit.record(
            db,
            tenant_id=tenant_id,
            actor=actor,
            action="usecase.created",
            target=_target(case),
            details={"assistant_id": assistant_id, "for": "suspension"},
        )
    transition(db, case, actor=actor, action="suspend", note=reason)
    return case


def is_suspended(db: Session, tenant_id: int, assistant_id: str) -> bool:
    """Call before any assistant run (web and API): True blocks the run at once. A built-in
    stops with its own card or with the built-ins' standing card."""
    ids = [assistant_id]
    if standing.is_builtin(assistant_id):
        ids.append(standing.BUILTINS_ID)
    found = db.scalar(
        select(UseCase.id).where(
            UseCase.tenant_id == tenant_id,
            UseCase.assistant_id.in_(ids),
            UseCase.status == CaseStatus.SUSPENDED.value,
        )
    )
    return found is not None


def requires_training(db: Session, tenant_id: int, assistant_id: str) -> bool:
    found = db.scalar(
        select(UseCase.training_required).where(
            UseCase.tenant_id == tenant_id, UseCase.assistant_id == assistant_id
        )
    )
    return bool(found)
