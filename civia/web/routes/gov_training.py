"""The acculturation module (/formation) and its follow-up per service for admins."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from civia.accounts.models import User
from civia.governance import acculturation, charter
from civia.web.deps import Db, SteeringUser, UserBeforeCharter
from civia.web.markdown import render as md
from civia.web.render import render

router = APIRouter()


@router.get("/formation")
def course(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    return _page(request, db, user)


def _page(
    request: Request,
    db: Db,
    user: User,
    *,
    result: acculturation.Grade | None = None,
    answers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "governance/training.html",
        course=md(acculturation.course_markdown()),
        questions=acculturation.QUESTIONS,
        done=acculturation.completed(db, user),
        result=result,
        answers=answers or {},
    )


@router.post("/formation")
async def answer(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    form = await request.form()
    answers = {q.id: str(form.get(q.id) or "")[:5] for q in acculturation.QUESTIONS}
    result = acculturation.submit(db, user, answers)
    return _page(request, db, user, result=result, answers=answers)


@router.get("/gouvernance/formation")
def follow_up(request: Request, db: Db, user: SteeringUser) -> Response:
    rates = acculturation.rates_by_service(db, user.tenant_id)
    accepted, total = charter.acceptance_counts(db, user.tenant_id)
    return render(
        request,
        "governance/training_rates.html",
        rates=rates,
        trained=sum(r.trained for r in rates),
        total=total,
        accepted=accepted,
    )
