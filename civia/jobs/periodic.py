"""Plugin periodic tasks (`register_periodic_tasks`), run once per period across every process.

Huey's scheduler enqueues them: each worker started with `periodic=True` (the web process in the
embedded deployment, each `civia worker`) consumes the `periodic` Huey queue and its scheduler
enqueues every task each minute (`crontab()`, Huey's finest grain). Huey's documentation leaves
exactly-once to the application when several consumers schedule, so before a task runs its
worker claims the period with one conditional UPDATE of `periodic_runs` (`next_run_at <= now` →
`now + every`): only one process can move the date forward, on SQLite and PostgreSQL alike, so
two replicas never fetch the same mailbox twice in a period, and a period missed while every
process was stopped runs at the first minute after a start.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from huey import Huey, crontab
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from civia.db.base import utcnow
from civia.db.engine import affected
from civia.jobs import dispatch
from civia.jobs.models import PeriodicRun
from civia.plugins.registries import PeriodicTask
from civia.settings import Settings

log = logging.getLogger("civia.periodic")


def claim(
    db: Session, name: str, every_seconds: float, holder: str, now: datetime | None = None
) -> bool:
    """True when this caller may run `name` now: it moved the task's next run a period ahead.
    Commits its own change."""
    now = now or utcnow()
    following = now + timedelta(seconds=every_seconds)
    result = db.execute(
        update(PeriodicRun)
        .where(PeriodicRun.name == name, PeriodicRun.next_run_at <= now)
        .values(next_run_at=following, holder=holder[:120], last_started_at=now),
        execution_options={"synchronize_session": False},
    )
    if affected(result) == 1:
        db.commit()
        return True
    db.rollback()
    if db.get(PeriodicRun, name) is not None:
        return False
    db.add(PeriodicRun(name=name, next_run_at=following, holder=holder[:120], last_started_at=now))
    try:
        db.commit()
    except IntegrityError:  # another process created the row first: its period
        db.rollback()
        return False
    return True


def run_due(
    sessions: sessionmaker[Session], settings: Settings, task: PeriodicTask, holder: str
) -> bool:
    """Run `task` if its period is ours; failures are logged, never raised (the next period
    comes anyway)."""
    try:
        with sessions() as db:
            if not claim(db, task.name, task.every_seconds, holder):
                return False
    except (OperationalError, ProgrammingError):  # not migrated yet: `civia db upgrade`
        log.warning("periodic_runs table missing; run `civia db upgrade`")
        return False
    try:
        task.run(sessions, settings)
    except Exception:
        log.exception("periodic task %s failed", task.name)
    return True


def schedule(huey: Huey, name: str) -> None:
    """Have Huey's scheduler enqueue the task `name` every minute (its run claims the period).
    Declared once per Huey instance; the worker whose thread takes the message runs it."""
    with contextlib.suppress(ValueError):  # declared already by another worker of this process
        huey.periodic_task(crontab(), name=f"civia.periodic.{name}")(lambda: _run(name))


def _run(name: str) -> bool:
    return dispatch.current_runner().run_periodic(name)
