"""The operator's provider credentials: which key (variable or file) may be sent to which base
URLs, for which collectivités. Admins then pick among them by label."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.audit import journal as audit
from civia.providers import credentials
from civia.providers.secrets import KeySourceRefused
from civia.tenants import platform
from civia.web.deps import Db, OperatorUser
from civia.web.render import render

router = APIRouter(prefix="/plateforme/cles")


def _page(request: Request, db: Db, ok: str = "", error: str = "", status: int = 200) -> Response:
    rows = credentials.all_credentials(db)
    return render(
        request,
        "tenants/credentials.html",
        status_code=status,
        rows=[(c, credentials.users_of(db, c)) for c in rows],
        tenants=platform.collectivites(db),
        ok=ok,
        error=error,
    )


@router.get("")
def index(request: Request, db: Db, operator: OperatorUser, ok: str = "") -> Response:
    return _page(request, db, ok=ok)


@router.post("")
async def save(
    request: Request,
    db: Db,
    operator: OperatorUser,
    name: Annotated[str, Form(max_length=64)],
    label: Annotated[str, Form(max_length=200)],
    key_env: Annotated[str, Form(max_length=100)] = "",
    key_file: Annotated[str, Form(max_length=500)] = "",
    base_urls: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    form = await request.form()
    known = {t.slug for t in platform.collectivites(db)}
    slugs = [str(v) for v in form.getlist("tenants") if str(v) in known]
    try:
        row = credentials.declare(
            db,
            name=name,
            label=label,
            key_env=key_env,
            key_file=key_file,
            base_urls=base_urls.replace(",", "\n").splitlines(),
            tenant_slugs=slugs,
        )
    except KeySourceRefused as exc:
        db.rollback()
        return _page(request, db, error=str(exc), status=422)
    audit.record(
        db,
        tenant_id=operator.tenant_id,
        actor=operator,
        action="credential.declared",
        target=f"credential:{row.id}",
        details={"name": row.name, "base_urls": row.base_urls, "tenants": row.tenant_slugs},
    )
    return RedirectResponse(
        f"/plateforme/cles?ok={quote(f'Clé « {row.label} » enregistrée.')}", status_code=303
    )


@router.post("/{name}/retirer")
def remove(request: Request, db: Db, operator: OperatorUser, name: str) -> Response:
    if not credentials.remove(db, name):
        return _page(request, db, error="Clé inconnue.", status=404)
    audit.record(
        db,
        tenant_id=operator.tenant_id,
        actor=operator,
        action="credential.removed",
        target=f"credential:{name}",
    )
    return RedirectResponse(f"/plateforme/cles?ok={quote('Clé retirée.')}", status_code=303)
