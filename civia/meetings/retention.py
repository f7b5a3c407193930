"""Meetings in the governance hooks: the retention purge (recordings after their period,
transcripts with the assistant results' period) and the user's data export and erasure
(returned by the meetings plugin's `register_governance` hook)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.meetings.meetings import delete_audio, remove, segments
from civia.meetings.models import Meeting, MinutesPart
from civia.plugins.registries import Purger, RightsSection


def purge_audio(db: Session, tenant_id: int, cutoff: datetime) -> int:
    """Recordings uploaded before `cutoff` (the transcripts stay)."""
    found = db.scalars(
        select(Meeting).where(
            Meeting.tenant_id == tenant_id, Meeting.audio_file != "", Meeting.created_at < cutoff
        )
    )
    return sum(delete_audio(meeting) for meeting in found)


def purge_transcripts(db: Session, tenant_id: int, cutoff: datetime) -> int:
    """Meetings (transcript, recording, condensed parts) untouched since `cutoff`."""
    found = list(
        db.scalars(
            select(Meeting).where(Meeting.tenant_id == tenant_id, Meeting.updated_at < cutoff)
        )
    )
    for meeting in found:
        remove(db, meeting=meeting)
    db.flush()
    return len(found)


def export_meetings(db: Session, user: User) -> list[dict[str, Any]]:
    out = []
    for meeting in db.scalars(
        select(Meeting).where(Meeting.user_id == user.id).order_by(Meeting.id)
    ):
        out.append(
            {
                "id": meeting.id,
                "titre": meeting.title,
                "date": meeting.meeting_date,
                "cree_le": meeting.created_at.isoformat(),
                "langue": meeting.language,
                "etat": meeting.status,
                "duree_secondes": meeting.duration,
                "fichier_audio": meeting.audio_name,
                "audio_conserve": bool(meeting.audio_file),
                "audio_supprime_le": _day(meeting.audio_deleted_at),
                "relue_le": _day(meeting.reviewed_at),
                "segments": [
                    {"debut": s.start, "fin": s.end, "intervenant": s.speaker, "texte": s.text}
                    for s in segments(db, meeting)
                ],
                # The minutes are an assistant result (see "resultats_assistants").
                "compte_rendu_resultat": meeting.minutes_run_id,
                "parties_condensees": list(
                    db.scalars(
                        select(MinutesPart.text)
                        .where(MinutesPart.meeting_id == meeting.id)
                        .order_by(MinutesPart.level, MinutesPart.position)
                    )
                ),
            }
        )
    return out


def count_meetings(db: Session, user: User) -> int:
    return db.scalar(select(func.count()).where(Meeting.user_id == user.id)) or 0


def erase_meetings(db: Session, user: User) -> int:
    """The user's meetings go (recordings, transcripts, condensed parts); on others' meetings,
    nobody needs to know they reviewed them."""
    found = list(db.scalars(select(Meeting).where(Meeting.user_id == user.id)))
    for meeting in found:
        remove(db, meeting=meeting)
    db.flush()
    db.execute(update(Meeting).where(Meeting.reviewed_by == user.id).values(reviewed_by=None))
    return len(found)


def _day(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def governance_items() -> list[Purger | RightsSection]:
    return [
        Purger("audio", purge_audio),
        Purger("transcripts", purge_transcripts),
        RightsSection(
            "reunions", export_meetings, erase_meetings, count=("Réunions", count_meetings)
        ),
    ]
