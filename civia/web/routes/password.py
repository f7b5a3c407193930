"""A user changes their own password (/compte/mot-de-passe)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from civia.accounts.password_change import PasswordChangeError, change_own_password
from civia.web.deps import CurrentUser, CurrentWebSession, Db
from civia.web.render import render

router = APIRouter(prefix="/compte/mot-de-passe")
Secret = Annotated[str, Form(max_length=1000)]
THROTTLED = "Trop d'essais du mot de passe actuel. Patientez une minute avant de réessayer."


@router.get("")
def page(request: Request, user: CurrentUser) -> Response:
    return render(request, "password.html", error="", field="", ok="")


@router.post("")
def change(
    request: Request,
    db: Db,
    user: CurrentUser,
    web_session: CurrentWebSession,
    current: Secret,
    new: Secret,
    confirmation: Secret,
) -> Response:
    limiter = request.app.state.limiter
    ip = request.client.host if request.client else "?"
    if limiter.blocked(user.login, ip):
        return render(request, "password.html", status_code=429, error=THROTTLED, field="current")
    try:
        revoked = change_own_password(
            db, user=user, current=current, new=new, confirmation=confirmation,
            keep_session=web_session.id,
        )  # fmt: skip
    except PasswordChangeError as exc:
        if exc.field == "current":  # a stolen session must not guess the password freely
            limiter.failed(user.login, ip)
        return render(
            request, "password.html", status_code=422, error=str(exc), field=exc.field, ok=""
        )
    ok = "Votre mot de passe a été changé. Vos autres sessions ont été fermées"
    ok += f" et vos {revoked} jetons d'API révoqués." if revoked > 1 else ""
    ok += " et votre jeton d'API révoqué." if revoked == 1 else ""
    ok += "." if revoked == 0 else ""
    return render(request, "password.html", error="", field="", ok=ok)
