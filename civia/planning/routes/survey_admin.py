"""Surveys for pilotage: open, share, close, read the aggregated results."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.planning import survey
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
def show(request: Request, db: Db, user: SteeringUser, survey_id: int, ok: str = "") -> Response:
    row = _row(db, user, survey_id)
    return render(
        request,
        "planning/survey.html",
        row=row,
        link=str(request.base_url).rstrip("/") + f"/enquete/{row.token}",
        answers=survey.count(db, row),
        results=survey.results(db, row),
        agents=survey.agents(db, user.tenant_id),
        MIN_GROUP=survey.MIN_GROUP,
        ok=ok,
        error="",
    )


@router.post("/{survey_id:int}/clore")
def close(db: Db, user: SteeringUser, survey_id: int) -> Response:
    row = _row(db, user, survey_id)
    if row.status == "open":
        survey.close(db, user=user, survey=row)
    return back(f"{PAGE}/{row.id}", "Enquête close : le lien ne reçoit plus de réponses.")
