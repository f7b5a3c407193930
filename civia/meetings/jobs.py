"""The transcription job: the tenant's speech provider over the recording, checkpointed by chunk.

Each finished chunk's segments are committed with the time reached, so a job interrupted by a
restart resumes from the last finished chunk (`start_at`) instead of from the beginning. The
whisper thread count is capped (`transcription_threads`, 1 by default) so that on a 2-core
machine the chat keeps a core while a meeting transcribes (bench/bench_meetings.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from civia.accounts.models import Tenant
from civia.governance import retention
from civia.jobs import registry
from civia.jobs.worker import JobCancelled, JobContext, JobError
from civia.meetings import meetings
from civia.meetings.models import Meeting, MeetingSegment, MeetingStatus
from civia.providers import audio, vocabulary
from civia.providers.base import Transcriber
from civia.providers.resolve import transcriber_for
from civia.providers.speech import Segment, TranscriptionCancelled, TranscriptionError
from civia.providers.whisper_files import ModelFilesMissing
from civia.usage import ledger

MSG_GONE = "Cette réunion a été supprimée."
MSG_NO_AUDIO = "L'enregistrement n'est plus disponible (supprimé) : déposez-le à nouveau."
MSG_NO_SPEECH = (
    "Aucune parole n'a été détectée dans cet enregistrement (silence ou bruit uniquement)."
)


def transcriber(ctx: JobContext) -> Transcriber:
    """The tenant's speech provider (the embedded faster-whisper unless the admin chose a
    server, civia.providers.resolve)."""
    with ctx.sessions() as db:
        return transcriber_for(db, ctx.tenant_id, ctx.settings)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{secs:02d}"


def _fail(ctx: JobContext, meeting_id: int, status: str, message: str = "") -> None:
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        if meeting is not None:
            meeting.status, meeting.error = status, message
            db.commit()


def _canonical(ctx: JobContext, meeting_id: int, upload: Path) -> Path:
    """Convert the upload once to the canonical FLAC and keep only that (see meetings/audio.py)."""
    ctx.progress(0.0, "Préparation de l'enregistrement")
    try:
        path = audio.to_canonical(upload, upload.parent / audio.CANONICAL_NAME)
    except TranscriptionError as exc:
        _fail(ctx, meeting_id, MeetingStatus.FAILED, exc.message_fr)
        raise JobError(exc.message_fr) from None
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        if meeting is None:
            path.unlink(missing_ok=True)
            raise JobError(MSG_GONE)
        replaced = meetings.use_canonical(meeting, path)
        db.commit()
    if replaced is not None:
        replaced.unlink(missing_ok=True)
    return path


@registry.register(
    meetings.TRANSCRIBE_KIND, queue="transcription", label="Transcription de réunion"
)
def transcribe(ctx: JobContext) -> dict[str, Any]:
    meeting_id = int(ctx.payload["meeting_id"])
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        if meeting is None:
            raise JobError(MSG_GONE)
        path, language = meetings.audio_path(meeting), meeting.language
        tenant = db.get(Tenant, meeting.tenant_id)
        terms = vocabulary.of_profile(tenant.profile if tenant is not None else None)
        start = meeting.transcribed_until
        position = (
            db.scalar(select(func.count()).where(MeetingSegment.meeting_id == meeting_id)) or 0
        )
        meeting.status, meeting.error = MeetingStatus.TRANSCRIBING, ""
        db.commit()
    if path is None or not path.is_file():
        _fail(ctx, meeting_id, MeetingStatus.FAILED, MSG_NO_AUDIO)
        raise JobError(MSG_NO_AUDIO)
    if path.name != audio.CANONICAL_NAME:
        path = _canonical(ctx, meeting_id, path)
    step = f"Reprise à {_clock(start)}" if start else "Transcription en cours"
    ctx.progress(0.0, step)

    def checkpoint(until: float, found: list[Segment]) -> None:
        nonlocal position
        with ctx.sessions() as db:
            for segment in found:
                db.add(
                    MeetingSegment(
                        meeting_id=meeting_id,
                        position=position,
                        start=segment.start,
                        end=segment.end,
                        text=segment.text,
                    )
                )
                position += 1
            row = db.get(Meeting, meeting_id)
            if row is None:
                raise JobError(MSG_GONE)
            row.transcribed_until = until
            db.commit()

    engine = transcriber(ctx)
    began = time.monotonic()
    try:
        transcript = engine.transcribe(
            path,
            language=language or None,
            on_progress=lambda fraction: ctx.progress(fraction, step),
            should_cancel=ctx.cancelled,
            start_at=start,
            on_chunk=checkpoint,
            vocabulary=terms,
        )
    except (TranscriptionError, ModelFilesMissing) as exc:
        _fail(ctx, meeting_id, MeetingStatus.FAILED, exc.message_fr)
        raise JobError(exc.message_fr) from None
    except (JobCancelled, TranscriptionCancelled):
        _fail(ctx, meeting_id, MeetingStatus.CANCELLED)
        raise JobCancelled from None
    if position == 0:
        _fail(ctx, meeting_id, MeetingStatus.FAILED, MSG_NO_SPEECH)
        raise JobError(MSG_NO_SPEECH)
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        if meeting is None:
            raise JobError(MSG_GONE)
        meeting.status = MeetingStatus.READY
        meeting.duration = transcript.duration
        meeting.model = transcript.model[:200]
        meeting.detected_language = (transcript.language or language)[:10]
        ledger.record_call(  # the transcription's time, energy and carbon in the ledger
            db, tenant_id=meeting.tenant_id, user_id=meeting.user_id,
            service_id=meeting.service_id, kind="transcription", provider_name="Whisper (local)",
            model=transcript.model, seconds=time.monotonic() - began,
            extra={"audio_seconds": transcript.duration - start},
        )  # fmt: skip
        if retention.settings_for(db, meeting.tenant_id).audio_policy == "transcription":
            meetings.delete_audio(meeting)
        db.commit()
    return {"url": f"/reunions/{meeting_id}", "segments": position}
