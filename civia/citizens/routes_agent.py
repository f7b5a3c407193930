"""« Écrire à un agent » and the public page of a cited document (only documents of the
collections the collectivité publishes, only their indexed text)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from sqlalchemy import select

from civia.citizens import config, handoff, public
from civia.citizens.routes_public import address, limiter
from civia.citizens.visitors import Limited
from civia.documents.models import Chunk, Document, DocumentStatus
from civia.web.deps import Db

router = APIRouter(prefix="/citoyens", dependencies=[Depends(public.same_site_form)])
NO_SOURCE_FR = "Ce document n'est pas publié par la collectivité."


@router.get("/{slug}/agent")
def agent_form(request: Request, db: Db, slug: str, integration: str = "") -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    return public.page(
        request,
        found,
        "citizens/agent.html",
        available=config.mailbox_for(db, found.row) is not None,
        values={},
        errors={},
    )


@router.post("/{slug}/agent")
def agent_send(
    request: Request,
    db: Db,
    slug: str,
    subject: str = Form(""),
    body: str = Form(""),
    email: str = Form(""),
    integration: str = Form(""),
) -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    values = {"subject": subject, "body": body, "email": email}
    available = config.mailbox_for(db, found.row) is not None

    def again(status: int, errors: dict[str, str]) -> Response:
        return public.page(
            request, found, "citizens/agent.html", status_code=status,
            available=available, values=values, errors=errors,
        )  # fmt: skip

    if not available:
        return again(409, {"": "Cette collectivité ne reçoit pas de messages par ce site."})
    try:
        handoff.check(subject, body, email)
        limiter(request).admit(found.slug, address(request), "agent")
        handoff.send(db, found.row, subject=subject, body=body, email=email)
    except handoff.HandoffError as exc:
        return again(422, exc.errors)
    except Limited as exc:
        response = again(429, {"": exc.message_fr})
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return public.page(request, found, "citizens/agent_sent.html")


@router.get("/{slug}/sources/{document_id}")
def source(
    request: Request, db: Db, slug: str, document_id: int, integration: str = ""
) -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    document = db.get(Document, document_id)
    if (
        document is None
        or document.tenant_id != found.tenant.id
        or document.collection_id not in config.published_ids(db, found.row)
        or document.status != DocumentStatus.READY.value
    ):
        raise HTTPException(404, NO_SOURCE_FR)
    chunks = db.scalars(
        select(Chunk).where(Chunk.document_id == document.id).order_by(Chunk.ordinal)
    ).all()
    return public.page(request, found, "citizens/source.html", document=document, chunks=chunks)
