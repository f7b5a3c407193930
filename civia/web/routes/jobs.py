"""Background jobs as users see them: a progress bar to poll, a cancel button, a list."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select

from civia.accounts.models import Role, User
from civia.jobs import queue
from civia.jobs.models import Job
from civia.web.deps import CurrentUser, Db
from civia.web.json_schema import JSON_TAG, JobProgress, responses
from civia.web.render import render

router = APIRouter()


def visible_job(db: Db, user: User, job_id: int) -> Job:
    """Its owner sees a job; so do the admins of its collectivité. Others get a 404."""
    job = db.get(Job, job_id)
    if job is None or job.tenant_id != user.tenant_id:
        raise HTTPException(404, "Ce traitement n'existe pas.")
    if job.user_id != user.id and user.role_enum is not Role.ADMIN:
        raise HTTPException(404, "Ce traitement n'existe pas.")
    return job


def _described(job: Job) -> dict[str, object]:
    url = (job.result or {}).get("url", "") if job.status == "done" else ""
    return queue.describe(job) | {"url": str(url)}


def _label(request: Request, job: Job) -> str:
    kind = request.app.state.registries.job_kinds.get(job.kind)
    return kind.label if kind else job.kind


@router.get("/travaux")
def index(request: Request, db: Db, user: CurrentUser) -> Response:
    jobs = db.scalars(
        select(Job).where(Job.user_id == user.id).order_by(Job.id.desc()).limit(100)
    ).all()
    return render(
        request,
        "jobs/index.html",
        jobs=[(job, _described(job), _label(request, job)) for job in jobs],
    )


@router.get(
    "/travaux/{job_id}", tags=[JSON_TAG], responses=responses(200, JobProgress, 404, html=True)
)
def show(request: Request, db: Db, user: CurrentUser, job_id: int) -> Response:
    job = visible_job(db, user, job_id)
    described = _described(job)
    if request.headers.get("hx-request"):
        page = urlsplit(request.headers.get("hx-current-url", "")).path
        if described["url"] and page == described["url"]:
            # The user waits on the very page the result lives on (a meeting being
            # transcribed): reload it so the result (the editor) appears by itself.
            return Response(status_code=200, headers={"HX-Refresh": "true"})
        return render(
            request, "jobs/_progress.html", job=job, d=described, label=_label(request, job)
        )
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(described)
    return render(request, "jobs/show.html", job=job, d=described, label=_label(request, job))


@router.post("/travaux/{job_id}/annuler")
def cancel(request: Request, db: Db, user: CurrentUser, job_id: int) -> Response:
    job = visible_job(db, user, job_id)
    if not queue.cancel(db, job):
        raise HTTPException(409, "Ce traitement est déjà terminé.")
    db.commit()
    db.refresh(job)
    if request.headers.get("hx-request"):
        return render(
            request, "jobs/_progress.html", job=job, d=_described(job), label=_label(request, job)
        )
    return RedirectResponse(f"/travaux/{job.id}", status_code=303)
