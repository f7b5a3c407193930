"""The AI charter: read and accept (/charte, every user), edit (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.models import User
from civia.governance import charter
from civia.web.deps import AdminBeforeCharter, Db, UserBeforeCharter
from civia.web.markdown import render as md
from civia.web.redirects import safe_next
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter()


@router.get("/charte")
def read(request: Request, db: Db, user: UserBeforeCharter, suivant: str = "/") -> Response:
    return _page(request, db, user, suivant=suivant)


def _page(
    request: Request, db: Db, user: User, *, suivant: str, error: str = "", status: int = 200
) -> Response:
    text = charter.current(db, user.tenant_id)
    return render(
        request,
        "governance/charter.html",
        status_code=status,
        charter=text,
        body=md(text.body),
        needs=charter.needs_acceptance(db, user),
        accepted=charter.accepted_version(db, user),
        suivant=safe_next(suivant),
        error=error,
    )


@router.post("/charte")
def accept(
    request: Request,
    db: Db,
    user: UserBeforeCharter,
    version: Annotated[int, Form()],
    suivant: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        charter.accept(db, user, version=version)
    except charter.CharterError as exc:
        return _page(request, db, user, suivant=suivant, error=str(exc), status=409)
    return RedirectResponse(safe_next(suivant), status_code=303)


@router.get("/gouvernance/charte")
def edit(request: Request, db: Db, user: AdminBeforeCharter, ok: str = "") -> Response:
    return _edit(request, db, user, ok=ok)


def _edit(
    request: Request,
    db: Db,
    user: User,
    *,
    ok: str = "",
    error: str = "",
    draft: tuple[str, str] | None = None,
) -> Response:
    text = charter.current(db, user.tenant_id)
    accepted, total = charter.acceptance_counts(db, user.tenant_id)
    title, body = draft or (text.title, text.body)
    return render(
        request,
        "governance/charter_edit.html",
        status_code=422 if error else 200,
        charter=text,
        title=title,
        body=body,
        versions=charter.history(db, user.tenant_id),
        accepted=accepted,
        total=total,
        md=md,
        ok=ok,
        error=error,
    )


@router.post("/gouvernance/charte")
def publish(
    request: Request,
    db: Db,
    user: AdminBeforeCharter,
    title: Annotated[str, Form(max_length=200)],
    body: Annotated[str, Form(max_length=charter.MAX_BODY)],
) -> Response:
    try:
        row = charter.publish(db, author=user, title=title, body=body)
    except charter.CharterError as exc:
        db.rollback()
        return _edit(request, db, user, error=str(exc), draft=(title, body))
    return back(
        "/gouvernance/charte",
        f"Version {row.version} publiée : chaque utilisateur devra l'accepter.",
    )
