"""Plugin periodic tasks (`register_periodic_tasks`), run once per period across every process.

The web process (embedded deployment) and each `civia worker` run a `PeriodicRunner`; before a
task runs, its runner claims the period with one conditional UPDATE of `periodic_runs`
(`next_run_at <= now` → `now + every`). Only one process can move the date forward, on SQLite
and PostgreSQL alike, so two replicas never fetch the same mailbox twice in a period.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from civia.db.base import utcnow
from civia.db.engine import affected
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


class PeriodicRunner:
    """A thread that checks every `tick_s` which tasks are due and runs the ones it claims."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        tasks: list[PeriodicTask],
        holder: str,
        *,
        first_delay_s: float = 60.0,
        tick_s: float = 5.0,
    ) -> None:
        self.sessions, self.settings, self.tasks, self.holder = sessions, settings, tasks, holder
        self.first_delay_s, self.tick_s = first_delay_s, tick_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.tasks:
            return
        self._thread = threading.Thread(target=self._loop, name="periodic-tasks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        if self._stop.wait(self.first_delay_s):
            return
        while not self._stop.is_set():
            for task in self.tasks:
                if self._stop.is_set():
                    return
                run_due(self.sessions, self.settings, task, self.holder)
            self._stop.wait(self.tick_s)
