"""Meetings: one recording, its transcription job, the transcript's segments as the agent
corrects them, and the minutes run they lead to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped, utcnow


class MeetingStatus:
    TRANSCRIBING = "transcribing"  # queued or running: the job tells which
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    MeetingStatus.TRANSCRIBING: "Transcription en cours",
    MeetingStatus.READY: "Transcription à relire",
    MeetingStatus.FAILED: "Échec de la transcription",
    MeetingStatus.CANCELLED: "Transcription annulée",
}


class Meeting(Base, Timestamped):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[str] = mapped_column(String(10), default="")  # AAAA-MM-JJ, optional
    language: Mapped[str] = mapped_column(String(10), default="fr")  # "" = detect
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.TRANSCRIBING)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    # The recording's absolute path; "" once deleted (retention).
    audio_file: Mapped[str] = mapped_column(String(1000), default="")
    audio_name: Mapped[str] = mapped_column(String(255), default="")
    audio_mime: Mapped[str] = mapped_column(String(100), default="")
    audio_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    audio_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration: Mapped[float | None] = mapped_column(Float)
    # Checkpoint: seconds of the recording whose segments are stored (resume after a crash).
    transcribed_until: Mapped[float] = mapped_column(Float, default=0.0)
    model: Mapped[str] = mapped_column(String(200), default="")
    detected_language: Mapped[str] = mapped_column(String(10), default="")
    # Optimistic lock for the editor: every save sends the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    minutes_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    minutes_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistant_runs.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeetingSegment(Base):
    """A stretch of the transcript: times in seconds from the start, a manual speaker label."""

    __tablename__ = "meeting_segments"
    __table_args__ = (Index("ix_meeting_segments_order", "meeting_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(100), default="")


class MinutesPart(Base):
    """A condensed part of a long transcript (checkpoint of the minutes job, see minutes.py)."""

    __tablename__ = "meeting_minutes_parts"
    __table_args__ = (Index("ix_meeting_minutes_parts_order", "meeting_id", "level", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
