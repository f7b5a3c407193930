"""Admins connect the mailboxes the operator declared for their collectivité to a service:
the page only picks among declarations; no credential is ever typed or shown here."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.models import Service, User
from civia.audit import journal as audit
from civia.documents.models import Collection, Scope
from civia.mailbox import declared, queue
from civia.mailbox.declared import DeclarationError
from civia.mailbox.models import Mailbox
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter()
NOT_OURS_FR = "Cette boîte n'est pas déclarée pour votre collectivité."


def page(
    request: Request, db: Db, user: User, *, status_code: int = 200, error: str = ""
) -> Response:
    settings = request.app.state.settings
    try:
        offered = declared.for_tenant(settings, user.tenant.slug)
    except (OSError, DeclarationError) as exc:
        offered = {}
        error = error or f"Le fichier des boîtes déclarées est illisible : {exc}"
    boxes = list(db.scalars(select(Mailbox).where(Mailbox.tenant_id == user.tenant_id)))
    return render(
        request,
        "mailbox/admin.html",
        status_code=status_code,
        offered=offered,
        boxes=boxes,
        connected={b.key for b in boxes},
        services={s.id: s.name for s in queue.services(db, user)},
        collections=faq_collections(db, user),
        when=queue.when_fr,
        error=error,
    )


def faq_collections(db: Db, user: User) -> dict[int, str]:
    """The collectivité-wide collections a mailbox's replies may draw on."""
    found = db.scalars(
        select(Collection).where(
            Collection.tenant_id == user.tenant_id, Collection.scope == Scope.TENANT.value
        )
    )
    return {c.id: c.name for c in found}


@router.get("/admin/courriels")
def show(request: Request, db: Db, user: AdminUser) -> Response:
    return page(request, db, user)


@router.post("/admin/courriels")
def connect(
    request: Request,
    db: Db,
    user: AdminUser,
    key: str = Form(""),
    service_id: str = Form(""),
    faq_collection_id: str = Form(""),
) -> Response:
    settings = request.app.state.settings
    found = declared.find(settings, user.tenant.slug, key)
    if isinstance(found, str):
        return page(
            request,
            db,
            user,
            status_code=422,
            error=NOT_OURS_FR if found == declared.NOT_DECLARED_FR else found,
        )
    service = None
    if service_id.isdigit():
        service = db.scalar(
            select(Service).where(
                Service.id == int(service_id), Service.tenant_id == user.tenant_id
            )
        )
    if service is None:
        return page(
            request,
            db,
            user,
            status_code=422,
            error="Choisissez le service qui reçoit les messages non triés.",
        )
    faq = int(faq_collection_id) if faq_collection_id.isdigit() else None
    if faq is not None and faq not in faq_collections(db, user):
        return page(request, db, user, status_code=422,
                    error="Choisissez une collection de toute la collectivité.")  # fmt: skip
    box = db.scalar(select(Mailbox).where(Mailbox.tenant_id == user.tenant_id, Mailbox.key == key))
    if box is None:
        box = Mailbox(tenant_id=user.tenant_id, key=key, last_uid=0)
        db.add(box)
    box.service_id, box.active = service.id, True
    box.faq_collection_id, box.connected_by = faq, user.id
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="mailbox.connected",
        target=f"boite:{box.id}",
        details={"key": key, "service_id": service.id},
    )
    return RedirectResponse("/admin/courriels", status_code=303)


@router.post("/admin/courriels/{mailbox_id}/pause")
def toggle(request: Request, db: Db, user: AdminUser, mailbox_id: int) -> Response:
    box = db.scalar(
        select(Mailbox).where(Mailbox.id == mailbox_id, Mailbox.tenant_id == user.tenant_id)
    )
    if box is None:
        raise HTTPException(404, "Cette boîte n'existe pas.")
    box.active = not box.active
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="mailbox.toggled",
        target=f"boite:{box.id}",
        details={"active": box.active},
    )
    return RedirectResponse("/admin/courriels", status_code=303)
