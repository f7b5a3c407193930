"""Run the retention sweep inside the app, once shortly after start and then every N hours.

The sweep is idempotent (it deletes what is past its retention date), so several replicas
running it is harmless; `civia retention sweep` from cron does the same for other set-ups.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from civia.db.engine import session_scope
from civia.governance import retention
from civia.plugins.registries import Governance

log = logging.getLogger("civia.retention")
FIRST_DELAY_S = 60.0


def sweep_once(sessions: sessionmaker[Session], hooks: Governance) -> dict[str, dict[str, int]]:
    with session_scope(sessions) as db:
        report = retention.sweep(db, hooks=hooks)
    log.info("retention sweep done: %s", report)
    return report


async def run_periodically(
    sessions: sessionmaker[Session], every_hours: float, hooks: Governance
) -> None:
    await asyncio.sleep(FIRST_DELAY_S)
    while True:
        try:
            await asyncio.to_thread(sweep_once, sessions, hooks)
        except Exception:  # a failed sweep must not stop the next ones; it is logged
            log.exception("retention sweep failed")
        await asyncio.sleep(every_hours * 3600)
