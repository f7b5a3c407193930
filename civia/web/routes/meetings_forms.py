"""The two meeting routes that read big request bodies themselves: the recording upload
(streamed to disk with its size limit, see civia/web/uploads/stream.py) and the transcript save
(thousands of fields for a long meeting). Their policy is `FormSession` (civia.web.deps): the
usual CSRF check would parse the whole form first with Starlette's default limits, so they check
the CSRF token here instead."""

from __future__ import annotations

import asyncio
import re

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from civia.accounts.models import User
from civia.accounts.tokens import same
from civia.governance import guards
from civia.meetings import editing, meetings, minutes
from civia.providers.audio import probe_audio
from civia.providers.speech import TranscriptionError
from civia.settings import Settings
from civia.web.deps import CsrfFailed, Db, FormSession
from civia.web.json_schema import (
    JSON_TAG,
    TranscriptSaved,
    Uploaded,
    form_body,
    responses,
)
from civia.web.routes.meetings import editor_page, index_page, owned
from civia.web.uploads.limit import Limit, UploadRefused
from civia.web.uploads.stream import Receiver, csrf

router = APIRouter()
MAX_FORM_FIELDS = 40_000
SLACK = 64 * 1024  # multipart boundaries and the small fields around the file
_STATUS_OF_CODE = {"empty_file": 422, "zero_duration": 422, "ffmpeg_missing": 503}


def _too_large(settings: Settings) -> str:
    return (
        f"L'enregistrement dépasse la taille maximale autorisée ({settings.max_audio_mb} Mo). "
        "Découpez-le ou compressez-le (MP3, OGG) puis déposez-le à nouveau."
    )


LIMIT = Limit(r"/reunions$", lambda s: s.max_audio_mb * 1_000_000 + SLACK, _too_large)
# A six-hour council meeting is ~70,000 words: its segments, URL-encoded with their field names,
# stay well under this.
TRANSCRIPT_MAX_BYTES = 8_000_000
TRANSCRIPT_LIMIT = Limit(
    r"/reunions/\d+/transcription$",
    lambda _s: TRANSCRIPT_MAX_BYTES,
    lambda _s: (
        f"La transcription envoyée dépasse {TRANSCRIPT_MAX_BYTES // 1_000_000} Mo : "
        "rien n'a été enregistré. Enregistrez plus souvent, ou contactez votre administrateur."
    ),
)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _upload_error(
    request: Request, db: Db, user: User, status: int, message: str, values: dict[str, str]
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return index_page(request, db, user, status_code=status, error=message, values=values)


_TEXT = {"type": "string"}
RECORDING_FORM = form_body(
    {
        "audio": {"type": "string", "format": "binary"},
        "title": _TEXT,
        "meeting_date": {"type": "string", "format": "date"},
        "language": _TEXT,
    },
    ["audio"],
    multipart=True,
)
# `t-<segment id>` (text) and `s-<segment id>` (speaker) fields, any number of them.
TRANSCRIPT_FORM = form_body(
    {
        "version": {"type": "integer", "minimum": 0, "maximum": 999_999_999},
        "action": _TEXT,
        # empty unless the action is a split (the page always sends the field)
        "split_at": {"type": "string", "pattern": "^[0-9]{0,9}$"},
        "rename_from": _TEXT,
        "rename_to": _TEXT,
    },
    ["version"],
) | {"x-civia-edit-fields": "t-<id>, s-<id>"}


@router.post(
    "/reunions",
    status_code=201,
    tags=[JSON_TAG],
    responses=responses(201, Uploaded, 400, 413, 415, 503),
    openapi_extra=RECORDING_FORM,
)
async def upload_recording(request: Request, db: Db, found: FormSession) -> Response:
    user, web_session = found
    settings = request.app.state.settings
    receiver = Receiver(
        directory=meetings.upload_dir(settings, user.tenant_id),
        max_file_bytes=settings.max_audio_mb * 1_000_000,
        max_files=1,
        check=csrf(request, web_session),
    )
    try:
        await receiver.read(request)
    except UploadRefused as exc:
        return _upload_error(request, db, user, exc.status_code, exc.message, {})
    fields, files = receiver.fields, receiver.files
    received = files[0] if len(files) == 1 and files[0].name == "audio" else None
    if received is None or received.path is None:
        receiver.discard()
        status, message = 422, "Choisissez un enregistrement à déposer, ou enregistrez la réunion."
        if files and files[0].error == "too_large":
            status, message = 413, _too_large(settings)
        elif files:
            message = "Déposez un seul fichier, dans le champ prévu."
        return _upload_error(request, db, user, status, message, fields)
    try:
        values = meetings.clean_inputs(
            title=fields.get("title", ""),
            meeting_date=fields.get("meeting_date", ""),
            language=fields.get("language", "fr"),
            filename=received.filename,
        )
        await asyncio.to_thread(probe_audio, received.path)
    except meetings.MeetingError as exc:
        receiver.discard()
        return _upload_error(request, db, user, 422, str(exc), fields)
    except TranscriptionError as exc:
        receiver.discard()
        status = _STATUS_OF_CODE.get(exc.code, 415)
        return _upload_error(request, db, user, status, exc.message_fr, fields)
    try:
        meeting = meetings.create(
            db,
            user=user,
            settings=settings,
            values=values,
            upload=received.path,
            filename=received.filename,
            mime=received.mime,
            size=received.size,
        )
        db.commit()
    except BaseException:
        db.rollback()
        receiver.discard()  # no meeting points to it: the recording must not stay on disk
        raise
    url = f"/reunions/{meeting.id}"
    if _wants_json(request):
        return JSONResponse({"url": url, "id": meeting.id}, status_code=201)
    return RedirectResponse(url, status_code=303)


@router.post(
    "/reunions/{meeting_id}/transcription",
    tags=[JSON_TAG],
    responses=responses(200, TranscriptSaved, 400, 404, 409, 413),
    openapi_extra=TRANSCRIPT_FORM,
)
async def save_transcript(
    request: Request, db: Db, found: FormSession, meeting_id: int
) -> Response:
    user, web_session = found
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        token = form.get("csrf_token")
        sent = token if isinstance(token, str) else ""
    if not sent or not same(sent, web_session.csrf_token):
        raise CsrfFailed
    meeting = owned(db, user, meeting_id)
    if meeting.status == "transcribing":
        raise HTTPException(409, "La transcription est en cours : attendez qu'elle se termine.")
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    edits = editing.parse_edits(values)
    action = values.get("action", "save")
    version = _number(values.get("version", ""))
    if version is None:  # a page without its version cannot be checked for a conflict
        raise HTTPException(422, "La version de la transcription manque : rechargez la page.")
    split_at = _number(values.get("split_at", ""))
    if split_at is None and values.get("split_at"):
        raise HTTPException(422, "La position de la coupure est invalide : réessayez.")
    rename = (values.get("rename_from", ""), values.get("rename_to", ""))
    base = "save" if action in ("review", "minutes") else action
    try:
        message = editing.save(
            db,
            meeting=meeting,
            version=version,
            edits=edits,
            action=base,
            split_at=split_at,
            rename=rename if action == "rename" else None,
        )
    except (editing.Conflict, editing.EditError) as exc:
        db.rollback()
        status = 409 if isinstance(exc, editing.Conflict) else 422
        text = exc.message_fr if isinstance(exc, editing.Conflict) else str(exc)
        if _wants_json(request):
            return JSONResponse({"detail": text}, status_code=status)
        db.refresh(meeting)
        return editor_page(request, db, user, meeting, status_code=status, error=text, edits=edits)
    if action == "review":
        deleted = meetings.finish_review(db, meeting=meeting, user=user)
        message = "Relecture terminée." + (" L'enregistrement audio a été supprimé." * deleted)
    elif action == "minutes":
        db.commit()  # the corrections are kept whatever happens next
        return _minutes(request, db, user, meeting)
    db.commit()
    if _wants_json(request):
        return JSONResponse({"version": meeting.version, "message": message})
    return RedirectResponse(f"/reunions/{meeting.id}?ok={message}", status_code=303)


_NUMBER = re.compile(r"[0-9]{1,9}")


def _number(value: str) -> int | None:
    """A form's whole number, or None: ASCII digits only (`"²".isdigit()` is true, and
    `int("²")` fails)."""
    return int(value) if _NUMBER.fullmatch(value) else None


def _minutes(request: Request, db: Db, user: User, meeting: meetings.Meeting) -> Response:
    try:
        guards.check_assistant(db, user=user, assistant_id=minutes.ASSISTANT_ID, source="web")
    except guards.AssistantBlocked as exc:
        return editor_page(request, db, user, meeting, status_code=403, error=exc.message)
    try:
        kind, target = minutes.start(
            db, user=user, meeting=meeting, limit=request.app.state.settings.minutes_direct_chars
        )
    except minutes.JobError as exc:
        raise HTTPException(422, exc.message_fr) from None
    db.commit()
    if kind == "run":
        return RedirectResponse(f"/resultats/{target}", status_code=303)
    return RedirectResponse(f"/reunions/{meeting.id}#compte-rendu", status_code=303)
