"""A use case's review: the card, transitions, comité votes, comments, DPO drafts, kill switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response

from civia.accounts import roles
from civia.accounts.models import Role, User
from civia.assistants.renderers import render as render_file
from civia.audit import journal as audit
from civia.governance import dpo_docs, fria, standing, usecases
from civia.governance.models import UseCase
from civia.governance.usecases import WorkflowError
from civia.web.deps import AuditorUser, CaseViewer, CurrentUser, Db
from civia.web.render import render
from civia.web.routes.gov_gate import back
from civia.web.routes.gov_usecases import LABELS, case_of, refuse

router = APIRouter(prefix="/gouvernance")
Note = Annotated[str, Form(max_length=5000)]
DOC_FORMATS = ("docx", "odt")


@router.get("/cas-usage/{case_id}")
def detail(request: Request, db: Db, user: CaseViewer, case_id: int, ok: str = "") -> Response:
    return case_page(request, db, user, case_of(db, user, case_id), ok=ok)


def case_page(
    request: Request,
    db: Db,
    user: User,
    case: UseCase,
    *,
    ok: str = "",
    fria_error: str = "",
    status_code: int = 200,
) -> Response:
    """The card and its review; also re-rendered with an upload error (`fria_error`)."""
    votes = usecases.votes(db, case)
    fria_files = fria.versions(db, case)
    return render(
        request,
        "governance/usecase.html",
        status_code=status_code,
        case=case,
        fria_files=fria_files,
        fria_error=fria_error,
        can_attach=fria.can_attach(user, case) and case.status in fria.OPEN_STATES,
        fria_accept=fria.ACCEPT,
        fria_max=fria.megabytes(request.app.state.settings.fria_max_bytes),
        fria_labels=fria.FORMAT_LABELS,
        own_case=user.role_enum is Role.COMITE and usecases.authored_by(case, user),
        steps=usecases.available_steps(case, user),
        can_edit=usecases.can_edit(user, case) and case.status in usecases.EDITABLE,
        can_vote=(
            user.role_enum is Role.COMITE
            and case.status == usecases.CaseStatus.IN_REVIEW
            and user.id not in (case.created_by, case.submitted_by)
        ),
        my_vote=next((v.choice for v, _ in votes if v.voter_id == user.id), ""),
        votes=votes,
        tally=usecases.votes_tally(db, case),
        comments=usecases.comments(db, case),
        history=(history := usecases.history(db, case)),
        who=audit.who(db, history),
        warnings=usecases.warnings(case, fria_file=bool(fria_files)),
        missing=usecases.missing_for_submission(case),
        overseers=usecases.overseer_names(case),
        assistants=usecases.assistant_choices(db, user.tenant_id),
        under=_under(db, user, case),
        actions=audit.ACTIONS,
        VOTES=usecases.VOTES,
        doc_kinds=dpo_docs.KINDS,
        doc_formats=DOC_FORMATS,
        ok=ok,
        **LABELS,
    )


def _under(db: Db, user: User, case: UseCase) -> list[dict[str, str]]:
    """The assistants this card covers, each linked to its page (the card's other side)."""
    if case.assistant_id != standing.BUILTINS_ID:
        if standing.is_builtin(case.assistant_id):
            href = f"/assistants/{case.assistant_id}"
        else:
            href = f"/atelier/{case.assistant_id}" if user.role_enum in roles.BUILDERS else ""
        names = usecases.assistant_choices(db, user.tenant_id)
        return [{"name": names.get(case.assistant_id, case.assistant_id), "href": href, "note": ""}]
    out = []
    for item in standing.coverage(db, case.tenant_id).values():
        note = ""
        if item.suspended:
            note = "suspendu"
        elif item.case is not None and item.case.id != case.id:
            note = f"sous sa propre fiche : {item.case.title}"
        out.append({"name": item.spec.name, "href": f"/assistants/{item.spec.id}", "note": note})
    return out


@router.post("/cas-usage/{case_id}/transition")
def transition(
    request: Request,
    db: Db,
    user: CaseViewer,
    case_id: int,
    action: Annotated[str, Form(max_length=30)],
    note: Note = "",
) -> Response:
    case = case_of(db, user, case_id)
    try:
        usecases.transition(db, case, actor=user, action=action, note=note)
    except WorkflowError as exc:
        return refuse(request, db, user, case_id, action, exc)
    label = usecases.STATUS_LABELS[usecases.CaseStatus(case.status)]
    return back(f"/gouvernance/cas-usage/{case_id}", f"Nouvel état : {label}.")


@router.post("/cas-usage/{case_id}/vote")
def vote(
    request: Request,
    db: Db,
    user: CurrentUser,  # any role: a forged vote is refused by usecases.vote *and* audited
    case_id: int,
    choice: Annotated[str, Form(max_length=20)],
    comment: Note = "",
) -> Response:
    case = case_of(db, user, case_id)
    try:
        usecases.vote(db, case, voter=user, choice=choice, comment=comment)
    except WorkflowError as exc:
        return refuse(request, db, user, case_id, "vote", exc)
    return back(f"/gouvernance/cas-usage/{case_id}", "Vote enregistré.")


@router.post("/cas-usage/{case_id}/commentaire")
def comment(
    request: Request,
    db: Db,
    user: CaseViewer,
    case_id: int,
    body: Note,
) -> Response:
    case = case_of(db, user, case_id)
    try:
        usecases.comment(db, case, author=user, body=body)
    except WorkflowError as exc:
        db.rollback()
        raise HTTPException(exc.status, str(exc)) from None
    return back(f"/gouvernance/cas-usage/{case_id}", "Commentaire ajouté.")


@router.get("/cas-usage/{case_id}/{kind}.{fmt}")
def document(db: Db, user: AuditorUser, case_id: int, kind: str, fmt: str) -> Response:

    case = case_of(db, user, case_id)
    if kind not in dpo_docs.KINDS or fmt not in DOC_FORMATS:
        raise HTTPException(404, "Ce document n'existe pas.")
    content, mime, filename = render_file(dpo_docs.build(db, case, kind, author=user), fmt)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="export.downloaded",
        target=f"usecase:{case.id}",
        details={"document": kind, "format": fmt},
    )
    return Response(
        content,
        media_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/suspendre")
def suspend(
    request: Request,
    db: Db,
    user: AuditorUser,
    assistant_id: Annotated[str, Form(max_length=100)],
    reason: Note,
) -> Response:
    """The kill switch for any assistant, whether or not it has a card yet."""
    try:
        case = usecases.suspend_assistant(
            db, tenant_id=user.tenant_id, actor=user, assistant_id=assistant_id, reason=reason
        )
    except WorkflowError as exc:
        return refuse(request, db, user, None, "suspend", exc)
    return back(f"/gouvernance/cas-usage/{case.id}", "Assistant suspendu immédiatement.")
