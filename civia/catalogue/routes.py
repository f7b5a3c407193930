"""Pages of the shared catalogue: /catalogue (référents, pilotage and admins of every
collectivité). A withdrawn or unknown entry answers 404, whoever asks."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.catalogue import entries
from civia.catalogue.entries import KIND_LABELS, CatalogueError, Kind
from civia.catalogue.models import CatalogueEntry
from civia.web.deps import Db, PoolerUser
from civia.web.render import render

router = APIRouter(prefix="/catalogue")
Text = Annotated[str, Form(max_length=2000)]
FLASH = {
    "retire": "Fiche retirée du catalogue : elle n'est plus proposée. Les copies déjà adoptées "
    "par d'autres collectivités restent les leurs.",
    "publie": "Fiche publiée dans le catalogue partagé : les autres collectivités peuvent la "
    "consulter et l'adopter.",
}


def _context(user: PoolerUser) -> dict[str, Any]:
    return {"KIND_LABELS": KIND_LABELS, "Kind": Kind, "may": lambda kind: entries.may(user, kind)}


@router.get("")
def index(request: Request, db: Db, user: PoolerUser, type: str = "", ok: str = "") -> Response:
    kind = type if type in {k.value for k in Kind} else ""
    rows = entries.live(db, kind=kind)
    return render(
        request,
        "catalogue/index.html",
        others=[e for e in rows if e.tenant_id != user.tenant_id],
        mine=[e for e in rows if e.tenant_id == user.tenant_id],
        kind=kind,
        publisher=entries.publisher,
        ok=FLASH.get(ok, ""),
        **_context(user),
    )


def _publish_page(
    request: Request, db: Db, user: PoolerUser, *, error: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "catalogue/publish.html",
        status_code=status,
        assistants=entries.publishable_assistants(db, user),
        grids=entries.publishable_grids(db, user),
        tenant_name=user.tenant.name,
        error=error,
        **_context(user),
    )


@router.get("/publier")
def publish_form(request: Request, db: Db, user: PoolerUser) -> Response:
    return _publish_page(request, db, user)


@router.post("/publier")
def publish(
    request: Request,
    db: Db,
    user: PoolerUser,
    kind: Text = "",
    source: Text = "",
    description: Text = "",
    named: Text = "",
) -> Response:
    if not source:
        return _publish_page(request, db, user, error="Choisissez l'élément à publier.", status=422)
    try:
        entry = entries.publish(
            db, user=user, kind=kind, key=source, description=description, named=named == "oui"
        )
    except CatalogueError as exc:
        db.rollback()
        if exc.status == 404:
            raise HTTPException(404, str(exc)) from None
        return _publish_page(request, db, user, error=str(exc), status=exc.status)
    return RedirectResponse(f"/catalogue/{entry.id}?ok=publie", status_code=303)


def _entry(db: Db, entry_id: int) -> CatalogueEntry:
    entry = entries.visible(db, entry_id)
    if entry is None:
        raise HTTPException(404, entries.NOT_FOUND)
    return entry


def _show(
    request: Request,
    user: PoolerUser,
    entry: CatalogueEntry,
    *,
    ok: str = "",
    error: str = "",
    slug: str = "",
    status: int = 200,
) -> Response:
    is_assistant = entry.kind == Kind.ASSISTANT.value
    return render(
        request,
        "catalogue/show.html",
        status_code=status,
        entry=entry,
        spec=entries.assistant_preview(entry) if is_assistant else None,
        grid=None if is_assistant else entries.grid_preview(entry),
        publisher=entries.publisher(entry),
        is_own=entry.tenant_id == user.tenant_id,
        slug=slug or str(entry.payload.get("id" if is_assistant else "slug", "")),
        ok=FLASH.get(ok, ""),
        error=error,
        **_context(user),
    )


@router.get("/{entry_id:int}")
def show(request: Request, db: Db, user: PoolerUser, entry_id: int, ok: str = "") -> Response:
    return _show(request, user, _entry(db, entry_id), ok=ok)


@router.post("/{entry_id:int}/adopter")
def adopt(request: Request, db: Db, user: PoolerUser, entry_id: int, slug: Text = "") -> Response:
    entry = _entry(db, entry_id)
    try:
        kind, key = entries.adopt(db, user=user, entry_id=entry.id, slug=slug)
    except CatalogueError as exc:
        db.rollback()
        if exc.status in (403, 404):
            raise HTTPException(exc.status, str(exc)) from None
        return _show(
            request, user, _entry(db, entry_id), error=str(exc), slug=slug, status=exc.status
        )
    if kind is Kind.ASSISTANT:
        return RedirectResponse(f"/atelier/{key}?ok=adopte", status_code=303)
    message = f"Grille adoptée : « {entry.title} » est proposée pour un nouveau diagnostic."
    return RedirectResponse(f"/pilotage/diagnostic?ok={quote(message)}", status_code=303)


@router.post("/{entry_id:int}/retirer")
def withdraw(db: Db, user: PoolerUser, entry_id: int) -> Response:
    try:
        entries.withdraw(db, user=user, entry_id=entry_id)
    except CatalogueError as exc:
        raise HTTPException(exc.status, str(exc)) from None
    return RedirectResponse("/catalogue?ok=retire", status_code=303)
