"""The use-case portfolio: /pilotage/portefeuille."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.models import Service, User
from civia.planning import charts, drafts, pooling, portfolio, survey
from civia.planning.models import Candidate
from civia.web.deps import Db, SteeringUser
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter(prefix="/pilotage/portefeuille")
PAGE = "/pilotage/portefeuille"
Text = Annotated[str, Form()]


def _services(db: Db, user: User) -> dict[int, str]:
    rows = db.scalars(select(Service).where(Service.tenant_id == user.tenant_id))
    return {s.id: s.name for s in sorted(rows, key=lambda s: s.name)}


def _row(db: Db, user: SteeringUser, candidate_id: int) -> Candidate:
    row = portfolio.get(db, user.tenant_id, candidate_id)
    if row is None:
        raise HTTPException(404, "Cas candidat introuvable.")
    return row


def _fail(path: str, exc: Exception) -> Response:
    return RedirectResponse(f"{path}?error={quote(str(exc)[:500])}", status_code=303)


def _service_id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@router.get("")
def index(request: Request, db: Db, user: SteeringUser, ok: str = "", error: str = "") -> Response:
    items = portfolio.scored(db, user.tenant_id, user.id)
    services = _services(db, user)
    rated = [s for s in items if s.scorers]
    points = [
        charts.Point(str(i), s.case.title, s.means["ease"], s.means["impact"], s.case.circle)
        for i, s in enumerate(items, start=1)
        if s.scorers
    ]
    return render(
        request,
        "planning/portfolio.html",
        items=items,
        numbers={s.case.id: i for i, s in enumerate(items, start=1)},
        rated=rated,
        matrix=charts.matrix("Matrice de priorité : impact × facilité", points) if points else None,
        circles=portfolio.CIRCLES,
        colours=charts.GROUP_COLOURS,
        warnings=portfolio.warnings(items, services),
        services=services,
        RISKS=portfolio.RISKS,
        SOURCES=portfolio.SOURCES,
        requests=portfolio.atelier_requests(db, user.tenant_id),
        ok=ok,
        error=error,
    )


@router.post("")
def create(
    db: Db,
    user: SteeringUser,
    title: Text = "",
    description: Text = "",
    service_id: Text = "",
    risk: Text = "faible",
) -> Response:
    try:
        row = portfolio.create(
            db,
            user=user,
            title=title,
            description=description,
            service_id=_service_id(service_id),
            risk=risk,
        )
    except portfolio.PortfolioError as exc:
        return _fail(PAGE, exc)
    return back(
        f"{PAGE}/{row.id}", "Cas candidat ajouté : notez-le, puis placez-le dans un cercle."
    )


@router.get("/export.yaml")
def export(db: Db, user: SteeringUser) -> Response:
    try:
        text = pooling.export(db, tenant_id=user.tenant_id, collectivite=user.tenant.name)
    except pooling.PoolingError as exc:
        return _fail(PAGE, exc)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="portefeuille.yaml"'},
    )


@router.post("/importer")
async def import_file(db: Db, user: SteeringUser, fichier: UploadFile) -> Response:
    try:
        added = pooling.import_cases(db, user=user, text=await fichier.read(256 * 1024))
    except (pooling.PoolingError, portfolio.PortfolioError) as exc:
        db.rollback()
        return _fail(PAGE, exc)
    return back(PAGE, f"{added} cas importés, à placer et à noter par votre groupe.")


@router.post("/depuis-enquete")
def from_survey(
    db: Db, user: SteeringUser, survey_id: Annotated[int, Form()], irritant: Text = ""
) -> Response:
    found = survey.get(db, user.tenant_id, survey_id)
    if found is None:
        raise HTTPException(404, "Enquête introuvable.")
    results = survey.results(db, found)
    if results is None:  # never reveal anything of a group under the anonymity threshold
        return _fail(
            PAGE,
            ValueError(
                f"Les résultats de cette enquête ne sont pas encore disponibles "
                f"(moins de {survey.MIN_GROUP} réponses)."
            ),
        )
    cited = next((n for key, _, n in results.irritants if key == irritant), None)
    if irritant not in survey.IRRITANTS or cited is None:
        return _fail(PAGE, ValueError("Cet irritant n'a pas été cité dans l'enquête."))
    title = survey.IRRITANTS[irritant]
    if portfolio.find_by_title(db, user.tenant_id, title) is not None:
        return _fail(PAGE, ValueError(f"« {title} » est déjà dans le portefeuille."))
    row = portfolio.create(
        db,
        user=user,
        title=title,
        description=(
            f"Irritant cité par {cited} agents sur {results.answers} (enquête « {found.title} »)."
        ),
        source="enquete",
    )
    return back(f"{PAGE}/{row.id}", "Cas candidat ajouté depuis l'enquête.")


@router.post("/depuis-atelier")
def from_atelier(db: Db, user: SteeringUser, slug: Text = "") -> Response:
    try:
        row = portfolio.from_atelier(db, user=user, slug=slug.strip())
    except portfolio.PortfolioError as exc:
        return _fail(PAGE, exc)
    return back(f"{PAGE}/{row.id}", "Cas candidat ajouté depuis l'Atelier.")


@router.get("/{candidate_id:int}")
def show(
    request: Request, db: Db, user: SteeringUser, candidate_id: int, ok: str = "", error: str = ""
) -> Response:
    row = _row(db, user, candidate_id)
    item = next(s for s in portfolio.scored(db, user.tenant_id, user.id) if s.case.id == row.id)
    return render(
        request,
        "planning/candidate.html",
        item=item,
        case=row,
        services=_services(db, user),
        circles=portfolio.CIRCLES,
        CRITERIA=portfolio.CRITERIA,
        RISKS=portfolio.RISKS,
        SOURCES=portfolio.SOURCES,
        ok=ok,
        error=error,
    )


@router.post("/{candidate_id:int}/noter")
async def rate(request: Request, db: Db, user: SteeringUser, candidate_id: int) -> Response:
    row = _row(db, user, candidate_id)
    form = await request.form()
    try:
        portfolio.rate(
            db, user=user, case=row, marks={k: str(form.get(k, "")) for k in portfolio.CRITERIA}
        )
    except portfolio.PortfolioError as exc:
        return _fail(f"{PAGE}/{row.id}", exc)
    return back(f"{PAGE}/{row.id}", "Votre notation est enregistrée.")


@router.post("/{candidate_id:int}/placer")
def place(
    db: Db,
    user: SteeringUser,
    candidate_id: int,
    circle: Annotated[int, Form()],
    service_id: Text = "",
    risk: Text = "faible",
) -> Response:
    row = _row(db, user, candidate_id)
    try:
        portfolio.place(
            db, user=user, case=row, circle=circle, service_id=_service_id(service_id), risk=risk
        )
    except portfolio.PortfolioError as exc:
        return _fail(f"{PAGE}/{row.id}", exc)
    return back(PAGE, f"« {row.title} » : {portfolio.CIRCLES[circle].label}.")


@router.post("/{candidate_id:int}/brouillon")
def draft(db: Db, user: SteeringUser, candidate_id: int) -> Response:
    row = _row(db, user, candidate_id)
    try:
        slug, card_id = drafts.create(db, user=user, case=row)
    except drafts.DraftError as exc:
        db.rollback()
        return _fail(f"{PAGE}/{row.id}", exc)
    return back(
        f"{PAGE}/{row.id}", f"Brouillon d'assistant « {slug} » et fiche n° {card_id} créés."
    )


@router.post("/{candidate_id:int}/supprimer")
def remove(db: Db, user: SteeringUser, candidate_id: int) -> Response:
    row = _row(db, user, candidate_id)
    try:
        portfolio.remove(db, user=user, case=row)
    except portfolio.PortfolioError as exc:
        return _fail(f"{PAGE}/{row.id}", exc)
    return back(PAGE, f"« {row.title} » est retiré du portefeuille.")
