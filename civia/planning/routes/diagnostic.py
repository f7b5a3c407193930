"""Pages of the maturity diagnostic: /pilotage/diagnostic."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from civia.accounts.branding import branding_of
from civia.dates import date_fr
from civia.db.base import utcnow
from civia.planning import charts, diagnostics, exports, scoring
from civia.planning.grid import Grid, GridError, builtin
from civia.planning.models import Diagnostic
from civia.web.deps import Db, SteeringUser
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter(prefix="/pilotage/diagnostic")
PAGE = "/pilotage/diagnostic"


def _grid(db: Db, user: SteeringUser, slug: str) -> Grid:
    found = diagnostics.grids(db, user.tenant_id).get(slug or builtin().slug)
    if found is None:
        raise HTTPException(404, "Grille de diagnostic introuvable.")
    return found


def _row(db: Db, user: SteeringUser, diagnostic_id: int) -> Diagnostic:
    row = diagnostics.get(db, user.tenant_id, diagnostic_id)
    if row is None:
        raise HTTPException(404, "Diagnostic introuvable.")
    return row


@router.get("")
def index(request: Request, db: Db, user: SteeringUser, ok: str = "", error: str = "") -> Response:
    rows = diagnostics.listed(db, user.tenant_id)
    latest = rows[-1] if rows else None
    grid = diagnostics.grid_of(latest) if latest else builtin()
    series = diagnostics.series(rows[-4:], grid)
    return render(
        request,
        "planning/diagnostics.html",
        rows=list(reversed(rows)),
        latest=latest,
        result=diagnostics.result_of(latest) if latest else None,
        grid=grid,
        series=series,
        radar=charts.radar("Maturité par dimension", [d.label for d in grid.dimensions], series)
        if series
        else None,
        legend=charts.legend(series),
        swatch=charts.swatch,
        grids=diagnostics.grids(db, user.tenant_id),
        lineages=diagnostics.lineages(db, user.tenant_id),
        LEVEL_LABELS=diagnostics.LEVEL_LABELS,
        ok=ok,
        error=error,
    )


def _form(
    request: Request,
    grid: Grid,
    *,
    title: str = "",
    answers: dict[str, int] | None = None,
    error: str = "",
    missing: list[str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "planning/diagnostic_form.html",
        status_code=status,
        grid=grid,
        title=title,
        answers=answers or {},
        error=error,
        missing=missing or [],
    )


@router.get("/nouveau")
def new(request: Request, db: Db, user: SteeringUser, grille: str = "") -> Response:
    grid = _grid(db, user, grille)
    return _form(request, grid, title=f"Diagnostic du {date_fr(utcnow())}")


def _answers(form: FormData) -> dict[str, int]:
    found = {}
    for key, value in form.multi_items():
        if key.startswith("q_") and isinstance(value, str) and value.isdigit():
            found[key[2:]] = int(value)
    return found


@router.post("")
async def create(request: Request, db: Db, user: SteeringUser) -> Response:
    form = await request.form()
    grid = _grid(db, user, str(form.get("grille", "")))
    title = str(form.get("title", ""))
    answers = _answers(form)
    try:
        row = diagnostics.create(db, user=user, grid=grid, title=title, answers=answers)
    except scoring.AnswerError as exc:
        return _form(
            request,
            grid,
            title=title,
            answers=answers,
            error=str(exc),
            missing=exc.missing,
            status=422,
        )
    return RedirectResponse(f"{PAGE}/{row.id}", status_code=303)


@router.get("/grilles/{slug}.yaml")
def export_grid(db: Db, user: SteeringUser, slug: str) -> Response:
    grid = _grid(db, user, slug)
    return Response(
        grid.as_yaml(),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{grid.slug}.yaml"'},
    )


@router.post("/grilles")
async def import_grid(db: Db, user: SteeringUser, fichier: UploadFile) -> Response:
    try:
        grid = diagnostics.import_grid(db, user=user, text=await fichier.read(256 * 1024))
    except GridError as exc:
        db.rollback()
        return RedirectResponse(f"{PAGE}?error={_q(str(exc))}", status_code=303)
    return back(
        PAGE, f"Grille « {grid.title} » importée : elle est proposée pour un nouveau diagnostic."
    )


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:1500])


@router.get("/{diagnostic_id:int}")
def show(
    request: Request, db: Db, user: SteeringUser, diagnostic_id: int, comparer: int = 0
) -> Response:
    row = _row(db, user, diagnostic_id)
    grid = diagnostics.grid_of(row)
    others = [
        r
        for r in diagnostics.listed(db, user.tenant_id)
        if r.id != row.id and list(r.scores) == list(row.scores)
    ]
    earlier = [r for r in others if r.created_at <= row.created_at]
    chosen = next((r for r in others if r.id == comparer), None)
    if chosen is None and not comparer and earlier:
        chosen = earlier[-1]
    shown = sorted([r for r in (chosen, row) if r is not None], key=lambda r: r.created_at)
    series = diagnostics.series(shown, grid)
    return render(
        request,
        "planning/diagnostic.html",
        row=row,
        grid=grid,
        result=diagnostics.result_of(row),
        others=others,
        chosen=chosen,
        shown=shown,
        series=series,
        radar=charts.radar("Maturité par dimension", [d.label for d in grid.dimensions], series),
        legend=charts.legend(series),
        swatch=charts.swatch,
        formats=exports.FORMATS,
    )


@router.get("/{diagnostic_id:int}/export.{fmt}")
def export(db: Db, user: SteeringUser, diagnostic_id: int, fmt: str) -> Response:
    if fmt not in exports.FORMATS:
        raise HTTPException(404, "Format d'export inconnu : choisissez DOCX ou PDF.")
    row = _row(db, user, diagnostic_id)
    earlier = [r for r in diagnostics.listed(db, user.tenant_id) if r.created_at < row.created_at]
    data, mime, name = exports.export(
        row,
        fmt,
        collectivite=branding_of(user.tenant).name,
        author=user.display_name,
        earlier=earlier[-2:],
        tenant=user.tenant,
    )
    return Response(
        data, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
