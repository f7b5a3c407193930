"""The queue of citizens' emails: list per service, a message with its proposed service and
draft, edit, validate (the reply goes to the mailbox's Drafts folder), fetch now."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.models import Service, User
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.mailbox import declared, fetch, follow, imap, process, queue, reply
from civia.mailbox.models import STATUS_LABELS, Mailbox, MailMessage, MessageStatus
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter()
MAX_DRAFT_CHARS = 20_000
NO_SENDER_FR = "L'adresse de l'expéditeur est illisible : répondez depuis votre messagerie."
KEPT_FR = "Votre réponse est enregistrée."


def _service_names(db: Db, user: User) -> dict[int, str]:
    return {s.id: s.name for s in queue.services(db, user)}


@router.get("/courriels")
def index(
    request: Request,
    db: Db,
    user: CurrentUser,
    service: str = "",
    releves: str = "",
    travaux: str = "",
) -> Response:
    """`releves`: how many messages « Relever maintenant » just brought in, `travaux`: the jobs
    analysing them (it redirects here, so reloading the page shows the queue again instead of
    fetching again). While their messages wait, the page asks this route every few seconds
    (HTMX): nothing to change (204), then `HX-Refresh` once they are analysed or after
    `follow.FOLLOW_FOR`, to show the analysed queue. The notice swaps nothing: a poll whose
    session expired gets the login redirect in a header (`HX-Redirect`), never a page."""
    notice = error = poll = ""
    if re.fullmatch(r"[0-9]{1,6}", releves):
        ids = follow.job_ids(travaux)
        followed = follow.follow(db, user.tenant_id, int(releves), ids)
        if request.headers.get("hx-request"):
            if followed.asks:
                return Response(status_code=204)
            return Response(status_code=200, headers={"HX-Refresh": "true"})
        notice = followed.notice()
        if followed.asks:
            poll = f"/courriels?releves={followed.new}&travaux={','.join(map(str, ids))}"
        error = " ".join(
            b.last_error
            for b in db.scalars(
                select(Mailbox).where(Mailbox.tenant_id == user.tenant_id, Mailbox.active.is_(True))
            )
            if b.last_error
        )
    return queue_page(request, db, user, service=service, notice=notice, error=error, poll=poll)


def queue_page(
    request: Request,
    db: Db,
    user: User,
    *,
    service: str = "",
    notice: str = "",
    error: str = "",
    poll: str = "",
) -> Response:
    """`poll`: the address the notice asks until the analysis of the messages is over."""
    names = _service_names(db, user)
    chosen = (
        int(service) if re.fullmatch(r"[0-9]{1,18}", service) and int(service) in names else None
    )
    if chosen is None and not queue.sees_all(user) and service != "tous":
        chosen = user.service_id
    boxes = list(db.scalars(select(Mailbox).where(Mailbox.tenant_id == user.tenant_id)))
    return render(
        request,
        "mailbox/index.html",
        messages=queue.list_for(db, user, service_id=chosen),
        services=names,
        chosen=chosen,
        sees_all=queue.sees_all(user),
        labels=STATUS_LABELS,
        boxes=boxes,
        box_labels=_labels(request, user) if boxes else {},
        when=queue.when_fr,
        notice=notice,
        error=error,
        poll=poll,
    )


def _labels(request: Request, user: User) -> dict[str, str]:
    """The operator's label of each declared mailbox (« Accueil de la mairie »), by key; {} when
    the file cannot be read (the page then shows the keys, and fetching says what is wrong)."""
    try:
        found = declared.for_tenant(request.app.state.settings, user.tenant.slug)
    except (OSError, ValueError):  # TOMLDecodeError and DeclarationError are ValueErrors
        return {}
    return {key: box.label for key, box in found.items()}


@router.post("/courriels/relever")
def fetch_now(request: Request, db: Db, user: CurrentUser) -> Response:
    """« Relever maintenant »: fetch the tenant's mailboxes; the new messages' analysis starts
    at once in the background (a job per mailbox, queued for this agent, on the `courriels`
    queue), followed by the page it leads to."""
    settings = request.app.state.settings
    ids = list(
        db.scalars(
            select(Mailbox.id).where(Mailbox.tenant_id == user.tenant_id, Mailbox.active.is_(True))
        )
    )
    db.commit()
    if not ids:
        return queue_page(request, db, user, error="Aucune boîte partagée n'est connectée.")
    reports = [fetch.fetch(request.app.state.sessions, i, settings, user_id=user.id) for i in ids]
    # Post/Redirect/Get: the errors are kept on each mailbox and shown from there.
    address = f"/courriels?releves={sum(r.new for r in reports)}"
    started = [str(r.job_id) for r in reports if r.job_id is not None]
    if started:
        address += f"&travaux={','.join(started)}"
    return RedirectResponse(address, status_code=303)


def message_page(
    request: Request,
    db: Db,
    user: User,
    message: MailMessage,
    *,
    status_code: int = 200,
    error: str = "",
    notice: str = "",
) -> Response:
    names = _service_names(db, user)
    return render(
        request,
        "mailbox/message.html",
        status_code=status_code,
        message=message,
        services=names,
        labels=STATUS_LABELS,
        when=queue.when_fr,
        pii=queue.pii_fr,
        error=error,
        notice=notice,
        editable=message.status in (MessageStatus.TO_REVIEW, MessageStatus.FAILED),
    )


def _found(db: Db, user: User, message_id: int) -> MailMessage:
    message = queue.get(db, user, message_id)
    if message is None:
        raise HTTPException(404, "Ce message n'existe pas ou n'est pas dans votre file.")
    return message


@router.get("/courriels/{message_id}")
def show(request: Request, db: Db, user: CurrentUser, message_id: int) -> Response:
    return message_page(request, db, user, _found(db, user, message_id))


def _apply_edits(db: Db, user: User, message: MailMessage, draft: str, service_id: str) -> str:
    """Save the agent's draft and service; a French problem, or ""."""
    if len(draft) > MAX_DRAFT_CHARS:
        return f"La réponse dépasse {MAX_DRAFT_CHARS} caractères : raccourcissez-la."
    message.draft = draft.strip()
    if service_id:
        known = service_id.isdigit() and db.scalar(
            select(Service.id).where(
                Service.id == int(service_id), Service.tenant_id == user.tenant_id
            )
        )
        if not known:
            return "Ce service n'existe pas dans votre collectivité."
        message.service_id = int(service_id)
    return ""


@router.post("/courriels/{message_id}")
def save(
    request: Request,
    db: Db,
    user: CurrentUser,
    message_id: int,
    draft: str = Form(""),
    service_id: str = Form(""),
    action: str = Form("enregistrer"),
) -> Response:
    message = _found(db, user, message_id)
    if message.status not in (MessageStatus.TO_REVIEW, MessageStatus.FAILED):
        return message_page(
            request,
            db,
            user,
            message,
            status_code=409,
            error="Ce message a déjà été traité : il ne peut plus être modifié.",
        )
    problem = _apply_edits(db, user, message, draft, service_id)
    if problem:
        db.rollback()
        message = _found(db, user, message_id)
        message.draft = draft[:MAX_DRAFT_CHARS]  # shown back, not saved
        return message_page(request, db, user, message, status_code=422, error=problem)
    if action == "ecarter":
        message.status = MessageStatus.SET_ASIDE
        _audit(db, user, message, "mailbox.set_aside")
        return RedirectResponse(f"/courriels/{message.id}", status_code=303)
    if action != "valider":
        return message_page(request, db, user, message, notice="Modifications enregistrées.")
    return _validate(request, db, user, message)


def _validate(request: Request, db: Db, user: User, message: MailMessage) -> Response:
    if not message.draft.strip():
        return message_page(
            request,
            db,
            user,
            message,
            status_code=422,
            error="La réponse est vide : écrivez-la avant de la valider.",
        )
    if not message.sender:
        return message_page(request, db, user, message, status_code=422, error=NO_SENDER_FR)
    settings = request.app.state.settings
    box = db.get(Mailbox, message.mailbox_id)
    found = declared.find(settings, user.tenant.slug, box.key if box else "")
    if isinstance(found, str):
        db.commit()  # the agent's edits are kept
        return message_page(request, db, user, message, status_code=409, error=f"{found} {KEPT_FR}")
    db.commit()  # the agent's edits are kept whatever happens next
    try:
        with imap.connect(found) as client:
            imap.append_draft(client, found.drafts, reply.build(message, found, message.draft))
    except imap.MailboxUnavailable as exc:
        return message_page(
            request,
            db,
            user,
            message,
            status_code=502,
            error=f"{exc.message_fr} Votre réponse est enregistrée : réessayez.",
        )
    message.status = MessageStatus.FILED
    message.validated_by, message.validated_at = user.id, utcnow()
    _audit(db, user, message, "mailbox.reply_filed")
    return RedirectResponse(f"/courriels/{message.id}", status_code=303)


@router.post("/courriels/{message_id}/reanalyser")
def reanalyse(request: Request, db: Db, user: CurrentUser, message_id: int) -> Response:
    message = _found(db, user, message_id)
    if message.status != MessageStatus.FAILED:
        return message_page(
            request,
            db,
            user,
            message,
            status_code=409,
            error="Seul un message dont l'analyse a échoué peut être relancé.",
        )
    process.retry(db, message)
    return RedirectResponse(f"/courriels/{message.id}", status_code=303)


def _audit(db: Db, user: User, message: MailMessage, action: str) -> None:
    details: dict[str, Any] = {"service_id": message.service_id}
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action=action,
        target=f"courriel:{message.id}",
        details=details,
    )
