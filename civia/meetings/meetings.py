"""Meetings as data: create one from an uploaded recording (and queue its transcription), read
the owner's, follow the job, delete the recording or the whole meeting."""

from __future__ import annotations

import contextlib
import mimetypes
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.db.base import utcnow
from civia.governance import retention
from civia.jobs import queue
from civia.jobs.models import Job, JobStatus
from civia.meetings.models import Meeting, MeetingSegment, MeetingStatus, MinutesPart
from civia.providers.audio import CANONICAL_MIME
from civia.providers.speech import LANGUAGE_NAMES_FR
from civia.settings import Settings

TRANSCRIBE_KIND = "meetings.transcribe"
AUDIO_DIR = "reunions"
MAX_TITLE = 200


class MeetingError(ValueError):
    """A French message for the agent (bad title, language, date)."""


def clean_inputs(*, title: str, meeting_date: str, language: str, filename: str) -> dict[str, str]:
    """Checked form values; the title defaults to the file's name."""
    title = " ".join(title.split()) or Path(filename).stem.replace("_", " ")[:MAX_TITLE]
    if not title:
        raise MeetingError("Donnez un intitulé à la réunion.")
    if len(title) > MAX_TITLE:
        raise MeetingError(f"L'intitulé dépasse {MAX_TITLE} caractères.")
    if language not in LANGUAGE_NAMES_FR and language != "":
        raise MeetingError("Langue inconnue : choisissez-la dans la liste.")
    meeting_date = meeting_date.strip()
    if meeting_date:
        try:
            date.fromisoformat(meeting_date)
        except ValueError:
            raise MeetingError(f"Date invalide : « {meeting_date} » (format AAAA-MM-JJ).") from None
    return {"title": title, "meeting_date": meeting_date, "language": language}


def playback_mime(declared: str, filename: str) -> str:
    """The type the recording is served with: audio or video only, whatever the browser
    declared (a file that is both audio and HTML must never be served as a page)."""
    declared = declared.split(";")[0].strip().lower()
    if declared.startswith(("audio/", "video/")) and "/" in declared and len(declared) < 60:
        return declared
    guessed = mimetypes.guess_type(filename)[0] or ""
    return guessed if guessed.startswith(("audio/", "video/")) else "application/octet-stream"


def audio_path(meeting: Meeting) -> Path | None:
    return Path(meeting.audio_file) if meeting.audio_file else None


def create(
    db: Session,
    *,
    user: User,
    settings: Settings,
    values: dict[str, str],
    upload: Path,
    filename: str,
    mime: str,
    size: int,
) -> Meeting:
    """Store the (already probed) recording and queue its transcription, in one transaction."""
    meeting = Meeting(
        tenant_id=user.tenant_id,
        user_id=user.id,
        service_id=user.service_id,
        title=values["title"],
        meeting_date=values["meeting_date"],
        language=values["language"],
        audio_name=filename,
        audio_mime=playback_mime(mime, filename),
        audio_bytes=size,
    )
    db.add(meeting)
    db.flush()
    # The upload stays in its own folder (`upload_dir`): nothing else is ever beside it.
    meeting.audio_file = str(upload.resolve())  # absolute: the retention purge has no settings
    job = queue.enqueue(
        db,
        tenant_id=user.tenant_id,
        user_id=user.id,
        kind=TRANSCRIBE_KIND,
        queue="transcription",
        payload={"meeting_id": meeting.id, "name": meeting.title},
        max_attempts=3,
    )
    meeting.job_id = job.id
    return meeting


def get_owned(db: Session, *, user: User, meeting_id: int) -> Meeting | None:
    return db.scalar(
        select(Meeting).where(
            Meeting.id == meeting_id,
            Meeting.user_id == user.id,
            Meeting.tenant_id == user.tenant_id,
        )
    )


def list_for(db: Session, *, user: User, limit: int = 100) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.user_id == user.id, Meeting.tenant_id == user.tenant_id)
    return list(db.scalars(stmt.order_by(Meeting.id.desc()).limit(limit)))


def segments(db: Session, meeting: Meeting) -> list[MeetingSegment]:
    stmt = select(MeetingSegment).where(MeetingSegment.meeting_id == meeting.id)
    return list(db.scalars(stmt.order_by(MeetingSegment.position)))


def sync_status(db: Session, meeting: Meeting) -> Job | None:
    """The transcription job, and the meeting's status caught up with it: a job failed by the
    worker's sweep (server stopped) never touched the meeting itself."""
    job = db.get(Job, meeting.job_id) if meeting.job_id else None
    if meeting.status == MeetingStatus.TRANSCRIBING:
        if job is None:
            meeting.status, meeting.error = MeetingStatus.FAILED, queue.INTERRUPTED_FR
        elif job.status == JobStatus.FAILED.value:
            meeting.status, meeting.error = MeetingStatus.FAILED, job.error
        elif job.status == JobStatus.CANCELLED.value:
            meeting.status = MeetingStatus.CANCELLED
    return job


def audio_dir(settings: Settings, tenant_id: int) -> Path:
    return settings.data_dir / AUDIO_DIR / str(tenant_id)


def upload_dir(settings: Settings, tenant_id: int) -> Path:
    """A new, empty folder for one upload: its recording never sits beside another one."""
    return audio_dir(settings, tenant_id) / uuid.uuid4().hex


def use_canonical(meeting: Meeting, path: Path) -> Path | None:
    """The meeting now keeps only its canonical FLAC (see `audio.to_canonical`). Returns the
    upload it replaces, for the caller to delete once this change is committed (a failed
    commit must leave the meeting pointing at a file that still exists)."""
    previous = audio_path(meeting)
    meeting.audio_file, meeting.audio_mime = str(path), CANONICAL_MIME
    meeting.audio_bytes = path.stat().st_size
    return previous if previous is not None and previous != path else None


def delete_audio(meeting: Meeting) -> bool:
    """Delete the recording file (the transcript stays). False when already gone."""
    path = audio_path(meeting)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    _remove_empty(path.parent)
    meeting.audio_file = ""
    meeting.audio_deleted_at = utcnow()
    return True


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (a recording kept from before folders)
        folder.rmdir()


def remove(db: Session, *, meeting: Meeting) -> None:
    """Delete a meeting, its recording and its transcript (the minutes run stays the user's)."""
    if meeting.job_id:
        job = db.get(Job, meeting.job_id)
        if job is not None:
            queue.cancel(db, job)
    delete_audio(meeting)
    db.execute(delete(MinutesPart).where(MinutesPart.meeting_id == meeting.id))
    db.execute(delete(MeetingSegment).where(MeetingSegment.meeting_id == meeting.id))
    db.delete(meeting)


def finish_review(db: Session, *, meeting: Meeting, user: User) -> bool:
    """The agent ends the review: who and when are kept; the recording goes now unless the
    collectivité keeps recordings (returns whether it was deleted)."""

    meeting.reviewed_by, meeting.reviewed_at = user.id, utcnow()
    if retention.settings_for(db, meeting.tenant_id).audio_policy == "review":
        return delete_audio(meeting)
    return False
