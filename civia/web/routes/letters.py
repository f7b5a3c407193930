"""The collectivité's closing formulas per kind of recipient (admins): stored in the tenant's
profile (`formule_usager`, `formule_elu`, `formule_administration`), used by every courrier."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.models import Tenant
from civia.assistants.letters.salutation import DEFAULT_CLOSINGS, KINDS, PROFILE_KEYS, closing
from civia.audit import journal as audit
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin")
MAX_FORMULA = 300
LABELS = {"usager": "Aux usagers", "élu": "Aux élus", "administration": "Aux administrations"}
Formula = Annotated[str, Form(max_length=2000)]


def check(formulas: dict[str, str]) -> dict[str, str]:
    """French errors by kind; an empty formula means the default one."""
    errors = {}
    for kind, text in formulas.items():
        if len(text) > MAX_FORMULA:
            errors[kind] = f"La formule fait {len(text)} caractères ; maximum {MAX_FORMULA}."
        elif text and not text.rstrip().endswith("."):
            errors[kind] = "Terminez la formule par un point."
    return errors


def _page(
    request: Request, values: dict[str, str], ok: str = "", errors: dict[str, str] | None = None
) -> Response:
    chosen = {kind: text for kind, text in values.items() if text}
    examples = {kind: closing(kind, "Madame,", chosen) for kind in KINDS}
    return render(
        request,
        "letters/settings.html",
        status_code=422 if errors else 200,
        kinds=[(kind, LABELS[kind], PROFILE_KEYS[kind]) for kind in KINDS],
        values=values,
        defaults=DEFAULT_CLOSINGS,
        examples=examples,
        errors=errors or {},
        ok=ok,
    )


@router.get("/courriers")
def settings_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    profile = tenant.profile or {}
    values = {kind: str(profile.get(key) or "") for kind, key in PROFILE_KEYS.items()}
    return _page(request, values, ok=ok)


@router.post("/courriers")
def save_settings(
    request: Request,
    db: Db,
    admin: AdminUser,
    formule_usager: Formula = "",
    formule_elu: Formula = "",
    formule_administration: Formula = "",
) -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    given = {"usager": formule_usager, "élu": formule_elu, "administration": formule_administration}
    values = {kind: text.strip() for kind, text in given.items()}
    errors = check(values)
    if errors:
        return _page(request, values, errors=errors)
    before = tenant.profile or {}
    saved = {PROFILE_KEYS[kind]: text for kind, text in values.items()}
    changed = sorted(key for key, text in saved.items() if before.get(key, "") != text)
    tenant.profile = {**before, **saved}
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="policy.changed",
        target="formules de politesse des courriers",
        details={"changed": changed},
    )
    return RedirectResponse("/admin/courriers?ok=Formules enregistrées.", status_code=303)
