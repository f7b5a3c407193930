"""The jobs table: what a user sees of a background task (status, progress, errors)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (JobStatus.DONE.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value)

STATUS_LABELS = {
    JobStatus.QUEUED: "En file d'attente",
    JobStatus.RUNNING: "En cours",
    JobStatus.DONE: "Terminé",
    JobStatus.FAILED: "Échec",
    JobStatus.CANCELLED: "Annulé",
}


class Job(Base, Timestamped):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_queue_status", "queue", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60))
    queue: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0.0 to 1.0
    message: Mapped[str] = mapped_column(String(300), default="")  # current step, in French
    error: Mapped[str] = mapped_column(Text, default="")  # in French, shown to users
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=2)
    worker: Mapped[str] = mapped_column(String(120), default="")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PeriodicRun(Base):
    """When each plugin periodic task may run next, shared by every process (web replicas,
    `civia worker`s): the one that moves `next_run_at` forward runs the task (see
    `civia.jobs.periodic.claim`), so a period's run happens once across replicas."""

    __tablename__ = "periodic_runs"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    holder: Mapped[str] = mapped_column(String(120), default="")
    last_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
