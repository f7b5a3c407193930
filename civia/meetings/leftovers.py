"""Sweep what a stopped server left in the recordings folder.

An upload is received as `<folder>/<uuid>.part` and the conversion writes
`enregistrement.flac.part` before renaming it; a server stopped (or a commit that failed) in
between leaves these files behind, and nothing refers to them: the person's recording would stay
on disk forever, outside any retention period. The sweep runs when the app starts. It removes
`.part` files no meeting points to and that nobody wrote to for `idle_s` (an upload or a
conversion in progress in another process keeps writing), then the folders left empty.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.meetings.meetings import AUDIO_DIR
from civia.meetings.models import Meeting
from civia.settings import Settings

logger = logging.getLogger(__name__)
IDLE_S = 3600.0


def sweep(settings: Settings, sessions: sessionmaker[Session], idle_s: float = IDLE_S) -> int:
    """Remove orphaned partial files; returns how many."""
    root = settings.data_dir / AUDIO_DIR
    if not root.is_dir():
        return 0
    with sessions() as db:
        kept = {Path(p).resolve() for p in db.scalars(select(Meeting.audio_file)) if p}
    cutoff = time.time() - idle_s
    removed = 0
    for path in sorted(root.glob("*/**/*.part")):
        try:
            stale = path.is_file() and path.stat().st_mtime < cutoff
        except OSError:
            continue
        if stale and path.resolve() not in kept:
            path.unlink(missing_ok=True)
            removed += 1
            with contextlib.suppress(OSError):  # an upload folder left empty
                if path.parent.parent.parent == root:
                    path.parent.rmdir()
    if removed:
        logger.info("removed %d orphaned partial recording file(s)", removed)
    return removed
