"""Meetings in the browser: the list and upload form, a meeting's page (progress bar while it
transcribes, then the transcript editor), its recording (with HTTP Range), exports, deletion.
The upload and the transcript save are in meetings_forms.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse, RedirectResponse

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.governance import retention
from civia.jobs import queue
from civia.jobs.models import Job
from civia.meetings import editing, exports, meetings
from civia.meetings.models import STATUS_LABELS, Meeting
from civia.providers.speech import LANGUAGE_NAMES_FR
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter()


def owned(db: Db, user: User, meeting_id: int) -> Meeting:
    found = meetings.get_owned(db, user=user, meeting_id=meeting_id)
    if found is None:
        raise HTTPException(404, "Cette réunion n'existe pas.")
    return found


def _progress(job: Job | None) -> dict[str, Any] | None:
    if job is None:
        return None
    url = (job.result or {}).get("url", "") if job.status == "done" else ""
    return queue.describe(job) | {"url": str(url)}


def index_page(
    request: Request,
    db: Db,
    user: User,
    *,
    status_code: int = 200,
    error: str = "",
    values: dict[str, str] | None = None,
) -> Response:
    items = meetings.list_for(db, user=user)
    for item in items:
        meetings.sync_status(db, item)
    settings = request.app.state.settings
    return render(
        request,
        "meetings/index.html",
        status_code=status_code,
        meetings=items,
        labels=STATUS_LABELS,
        languages=LANGUAGE_NAMES_FR,
        values=values or {},
        error=error,
        max_mb=settings.max_audio_mb,
        policy=retention.settings_for(db, user.tenant_id).audio_policy,
    )


def editor_page(
    request: Request,
    db: Db,
    user: User,
    meeting: Meeting,
    *,
    status_code: int = 200,
    error: str = "",
    ok: str = "",
    edits: dict[int, editing.Edit] | None = None,
) -> Response:
    job = meetings.sync_status(db, meeting)
    rows = meetings.segments(db, meeting)
    minutes_job = db.get(Job, meeting.minutes_job_id) if meeting.minutes_job_id else None
    return render(
        request,
        "meetings/show.html",
        status_code=status_code,
        meeting=meeting,
        job=job,
        d=_progress(job),
        minutes_job=minutes_job,
        minutes_d=_progress(minutes_job),
        rows=rows,
        speakers=editing.speakers(rows),
        edits=edits or {},
        labels=STATUS_LABELS,
        formats=exports.FORMATS,
        clock=exports.clock,
        language=LANGUAGE_NAMES_FR.get(meeting.language, "détection automatique"),
        policy=retention.settings_for(db, user.tenant_id).audio_policy,
        error=error,
        ok=ok,
    )


@router.get("/reunions")
def index(request: Request, db: Db, user: CurrentUser) -> Response:
    return index_page(request, db, user)


@router.get("/reunions/{meeting_id}")
def show(request: Request, db: Db, user: CurrentUser, meeting_id: int, ok: str = "") -> Response:
    return editor_page(request, db, user, owned(db, user, meeting_id), ok=ok)


@router.get("/reunions/{meeting_id}/audio")
def audio(db: Db, user: CurrentUser, meeting_id: int) -> Response:
    meeting = owned(db, user, meeting_id)
    path = meetings.audio_path(meeting)
    if path is None or not path.is_file():
        raise HTTPException(404, "L'enregistrement a été supprimé (règle de conservation).")
    # FileResponse answers Range requests (206 + Content-Range): the player seeks without
    # downloading the whole recording.
    return FileResponse(
        path,
        media_type=meeting.audio_mime or "application/octet-stream",
        filename=meeting.audio_name or path.name,
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.get("/reunions/{meeting_id}/export/{fmt}")
def export(db: Db, user: CurrentUser, meeting_id: int, fmt: str) -> Response:
    meeting = owned(db, user, meeting_id)
    if fmt not in exports.FORMATS:
        raise HTTPException(404, "Ce format d'export n'est pas proposé.")
    rows = meetings.segments(db, meeting)
    if not rows:
        raise HTTPException(409, "Il n'y a pas encore de transcription à exporter.")
    reviewer = db.get(User, meeting.reviewed_by) if meeting.reviewed_by else None
    content, mime, filename = exports.export(
        meeting,
        rows,
        fmt,
        author=user.display_name,
        reviewer=reviewer.display_name if reviewer else "",
        tenant=user.tenant,
    )
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="export.downloaded",
        target=f"reunion:{meeting.id}",
        details={"format": fmt, "kind": "transcription"},
    )
    return Response(
        content,
        media_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/reunions/{meeting_id}/audio/supprimer")
def delete_recording(db: Db, user: CurrentUser, meeting_id: int) -> Response:
    meeting = owned(db, user, meeting_id)
    if meeting.status == "transcribing":
        raise HTTPException(409, "La transcription est en cours : annulez-la d'abord.")
    if not meetings.delete_audio(meeting):
        raise HTTPException(409, "L'enregistrement a déjà été supprimé.")
    return RedirectResponse(
        f"/reunions/{meeting.id}?ok=Enregistrement audio supprimé.", status_code=303
    )


@router.post("/reunions/{meeting_id}/supprimer")
def delete_meeting(db: Db, user: CurrentUser, meeting_id: int) -> Response:
    meetings.remove(db, meeting=owned(db, user, meeting_id))
    return RedirectResponse("/reunions", status_code=303)
