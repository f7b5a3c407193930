"""A collectivité's admin: its branding (name on documents, logo, colours, letterhead,
signatory), used by every export. The logo upload is hostile until re-encoded
(`civia.accounts.branding.sanitise_logo`)."""

from __future__ import annotations

import base64
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from civia.accounts import branding
from civia.audit import journal as audit
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin/identite")


def _page(
    request: Request,
    admin: AdminUser,
    *,
    ok: str = "",
    error: str = "",
    values: dict[str, str] | None = None,
) -> Response:
    brand = branding.branding_of(admin.tenant)
    current = {
        "display_name": brand.name,
        "address": brand.address,
        "city": brand.city,
        "phone": brand.phone,
        "email": brand.email,
        "letterhead_extra": brand.letterhead_extra,
        "signataire": brand.signatory,
        "autorite": brand.authority,
        "primary_colour": brand.primary_css,
        "secondary_colour": brand.secondary_css,
    }
    return render(
        request,
        "tenants/branding.html",
        status_code=422 if error else 200,
        fields=branding.TEXT_FIELDS,
        values={**current, **(values or {})},
        logo=base64.b64encode(brand.logo_png).decode("ascii") if brand.logo_png else "",
        ok=ok,
        error=error,
    )


@router.get("")
def index(request: Request, admin: AdminUser, ok: str = "") -> Response:
    return _page(request, admin, ok=ok)


@router.post("")
async def save(request: Request, db: Db, admin: AdminUser) -> Response:
    form = await request.form()
    values = {
        key: str(form.get(key) or "")[:1000]
        for key in (*branding.TEXT_FIELDS, "primary_colour", "secondary_colour")
    }
    upload = form.get("logo")
    logo = None
    if isinstance(upload, UploadFile) and upload.filename:
        logo = await upload.read(branding.MAX_LOGO_BYTES + 1)
    tenant = admin.tenant
    try:
        profile = branding.updated_profile(
            tenant,
            fields=values,
            primary_colour=values["primary_colour"],
            secondary_colour=values["secondary_colour"],
            logo=logo,
            remove_logo=form.get("remove_logo") == "oui",
        )
    except branding.BrandingError as exc:
        return _page(request, admin, error=str(exc), values=values)
    tenant.profile = profile
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="branding.changed",
        target=f"tenant:{tenant.id}",
        details={"logo": "logo_png_b64" in profile},
    )
    message = quote("Identité de la collectivité enregistrée : elle figure sur chaque export.")
    return RedirectResponse(f"/admin/identite?ok={message}", status_code=303)
