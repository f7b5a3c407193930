"""Partial recordings of a stopped server are swept at start; the upload a meeting points to is
deleted only once the switch to the canonical file is committed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from civia.app import create_app
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.meetings import leftovers, meetings
from civia.meetings.models import Meeting
from civia.settings import Settings
from tests.conftest import make_personas

OLD = time.time() - 2 * leftovers.IDLE_S


def _file(path: Path, age: float | None = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"fLaC partial")
    if age is not None:
        os.utime(path, (age, age))
    return path


def test_orphaned_partial_files_are_swept_when_the_app_starts(
    settings: Settings, password_hash: str
) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    root = settings.data_dir / meetings.AUDIO_DIR
    with session_scope(make_sessionmaker(engine)) as db:
        people = make_personas(db, password_hash)
        tid = people.tenant.id
        queued = _file(root / str(tid) / ("a" * 32) / "upload.part")  # a queued meeting's upload
        db.add(Meeting(tenant_id=tid, user_id=people["agent"].id, title="CM",
                       audio_file=str(queued)))  # fmt: skip
    engine.dispose()
    orphan = _file(root / str(tid) / ("b" * 32) / "f00d.part")  # server stopped before commit
    conversion = _file(queued.parent / "enregistrement.flac.part")  # stopped mid-conversion
    receiving = _file(root / str(tid) / ("c" * 32) / "beef.part", age=None)  # still arriving
    kept = _file(root / str(tid) / ("d" * 32) / "enregistrement.flac")
    app = create_app(settings)
    try:
        assert not orphan.exists() and not orphan.parent.exists()
        assert not conversion.exists()
        assert queued.exists() and receiving.exists() and kept.exists()
        assert leftovers.sweep(settings, app.state.sessions) == 0
    finally:
        app.state.engine.dispose()


def test_the_upload_is_deleted_only_after_the_commit(client: TestClient, personas) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    folder = meetings.upload_dir(settings, personas.tenant.id)
    upload = _file(folder / "1234.part")
    canonical = _file(folder / "enregistrement.flac")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        meeting = Meeting(tenant_id=personas.tenant.id, user_id=personas["agent"].id,
                          title="CM", audio_file=str(upload))  # fmt: skip
        db.add(meeting)
        db.commit()
        replaced = meetings.use_canonical(meeting, canonical)
        db.rollback()  # the commit failed: the meeting still points at the upload…
        db.refresh(meeting)
        assert meeting.audio_file == str(upload)
        assert upload.exists()  # …which must still be there
        assert replaced == upload
