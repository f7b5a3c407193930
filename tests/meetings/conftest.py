"""Fixtures for the meetings tests: shared speech clips and the real embedded model.

The clips are read from ../shared/data/speech (or $CIVIA_SHARED_DATA/speech); tests that need
them, ffmpeg or the model packages skip cleanly when they are absent. The model is assembled
once per session into a temporary directory and loaded once (faster-whisper is cached per
process), so the whole folder runs in well under a minute.
"""

from __future__ import annotations

import os
import shutil
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CIVIA_SHARED_DATA", REPO.parent / "shared" / "data"))
SPEECH = SHARED / "speech"
CLIP = SPEECH / "fleurs-fr-004.ogg"
HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None

needs_ffmpeg = pytest.mark.skipif(not HAS_FFMPEG, reason="ffmpeg/ffprobe not installed")
needs_clip = pytest.mark.skipif(
    not (CLIP.is_file() and CLIP.with_suffix(".txt").is_file()),
    reason=f"shared speech clips absent ({SPEECH})",
)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from civia.providers.whisper_files import ModelFilesMissing, ensure_model_dir

    pytest.importorskip("faster_whisper")
    try:
        return ensure_model_dir(tmp_path_factory.mktemp("models"))
    except ModelFilesMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def transcriber(model_dir: Path):
    from civia.providers.whisper import WhisperTranscriber

    if not HAS_FFMPEG:
        pytest.skip("ffmpeg/ffprobe not installed")
    # Two threads: the tests are the only workload; the product default stays 1.
    engine = WhisperTranscriber(model_dir, cpu_threads=2)
    engine.model()
    return engine


def write_wav(path: Path, samples: list[int] | bytes, rate: int = 16_000) -> Path:
    """A mono 16-bit WAV from int samples (or raw little-endian bytes)."""
    data = (
        samples
        if isinstance(samples, bytes)
        else b"".join(int(v).to_bytes(2, "little", signed=True) for v in samples)
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data)
    return path


@pytest.fixture
def meeting_db(db_url: str, password_hash: str):
    """A session on a fresh database (SQLite, then PostgreSQL) with the personas."""
    from civia.db.base import Base
    from civia.db.engine import make_engine, make_sessionmaker
    from tests.conftest import make_personas

    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    db = sessions()
    personas = make_personas(db, password_hash)
    db.commit()
    yield db, personas
    db.close()
    engine.dispose()


def add_meeting(db, user, texts: list[tuple[str, str]], *, audio: Path | None = None):
    """A ready meeting of `user` with one 2-second segment per (speaker, text)."""
    from civia.meetings.models import Meeting, MeetingSegment

    meeting = Meeting(
        tenant_id=user.tenant_id,
        user_id=user.id,
        title="Conseil municipal",
        meeting_date="2026-03-12",
        status="ready",
        audio_file=str(audio) if audio else "",
        audio_name=audio.name if audio else "",
        audio_mime="audio/ogg",
        model="whisper-base (faster-whisper, int8)",
    )
    db.add(meeting)
    db.flush()
    for position, (speaker, text) in enumerate(texts):
        db.add(
            MeetingSegment(
                meeting_id=meeting.id,
                position=position,
                start=2.0 * position,
                end=2.0 * position + 2.0,
                text=text,
                speaker=speaker,
            )
        )
    db.flush()
    return meeting
