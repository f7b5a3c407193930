"""Login and logout."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.models import User
from civia.accounts.passwords import verify_password
from civia.accounts.sessions import close_session, open_session, resolve_session
from civia.accounts.tokens import new_secret, same
from civia.audit import journal as audit
from civia.web.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE, CsrfFailed, Db
from civia.web.redirects import safe_next
from civia.web.render import render

router = APIRouter()
log = logging.getLogger("civia.accounts")
BAD_LOGIN = "Identifiant ou mot de passe incorrect."
SUSPENDED = (
    "Votre collectivité est suspendue sur cette plateforme : la connexion est impossible. "
    "Contactez votre centre de gestion."
)
PASSWORDS_OFF = (
    "La connexion par mot de passe est désactivée pour votre collectivité : "
    "utilisez l'authentification unique."
)
THROTTLED = "Trop de tentatives de connexion. Patientez une minute avant de réessayer."


@router.get("/connexion")
def login_page(request: Request, db: Db, suivant: str = "/") -> Response:
    from civia.tenants import sso

    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_secret()
    response = render(
        request,
        "login.html",
        login_csrf=token,
        suivant=safe_next(suivant),
        sso_providers=sso.providers(db),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.post("/connexion")
def login(
    request: Request,
    db: Db,
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form()] = "",
    suivant: Annotated[str, Form()] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not same(cookie, csrf_token):
        raise CsrfFailed
    settings = request.app.state.settings
    limiter = request.app.state.limiter
    ip = request.client.host if request.client else "?"
    login = login.strip().lower()

    def fail(message: str, status: int) -> Response:
        return render(
            request,
            "login.html",
            status_code=status,
            error=message,
            login=login,
            login_csrf=cookie,
            suivant=safe_next(suivant),
        )

    user = db.scalar(select(User).where(User.login == login))
    # The typed login is never logged nor audited: it may be a password typed in the wrong field.
    tenant_id, target = (user.tenant_id, f"user:{user.id}") if user else (None, "")
    if limiter.blocked(login, ip):
        if limiter.report_throttled(login):
            log.warning("login throttled user_id=%s ip=%s", user.id if user else None, ip)
            audit.record(
                db, tenant_id=tenant_id, actor=None, action="login.throttled", target=target
            )
        return fail(THROTTLED, 429)
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        limiter.failed(login, ip)
        log.info("login failed user_id=%s ip=%s", user.id if user else None, ip)
        audit.record(db, tenant_id=tenant_id, actor=None, action="login.failure", target=target)
        return fail(BAD_LOGIN, 401)
    # Told only after a right password, so these messages reveal nothing to a guesser.
    if user.tenant.status != "active":
        return fail(SUSPENDED, 403)
    if not user.tenant.local_passwords:
        return fail(PASSWORDS_OFF, 403)
    token, _ = open_session(db, user, hours=settings.session_hours)
    audit.record(db, tenant_id=user.tenant_id, actor=user, action="login.success")
    response = RedirectResponse(safe_next(suivant), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=int(settings.session_hours * 3600),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    log.info("login ok user_id=%s", user.id)
    return response


@router.post("/deconnexion")
def logout(request: Request, db: Db, csrf_token: Annotated[str, Form()] = "") -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found = resolve_session(db, token, hours=request.app.state.settings.session_hours)
        if found and not same(csrf_token, found[1].csrf_token):
            raise CsrfFailed
        close_session(db, token)
    from civia.web.routes.platform import sso

    # Signed in through a provider: end the session there too (RP-initiated logout).
    response = sso.provider_logout(request, db) or RedirectResponse("/connexion", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(sso.PROVIDER_COOKIE)
    response.delete_cookie(sso.HINT_COOKIE)
    return response
