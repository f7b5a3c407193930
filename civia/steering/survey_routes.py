"""The satisfaction survey: its prompt on every page and its form (/satisfaction, any user),
and its results per wave and service for pilotage (/pilotage/satisfaction, with a CSV)."""

from __future__ import annotations

import csv
import io
from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from civia.dates import date_fr
from civia.governance.charter import needs_acceptance
from civia.steering import survey, survey_results
from civia.steering.filters import MIN_GROUP
from civia.usage.equivalents import number_fr
from civia.web.deps import CurrentUser, Db, SteeringUser, UserBeforeCharter
from civia.web.render import render

agents = APIRouter(prefix="/satisfaction")
router = APIRouter(prefix="/pilotage/satisfaction")

Label = Annotated[str, Form(max_length=10)]


@agents.get("/bandeau", response_class=HTMLResponse)
def notice(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    """The prompt at the top of every page, or nothing (also on the pages that lead to the
    charter, where a redirection to it would loop)."""
    wave = survey.offered(db, user, survey.today())
    if wave is None or needs_acceptance(db, user):
        return HTMLResponse("")
    return render(request, "steering/_survey_notice.html", wave=wave)


@agents.get("", response_class=HTMLResponse)
def form(request: Request, db: Db, user: CurrentUser, merci: str = "") -> Response:
    return _form(request, db, user, thanks=merci == "1")


def _form(request: Request, db: Db, user: CurrentUser, *, thanks: bool = False,
          errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
          status_code: int = 200) -> Response:  # fmt: skip
    return render(
        request, "steering/survey_form.html", status_code=status_code,
        wave=survey.offered(db, user, survey.today()), thanks=thanks, errors=errors or {},
        values=values or {}, questions=survey.QUESTIONS, max_text=survey.MAX_TEXT,
    )  # fmt: skip


@agents.post("")
def submit(
    request: Request, db: Db, user: CurrentUser, vague: Label,
    ease: Annotated[str, Form(max_length=4)] = "",
    recommend: Annotated[str, Form(max_length=4)] = "",
    improve: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:  # fmt: skip
    try:
        survey.answer(db, user, wave_label=vague, ease=ease, recommend=recommend,
                      improve=improve, today=survey.today())  # fmt: skip
    except survey.SurveyError as exc:
        db.rollback()
        values = {"ease": ease, "recommend": recommend, "improve": improve}
        return _form(request, db, user, errors=exc.errors, values=values, status_code=422)
    return RedirectResponse("/satisfaction?merci=1", status_code=303)


def _dismissed(request: Request) -> Response:
    if request.headers.get("HX-Request") == "true":
        return HTMLResponse('<p class="alert info" role="status">C\'est noté.</p>')
    return RedirectResponse("/", status_code=303)


@agents.post("/plus-tard")
def later(request: Request, db: Db, user: CurrentUser, vague: Label) -> Response:
    with suppress(survey.SurveyError):  # closed or already answered: nothing more to hide
        survey.dismiss(db, user, wave_label=vague, later=True, today=survey.today())
    return _dismissed(request)


@agents.post("/ne-plus-proposer")
def never(request: Request, db: Db, user: CurrentUser, vague: Label) -> Response:
    with suppress(survey.SurveyError):
        survey.dismiss(db, user, wave_label=vague, later=False, today=survey.today())
    return _dismissed(request)


def _synthetic(db: Db, tenant_id: int, donnees: str) -> bool:
    return donnees == "demo" or (donnees == "" and survey_results.has_synthetic(db, tenant_id))


@router.get("", response_class=HTMLResponse)
def results(request: Request, db: Db, user: SteeringUser, donnees: str = "") -> Response:
    synthetic = _synthetic(db, user.tenant_id, donnees)
    found = survey_results.by_service(db, user.tenant_id, synthetic=synthetic,
                                      today=survey.today())  # fmt: skip
    return render(
        request, "steering/survey_results.html", results=found, synthetic=synthetic,
        has_synthetic=survey_results.has_synthetic(db, user.tenant_id), MIN_GROUP=MIN_GROUP,
        questions=survey.QUESTIONS, n=number_fr, date_fr=date_fr, WAVE_DAYS=survey.WAVE_DAYS,
    )  # fmt: skip


CSV_HEADER = (
    "service", "lancement", "vague", "réponses", "comptes", "taux de réponse (%)",
    "réponses comptées", "facilité moyenne (1-5)", "NPS", "promoteurs", "passifs",
    "détracteurs", "thèmes",
)  # fmt: skip


@router.get("/export.csv")
def export(db: Db, user: SteeringUser, donnees: str = "") -> Response:
    synthetic = _synthetic(db, user.tenant_id, donnees)
    found = survey_results.by_service(db, user.tenant_id, synthetic=synthetic,
                                      today=survey.today())  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in found:
        rate = "" if r.rate is None else f"{100 * r.rate:.1f}"
        head = [r.label, r.launch.isoformat() if r.launch else "", f"J+{r.wave}",
                r.answers, r.accounts, rate]  # fmt: skip
        if r.hidden:
            writer.writerow([*head, f"masqué (moins de {MIN_GROUP} réponses)"])
            continue
        themes = "; ".join(f"{t.title} ({t.size})" for t in r.themes)
        writer.writerow([*head, r.counted, f"{r.ease_mean:.2f}", f"{r.nps:.0f}", r.promoters,
                         r.passives, r.detractors, themes])  # fmt: skip
    name = f"satisfaction{'-demo' if synthetic else ''}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
