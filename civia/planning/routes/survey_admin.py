"""Surveys for pilotage: open, share, close, read the aggregated results."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.jobs import queue
from civia.planning import jobs, portfolio, survey, themes
from civia.planning.models import Survey
from civia.web.deps import Db, SteeringUser
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter(prefix="/pilotage/enquetes")
PAGE = "/pilotage/enquetes"


def _row(db: Db, user: SteeringUser, survey_id: int) -> Survey:
    row = survey.get(db, user.tenant_id, survey_id)
    if row is None:
        raise HTTPException(404, "Enquête introuvable.")
    return row


@router.get("")
def index(request: Request, db: Db, user: SteeringUser, ok: str = "", error: str = "") -> Response:
    rows = survey.listed(db, user.tenant_id)
    return render(
        request,
        "planning/surveys.html",
        rows=rows,
        counts={r.id: survey.count(db, r) for r in rows},
        ok=ok,
        error=error,
    )


@router.post("")
def create(db: Db, user: SteeringUser, title: str = Form("")) -> Response:
    try:
        row = survey.open_survey(db, user=user, title=title)
    except survey.SurveyError as exc:
        return RedirectResponse(f"{PAGE}?error={quote(str(exc))}", status_code=303)
    return RedirectResponse(f"{PAGE}/{row.id}", status_code=303)


@router.get("/{survey_id:int}")
def show(
    request: Request, db: Db, user: SteeringUser, survey_id: int, ok: str = "", error: str = ""
) -> Response:
    row = _row(db, user, survey_id)
    return render(
        request,
        "planning/survey.html",
        row=row,
        link=str(request.base_url).rstrip("/") + f"/enquete/{row.token}",
        answers=survey.count(db, row),
        results=survey.results(db, row),
        agents=survey.agents(db, user.tenant_id),
        themes=themes.listed(db, row),
        METHODS=themes.METHODS,
        STATUSES=themes.STATUSES,
        MIN_GROUP=survey.MIN_GROUP,
        ok=ok,
        error=error,
    )


@router.post("/{survey_id:int}/clore")
def close(db: Db, user: SteeringUser, survey_id: int) -> Response:
    row = _row(db, user, survey_id)
    if row.status == "open":
        survey.close(db, user=user, survey=row)
    return back(f"{PAGE}/{row.id}", "Enquête close : le lien ne reçoit plus de réponses.")


def _fail(survey_id: int, message: str) -> Response:
    return RedirectResponse(
        f"{PAGE}/{survey_id}?error={quote(message[:500])}#regroupements", status_code=303
    )


def _done(survey_id: int, message: str) -> Response:
    return RedirectResponse(
        f"{PAGE}/{survey_id}?ok={quote(message)}#regroupements", status_code=303
    )


@router.post("/{survey_id:int}/regroupements")
def propose(db: Db, user: SteeringUser, survey_id: int, method: str = Form("")) -> Response:
    row = _row(db, user, survey_id)
    items = themes.items_of(db, row)
    if len({i.answer for i in items}) < survey.MIN_GROUP:
        return _fail(
            row.id,
            f"Il faut au moins {survey.MIN_GROUP} réponses libres publiées pour proposer des "
            "regroupements.",
        )
    if method == "mots-cles":
        found = themes.save(
            db, user=user, survey=row, groups=themes.by_keywords(items), method=method
        )
        message = (
            f"{found} regroupement{'s' if found > 1 else ''} proposé{'s' if found > 1 else ''} : "
            "confirmez-les ci-dessous."
            if found
            else f"Aucun mot n'est partagé par {survey.MIN_GROUP} réponses ou plus."
        )
        return _done(row.id, message)
    if method != "modele":
        return _fail(row.id, "Méthode de regroupement inconnue.")
    job = queue.enqueue(
        db,
        tenant_id=user.tenant_id,
        user_id=user.id,
        kind=jobs.KIND,
        queue=jobs.QUEUE,
        payload={"survey_id": row.id},
        max_attempts=1,
        message="En attente du modèle local",
    )
    return back(
        f"/travaux/{job.id}",
        "Le modèle local regroupe les réponses en arrière-plan ; ses propositions "
        "apparaîtront sur la page de l'enquête.",
    )


@router.post("/{survey_id:int}/regroupements/{theme_id:int}")
def decide(
    db: Db,
    user: SteeringUser,
    survey_id: int,
    theme_id: int,
    action: str = Form(""),
    title: str = Form(""),
) -> Response:
    row = _row(db, user, survey_id)
    theme = themes.get(db, row, theme_id)
    if theme is None:
        raise HTTPException(404, "Regroupement introuvable.")
    try:
        candidate = themes.decide(
            db, user=user, survey=row, theme=theme, action=action, title=title
        )
    except (themes.ThemeError, portfolio.PortfolioError) as exc:
        db.rollback()
        return _fail(row.id, str(exc))
    if candidate is not None:
        return back(
            f"/pilotage/portefeuille/{candidate.id}",
            "Cas candidat ajouté depuis les réponses libres de l'enquête.",
        )
    return _done(row.id, "Regroupement écarté.")
