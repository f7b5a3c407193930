"""The public survey form, /enquete/<jeton>: no account, no session read, nothing about the
request stored (see `civia.planning.survey`)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from civia.planning import survey
from civia.planning.models import Survey
from civia.privacy.errors import PiiEngineUnavailable
from civia.web.deps import Db
from civia.web.render import render

router = APIRouter(prefix="/enquete")
NO_CACHE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _survey(db: Db, token: str) -> Survey:
    found = survey.by_token(db, token)
    if found is None:
        raise HTTPException(404, "Cette enquête n'existe pas : vérifiez le lien reçu.")
    return found


def _page(request: Request, row: Survey, *, status: int = 200, **context: object) -> Response:
    context.setdefault("sub", survey.Submission([], "", ""))
    context.setdefault("errors", {})
    response = render(
        request,
        "planning/survey_form.html",
        status_code=status,
        user=None,
        survey_row=row,
        IRRITANTS=survey.IRRITANTS,
        AI_USES=survey.AI_USES,
        MIN_GROUP=survey.MIN_GROUP,
        MAX_HOURS=survey.MAX_HOURS,
        **context,
    )
    response.headers.update(NO_CACHE)
    return response


@router.get("/{token}")
def form(request: Request, db: Db, token: str) -> Response:
    return _page(request, _survey(db, token))


@router.post("/{token}")
async def answer(request: Request, db: Db, token: str) -> Response:
    row = _survey(db, token)
    data = await request.form()
    sub = survey.Submission(
        irritants=[str(v) for v in data.getlist("irritants")],
        hours_per_week=str(data.get("hours_per_week", "")),
        ai_use=str(data.get("ai_use", "")),
        **{name: str(data.get(name, "")) for name in survey.FREE_TEXTS},
    )
    try:
        survey.submit(db, row, sub)
    except survey.SurveyError as exc:
        return _page(
            request, row, status=409 if "" in exc.errors else 422, sub=sub, errors=exc.errors
        )
    except PiiEngineUnavailable:
        db.rollback()
        message = (
            "Votre réponse n'a pas été enregistrée : la vérification des données "
            "personnelles est indisponible. Réessayez plus tard."
        )
        return _page(request, row, status=503, sub=sub, errors={"": message})
    return _page(request, row, thanks=True)
