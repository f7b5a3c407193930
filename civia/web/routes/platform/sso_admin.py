"""The operator's single sign-on page: the declared OpenID providers, add or remove one."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.manage import AccountError
from civia.tenants import platform, sso
from civia.web.deps import Db, OperatorUser
from civia.web.render import render

router = APIRouter(prefix="/plateforme/sso")


def _pairs(text: str) -> dict[str, str]:
    """`key=value` lines (or comma-separated) into a mapping, in order."""
    found: dict[str, str] = {}
    for part in text.replace(",", "\n").splitlines():
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise AccountError(f"Ligne invalide : « {part.strip()} » (attendu : clé=valeur).")
        found[key.strip()] = value.strip()
    return found


def _page(
    request: Request,
    db: Db,
    ok: str = "",
    error: str = "",
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> Response:
    """`typed`: a refused declaration as sent, shown again beside the error."""
    return render(
        request,
        "tenants/sso.html",
        status_code=status,
        providers=sso.providers(db),
        tenants=platform.collectivites(db),
        claim_keys=sso.CLAIM_KEYS,
        typed=typed or {"scopes": "openid email profile"},
        ok=ok,
        error=error,
    )


@router.get("")
def index(request: Request, db: Db, operator: OperatorUser, ok: str = "") -> Response:
    return _page(request, db, ok=ok)


@router.post("")
def add(
    request: Request,
    db: Db,
    operator: OperatorUser,
    name: Annotated[str, Form(max_length=63)],
    label: Annotated[str, Form(max_length=200)],
    issuer: Annotated[str, Form(max_length=500)],
    client_id: Annotated[str, Form(max_length=200)],
    client_secret_env: Annotated[str, Form(max_length=100)] = "",
    scopes: Annotated[str, Form(max_length=300)] = "openid email profile",
    claims: Annotated[str, Form(max_length=2000)] = "",
    roles: Annotated[str, Form(max_length=2000)] = "",
    tenant: Annotated[str, Form(max_length=63)] = "",
) -> Response:
    try:
        sso.add_provider(
            db,
            name=name.strip(),
            label=label.strip(),
            issuer=issuer.strip(),
            client_id=client_id.strip(),
            client_secret_env=client_secret_env.strip(),
            scopes=scopes.strip() or "openid",
            claims=_pairs(claims),
            roles=_pairs(roles),
            tenant=platform.get_collectivite(db, tenant) if tenant else None,
        )
    except AccountError as exc:
        db.rollback()
        typed = {
            "name": name, "label": label, "issuer": issuer, "client_id": client_id,
            "client_secret_env": client_secret_env, "scopes": scopes, "claims": claims,
            "roles": roles, "tenant": tenant,
        }  # fmt: skip
        return _page(request, db, error=str(exc), status=422, typed=typed)
    return RedirectResponse(f"/plateforme/sso?ok={quote('Fournisseur ajouté.')}", status_code=303)


@router.post("/{name}/retirer")
def remove(request: Request, db: Db, operator: OperatorUser, name: str) -> Response:
    provider = sso.get_provider(db, name)
    if provider is None:
        return _page(request, db, error="Fournisseur inconnu.", status=404)
    db.delete(provider)
    return RedirectResponse(f"/plateforme/sso?ok={quote('Fournisseur retiré.')}", status_code=303)
