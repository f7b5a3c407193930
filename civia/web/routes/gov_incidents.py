"""Incidents: the report form (every user, from a result or a conversation) and the comité's
triage pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response

from civia.accounts.models import User
from civia.governance import incidents
from civia.governance.incidents import IncidentError
from civia.governance.models import Incident
from civia.web.deps import AuditorUser, ComiteUser, CurrentUser, Db
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter()
LABELS: dict[str, Any] = {
    "KIND_LABELS": incidents.KIND_LABELS,
    "STATUS_LABELS": incidents.STATUS_LABELS,
    "Kind": incidents.Kind,
    "IncidentStatus": incidents.IncidentStatus,
}


@router.get("/incidents/nouveau")
def new(
    request: Request,
    db: Db,
    user: CurrentUser,
    resultat: int | None = None,
    conversation: int | None = None,
    ok: str = "",
) -> Response:
    return _form(request, db, user, run_id=resultat, conversation_id=conversation, ok=ok)


def _form(
    request: Request,
    db: Db,
    user: User,
    *,
    run_id: int | None,
    conversation_id: int | None,
    ok: str = "",
    error: str = "",
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "governance/incident_form.html",
        status_code=status,
        run_id=run_id,
        conversation_id=conversation_id,
        mine=incidents.mine(db, user),
        values=values or {},
        ok=ok,
        error=error,
        **LABELS,
    )


@router.post("/incidents")
def create(
    request: Request,
    db: Db,
    user: CurrentUser,
    kind: Annotated[str, Form(max_length=20)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    run_id: Annotated[int | None, Form()] = None,
    conversation_id: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        found = incidents.report(
            db,
            reporter=user,
            kind=kind,
            description=description,
            run_id=run_id,
            conversation_id=conversation_id,
        )
    except IncidentError as exc:
        db.rollback()
        if exc.status == 404:
            raise HTTPException(404, str(exc)) from None
        values = {"kind": kind, "description": description}
        return _form(
            request,
            db,
            user,
            run_id=run_id,
            conversation_id=conversation_id,
            error=str(exc),
            status=exc.status,
            values=values,
        )
    return back(
        "/incidents/nouveau",
        f"Signalement n° {found.id} transmis au comité d'éthique. Merci.",
    )


@router.get("/gouvernance/incidents")
def triage_list(
    request: Request, db: Db, user: AuditorUser, statut: str = "", type: str = ""
) -> Response:
    counts = incidents.counts(db, user.tenant_id)
    return render(
        request,
        "governance/incidents.html",
        items=incidents.for_tenant(db, user.tenant_id, status=statut, kind=type),
        counts=counts,
        total=sum(counts.values()),
        statut=statut,
        kind=type,
        **LABELS,
    )


def _incident(db: Db, user: User, incident_id: int) -> Incident:
    found = incidents.get(db, user.tenant_id, incident_id)
    if found is None:
        raise HTTPException(404, "Incident introuvable.")
    return found


@router.get("/gouvernance/incidents/{incident_id}")
def detail(request: Request, db: Db, user: AuditorUser, incident_id: int, ok: str = "") -> Response:
    return _detail(request, db, _incident(db, user, incident_id), ok=ok)


def _detail(
    request: Request, db: Db, item: Incident, *, ok: str = "", error: str = "", status: int = 200
) -> Response:
    reporter = db.get(User, item.reporter_id) if item.reporter_id else None
    return render(
        request,
        "governance/incident.html",
        status_code=status,
        item=item,
        reporter=reporter.display_name if reporter else "Compte effacé",
        ok=ok,
        error=error,
        **LABELS,
    )


@router.post("/gouvernance/incidents/{incident_id}")
def update(
    request: Request,
    db: Db,
    user: ComiteUser,
    incident_id: int,
    status: Annotated[str, Form(max_length=20)],
    resolution: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    item = _incident(db, user, incident_id)
    try:
        incidents.triage(db, item, actor=user, status=status, resolution=resolution)
    except IncidentError as exc:
        db.rollback()
        return _detail(request, db, item, error=str(exc), status=exc.status)
    label = incidents.STATUS_LABELS[incidents.IncidentStatus(status)]
    return back(f"/gouvernance/incidents/{incident_id}", f"Incident : {label}.")
