"""Single sign-on pages: leave for the provider, come back with a code, leave again on logout."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.sessions import open_session
from civia.accounts.tokens import same
from civia.audit import journal as audit
from civia.tenants import oidc, sso
from civia.tenants.oidc import SsoError
from civia.web.deps import SESSION_COOKIE, Db
from civia.web.redirects import safe_next
from civia.web.render import render

router = APIRouter(prefix="/sso")
log = logging.getLogger("civia.sso")
STATE_COOKIE = "civia_sso_state"
PROVIDER_COOKIE = "civia_sso_provider"
HINT_COOKIE = "civia_sso_hint"
UNKNOWN = "Ce fournisseur d'identité n'est pas déclaré sur cette plateforme."


def _refused(request: Request, error: SsoError) -> Response:
    response = render(request, "error.html", status_code=error.status, message=error.message)
    response.delete_cookie(STATE_COOKIE, path="/sso")
    return response


def _redirect_uri(request: Request, name: str) -> str:
    return str(request.url_for("sso_return", name=name))


@router.get("/{name}/connexion")
def leave(request: Request, db: Db, name: str, suivant: str = "/") -> Response:
    provider = sso.get_provider(db, name)
    if provider is None:
        return _refused(request, SsoError(UNKNOWN, 404))
    try:
        started = oidc.start(provider, _redirect_uri(request, name))
    except SsoError as exc:
        return _refused(request, exc)
    sso.remember(
        db,
        provider,
        state=started.state,
        nonce=started.nonce,
        verifier=started.code_verifier,
        next_path=safe_next(suivant),
    )
    response = RedirectResponse(started.url, status_code=303)
    # Binds the answer to this browser: a state sent to someone else's browser is refused.
    response.set_cookie(
        STATE_COOKIE,
        started.state,
        httponly=True,
        samesite="lax",
        path="/sso",
        max_age=sso.PENDING_MINUTES * 60,
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.get("/{name}/retour", name="sso_return")
def come_back(
    request: Request, db: Db, name: str, state: str = "", code: str = "", error: str = ""
) -> Response:
    provider = sso.get_provider(db, name)
    if provider is None:
        return _refused(request, SsoError(UNKNOWN, 404))
    cookie = request.cookies.get(STATE_COOKIE, "")
    try:
        if not state or not cookie or not same(cookie, state):
            raise SsoError(sso.EXPIRED, 400)
        pending = sso.take(db, provider, state)
        if error or not code:
            raise SsoError(
                "La connexion a été annulée ou refusée par le fournisseur d'identité.", 401
            )
        claims, id_token = oidc.finish(
            provider,
            code=code,
            redirect_uri=_redirect_uri(request, name),
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
        )
        user = sso.account(db, provider, claims)
    except SsoError as exc:
        db.commit()  # the pending login stays consumed
        log.info("sso refused provider=%s status=%s", name, exc.status)
        return _refused(request, exc)
    settings = request.app.state.settings
    token, _ = open_session(db, user, hours=settings.session_hours)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="login.success",
        details={"sso": provider.name},
    )
    response = RedirectResponse(pending.next_path, status_code=303)
    age = int(settings.session_hours * 3600)
    secure = settings.secure_cookies
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, max_age=age
    )
    response.set_cookie(
        PROVIDER_COOKIE, provider.name, httponly=True, samesite="lax", secure=secure, max_age=age
    )
    response.set_cookie(
        HINT_COOKIE, id_token, httponly=True, samesite="lax", secure=secure, max_age=age
    )
    response.delete_cookie(STATE_COOKIE, path="/sso")
    log.info("sso login ok user_id=%s provider=%s", user.id, provider.name)
    return response


def provider_logout(request: Request, db: Db) -> Response | None:
    """For a user who came through a provider, the page that sends them on to end their
    session there too (RP-initiated logout), or None.

    A page rather than a redirect: the sign-out form posts to Civia, and the browser applies
    Civia's `form-action 'self'` to every redirect of that form's navigation, so a redirect to
    the provider would be blocked. The page moves on at once (meta refresh) and offers the link."""
    name = request.cookies.get(PROVIDER_COOKIE)
    hint = request.cookies.get(HINT_COOKIE)
    provider = sso.get_provider(db, name) if name else None
    if provider is None or not hint:
        return None
    url = oidc.end_session_url(provider, hint, str(request.url_for("login_page")))
    if url is None:
        return None
    return render(request, "tenants/sso_logout.html", user=None, url=url, label=provider.label)
