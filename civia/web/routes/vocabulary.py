"""The collectivité's transcription vocabulary (admins): names of élus, streets and services,
one per line, stored in the tenant's profile and given to the speech decoder of every
transcription (civia.providers.vocabulary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.models import Tenant
from civia.audit import journal as audit
from civia.providers import vocabulary
from civia.usage.equivalents import number_fr
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin")
# The form accepts a little more than the limit so that a long list gets a French message.
Terms = Annotated[str, Form(max_length=2 * vocabulary.MAX_CHARS)]


def _page(request: Request, text: str, ok: str = "", error: str = "") -> Response:
    terms = [] if error else vocabulary.parse(text)
    return render(
        request,
        "meetings/vocabulary.html",
        status_code=422 if error else 200,
        text=text,
        terms=terms,
        used=vocabulary.for_decoder(terms),
        max_terms=vocabulary.MAX_TERMS,
        max_chars=number_fr(vocabulary.MAX_CHARS, 0),
        decoder_chars=vocabulary.DECODER_CHARS,
        ok=ok,
        error=error,
    )


@router.get("/vocabulaire")
def vocabulary_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    return _page(request, "\n".join(vocabulary.of_profile(tenant.profile)), ok=ok)


@router.post("/vocabulaire")
def save_vocabulary(request: Request, db: Db, admin: AdminUser, termes: Terms = "") -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    try:
        terms = vocabulary.parse(termes)
    except vocabulary.VocabularyError as exc:
        return _page(request, termes, error=str(exc))
    before = vocabulary.of_profile(tenant.profile)
    tenant.profile = {**(tenant.profile or {}), vocabulary.PROFILE_KEY: terms}
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="policy.changed",
        target="vocabulaire de transcription",
        details={"terms": len(terms), "before": len(before)},
    )
    return RedirectResponse("/admin/vocabulaire?ok=Vocabulaire enregistré.", status_code=303)
