"""A collectivité's admin opts in to (or out of) pooling: only collectivités that opted in see
each other's names and share acts with each other."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.audit import journal as audit
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin/mutualisation")


@router.get("")
def index(request: Request, admin: AdminUser, ok: str = "") -> Response:
    return render(request, "tenants/pooling.html", pooling=admin.tenant.pooling, ok=ok)


@router.post("")
def save(db: Db, admin: AdminUser, pooling: Annotated[str, Form(max_length=5)] = "") -> Response:
    tenant = admin.tenant
    tenant.pooling = pooling == "oui"
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="pooling.on" if tenant.pooling else "pooling.off",
        target=f"tenant:{tenant.id}",
    )
    message = (
        "Votre collectivité participe à la mutualisation."
        if tenant.pooling
        else "Votre collectivité ne participe plus à la mutualisation : elle ne partage ni ne "
        "reçoit plus rien."
    )
    return RedirectResponse(f"/admin/mutualisation?ok={quote(message)}", status_code=303)
