"""The public transparency page and its open data (no login)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from civia.accounts.models import Tenant
from civia.governance import transparency
from civia.web.deps import Db
from civia.web.json_schema import JSON_TAG, JsonDocument, responses
from civia.web.render import render

router = APIRouter(prefix="/transparence")
OPEN_DATA = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}


def _tenant(db: Db, slug: str) -> Tenant:
    tenant = transparency.tenant_by_slug(db, slug)
    if tenant is None:
        raise HTTPException(404, "Cette collectivité n'existe pas.")
    return tenant


def _services(request: Request, db: Db, tenant: Tenant) -> dict[str, str]:
    """Other areas' services switched on for this collectivité (the public assistant)."""
    found: dict[str, str] = {}
    for names in request.app.state.registries.governance.in_use.values():
        found.update(names(db, tenant.id))
    return found


# The .json and .csv routes come first: "{slug}" alone would also match "demoville.json".
@router.get(
    "/{slug}.json", tags=[JSON_TAG], responses=responses(200, JsonDocument, 404, public=True)
)
def as_json(request: Request, db: Db, slug: str) -> Response:
    tenant = _tenant(db, slug)
    data = transparency.as_json(db, tenant, _services(request, db, tenant))
    return JSONResponse(data, headers=OPEN_DATA)


@router.get("/{slug}.csv")
def as_csv(request: Request, db: Db, slug: str) -> Response:
    tenant = _tenant(db, slug)
    headers = {**OPEN_DATA, "Content-Disposition": f'inline; filename="ia-{tenant.slug}.csv"'}
    return Response(
        transparency.as_csv(db, tenant, _services(request, db, tenant)),
        media_type="text/csv; charset=utf-8",
        headers=headers,
    )


@router.get("/{slug}")
def page(request: Request, db: Db, slug: str) -> Response:
    tenant = _tenant(db, slug)
    return render(
        request,
        "governance/transparency.html",
        tenant=tenant,
        rows=transparency.rows(db, tenant, _services(request, db, tenant)),
        contact=transparency.contact(db, tenant),
        unreviewed=transparency.unreviewed(db, tenant.id),
    )
