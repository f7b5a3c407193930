"""Meetings as a text store for the erasure of a cited person (see
`civia.plugins.text_stores`): titles and recording names, the transcript's segments (text and
speaker) and the condensed parts a minutes job keeps. The minutes themselves are an assistant
result, in the "runs" store.

A redacted transcript gets a new version, so that an editor left open cannot save the erased
name back (its save is refused as a conflict). The recording is deleted: it still says the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.meetings.meetings import delete_audio
from civia.meetings.models import Meeting, MeetingSegment, MinutesPart
from civia.plugins.text_stores import Fields, Item, Redact, TextStore

MEETINGS = Fields(Meeting, "meeting", {"title": "intitulé", "audio_name": "nom du fichier audio"})
SEGMENTS = Fields(MeetingSegment, "segment", {"text": "texte", "speaker": "intervenant"})
PARTS = Fields(MinutesPart, "minutes", {"text": "partie condensée pour le compte rendu"})


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{secs:02d}"


def find(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(Meeting).where(Meeting.tenant_id == tenant_id, MEETINGS.filter(anchors))
    for meeting in db.scalars(stmt.order_by(Meeting.id)):
        day = meeting.created_at.strftime("%d/%m/%Y")
        for key, label, text in MEETINGS.texts(meeting):
            yield Item(key, f"Réunion n° {meeting.id} déposée le {day} : {label}",
                       meeting.user_id, text)  # fmt: skip
    for fields in (SEGMENTS, PARTS):
        model = fields.model
        rows = db.execute(
            select(model, Meeting.user_id)
            .join(Meeting, Meeting.id == model.meeting_id)
            .where(Meeting.tenant_id == tenant_id, fields.filter(anchors))
            .order_by(model.meeting_id, model.position)
        )
        for row, owner in rows:
            if model is MeetingSegment:
                at = f"passage n° {row.position + 1} ({_clock(row.start)})"
            else:
                at = f"partie n° {row.position + 1}"
            for key, label, text in fields.texts(row):
                yield Item(key, f"Réunion n° {row.meeting_id}, {at} : {label}", owner, text)


def redact(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
    mine = select(Meeting.id).where(Meeting.tenant_id == tenant_id)
    total = MEETINGS.redact(db, keys, redact, Meeting.tenant_id == tenant_id)
    segments: set[int] = set()
    total += SEGMENTS.redact(db, keys, redact, MeetingSegment.meeting_id.in_(mine), segments)
    total += PARTS.redact(db, keys, redact, MinutesPart.meeting_id.in_(mine))
    if segments:
        touched = select(MeetingSegment.meeting_id).where(MeetingSegment.id.in_(segments))
        for meeting in db.scalars(select(Meeting).where(Meeting.id.in_(touched))):
            meeting.version += 1
            delete_audio(meeting)  # the erasure commits right after
        db.flush()
    return total


def text_stores() -> list[TextStore]:
    return [
        TextStore(
            "meetings", "Réunions (transcriptions ; l'enregistrement est supprimé)", find, redact
        )
    ]
