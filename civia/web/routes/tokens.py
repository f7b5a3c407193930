"""A user's API tokens: create (shown once) and revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.dates import date_fr
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter(prefix="/compte/jetons")


@router.get("")
def page(request: Request, db: Db, user: CurrentUser) -> Response:
    return _page(request, db, user, new_token=None)


def _page(request: Request, db: Db, user: User, new_token: str | None) -> Response:
    return render(
        request,
        "tokens.html",
        tokens=api_tokens.list_for(db, user),
        new_token=new_token,
        days=request.app.state.settings.api_token_days,
        expired=api_tokens.expired,
        date_fr=date_fr,
    )


@router.post("")
def create(
    request: Request, db: Db, user: CurrentUser, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    days = request.app.state.settings.api_token_days
    token, _ = api_tokens.create(db, user=user, name=name, days=days)
    return _page(request, db, user, new_token=token)


@router.post("/{token_id}/revoquer")
def revoke(db: Db, user: CurrentUser, token_id: int) -> Response:
    if not api_tokens.revoke(db, user=user, token_id=token_id):
        raise HTTPException(404, "Ce jeton n'existe pas.")
    return RedirectResponse("/compte/jetons", status_code=303)
