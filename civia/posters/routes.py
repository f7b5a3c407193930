"""The poster page of an « Affiche et visuel » result: every text editable, a layout and a
pictogram to choose, a preview, and the exports (A4 and A3 PDF, square and wide PNG)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.models import User
from civia.assistants import runs
from civia.assistants.catalogue import get as builtin
from civia.assistants.models import AssistantRun
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.posters import render as out
from civia.posters.content import (
    MAX_ALT,
    MAX_LINE,
    MAX_LINES,
    MAX_TAGLINE,
    MAX_TITLE,
    Brand,
    Poster,
    PosterError,
    brand_of,
    from_form,
    from_model,
)
from civia.posters.layout import LAYOUTS
from civia.posters.pictograms import catalogue
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter()
ASSISTANT_ID = "affiche"
PREVIEW = out.Format("apercu", "Aperçu", 420, 594, "png")  # A-series proportions, small
SAVED_FR = "Affiche enregistrée."
Text = Annotated[str, Form()]


def _run(db: Db, user: User, run_id: int) -> AssistantRun:
    found = runs.get_owned(db, user=user, run_id=run_id)
    if found is None or found.assistant_id != ASSISTANT_ID:
        raise HTTPException(404, "Cette affiche n'existe pas.")
    if found.status not in ("draft", "validated") or not found.data:
        raise HTTPException(409, "Les textes de l'affiche ne sont pas encore prêts.")
    return found


def _brand(user: User) -> Brand:
    return brand_of(user.tenant.name, user.tenant.profile)


def _credits(run: AssistantRun, user: User) -> out.Credits:
    spec = builtin(ASSISTANT_ID)
    return out.Credits(
        assistant_id=ASSISTANT_ID,
        assistant_name=spec.name if spec else "Affiche et visuel",
        model=run.model,
        author=user.display_name,
        made_at=utcnow(),
        ai_assisted=bool(run.model),  # the demo's hand-written texts name no model
    )


def _page(
    request: Request,
    run: AssistantRun,
    poster: Poster,
    *,
    errors: dict[str, str] | None = None,
    ok: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "posters/poster.html",
        status_code=status,
        run=run,
        poster=poster,
        errors=errors or {},
        ok=ok,
        layouts=LAYOUTS,
        pictograms=catalogue(),
        formats=out.FORMATS,
        limits={
            "titre": MAX_TITLE,
            "accroche": MAX_TAGLINE,
            "ligne": MAX_LINE,
            "lignes": MAX_LINES,
            "alt": MAX_ALT,
        },
    )


@router.get("/affiches/{run_id}")
def page(request: Request, db: Db, user: CurrentUser, run_id: int, ok: str = "") -> Response:
    found = _run(db, user, run_id)
    return _page(request, found, from_model(found.data or {}, _brand(user)), ok=ok)


@router.post("/affiches/{run_id}")
def save(
    request: Request,
    db: Db,
    user: CurrentUser,
    run_id: int,
    titre: Text = "",
    accroche: Text = "",
    infos: Text = "",
    pictogramme: Text = "",
    mise_en_page: Text = "",
    texte_alternatif: Text = "",
    exporter: Text = "",
) -> Response:
    """Save the edited texts; with `exporter`, answer the file in that format."""
    found = _run(db, user, run_id)
    brand = _brand(user)
    values = {"titre": titre, "accroche": accroche, "infos": infos, "pictogramme": pictogramme,
              "mise_en_page": mise_en_page, "texte_alternatif": texte_alternatif}  # fmt: skip
    if exporter and exporter not in out.FORMATS:
        raise HTTPException(404, "Ce format n'est pas proposé.")
    try:
        poster = from_form(values, brand, previous=from_model(found.data or {}, brand))
    except PosterError as exc:
        typed = Poster(
            titre, accroche, infos.splitlines(), pictogramme, mise_en_page, texte_alternatif
        )
        return _page(request, found, typed, errors=exc.errors, status=422)
    found.data = {**(found.data or {}), "affiche": poster.as_data()}
    found.updated_at = utcnow()
    if not exporter:
        db.commit()
        return RedirectResponse(f"/affiches/{found.id}?ok=1", status_code=303)
    content, mime, filename = out.export(poster, brand, exporter, _credits(found, user))
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="export.downloaded",
        target=f"resultat:{found.id}",
        details={"assistant_id": ASSISTANT_ID, "format": exporter},
    )
    return Response(
        content,
        media_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/affiches/{run_id}/apercu/{fmt}")
def preview(db: Db, user: CurrentUser, run_id: int, fmt: str) -> Response:
    """The saved poster as a small PNG, in the proportions of `fmt`."""
    found = _run(db, user, run_id)
    chosen = out.FORMATS.get(fmt)
    if chosen is None:
        raise HTTPException(404, "Ce format n'est pas proposé.")
    shape = PREVIEW
    if chosen.kind == "png":
        scale = 480 / chosen.width
        shape = out.Format("apercu", "Aperçu", 480, round(chosen.height * scale), "png")
    brand = _brand(user)
    poster = from_model(found.data or {}, brand)
    content = out.to_png(poster, brand, shape, _credits(found, user))
    return Response(content, media_type="image/png", headers={"Cache-Control": "no-store"})
