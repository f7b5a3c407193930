"""The transcription job with the real embedded Whisper: progress, failures with their French
reason, the audio policy, one job after another, and resuming after the worker was killed."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.db.engine import session_scope
from civia.governance.models import GovernanceSettings
from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.meetings.evaluation import corpus_wer
from civia.meetings.models import Meeting, MeetingSegment
from civia.usage.models import LedgerEntry
from tests.conftest import Personas, login_as, page_text

from .conftest import CLIP, SPEECH, needs_clip, needs_ffmpeg, write_wav

pytestmark = [needs_ffmpeg]
LONG_CLIP = SPEECH / "fleurs-fr-001.ogg"  # 23 s


def _upload(client: TestClient, path: Path, language: str = "fr") -> int:
    headers = {**login_as(client, "agent"), "Accept": "application/json"}
    resp = client.post(
        "/reunions",
        data={"title": path.stem, "language": language},
        files={"audio": (path.name, path.read_bytes(), "audio/ogg")},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _state(client: TestClient, meeting_id: int) -> tuple[Meeting, Job, list[MeetingSegment]]:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        meeting = db.get(Meeting, meeting_id)
        job = db.get(Job, meeting.job_id)
        rows = list(
            db.scalars(
                select(MeetingSegment)
                .where(MeetingSegment.meeting_id == meeting_id)
                .order_by(MeetingSegment.position)
            )
        )
        db.expunge_all()
        return meeting, job, rows


def _run(client: TestClient) -> bool:
    app = client.app
    return Worker(app.state.sessions, app.state.settings, {}).run_once("transcription")  # type: ignore[attr-defined]


@pytest.mark.model
@needs_clip
def test_clip_becomes_an_editable_transcript(client: TestClient) -> None:
    meeting_id = _upload(client, CLIP)
    assert _run(client)
    meeting, job, rows = _state(client, meeting_id)
    assert job.status == "done" and job.progress == 1.0
    assert job.result["url"] == f"/reunions/{meeting_id}"
    assert meeting.status == "ready" and meeting.duration == pytest.approx(8.35, abs=0.1)
    assert meeting.detected_language == "fr" and "whisper" in meeting.model
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        entry = db.scalar(select(LedgerEntry).where(LedgerEntry.kind == "transcription"))
        assert entry is not None and entry.event.user_id == meeting.user_id
        assert entry.event.latency_ms > 0 and (entry.gwp_kgco2eq_max or 0) > 0
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [" ".join(r.text for r in rows)]) < 0.5
    assert all(a.end <= b.start + 0.01 for a, b in itertools.pairwise(rows))
    # kept for the review (default policy), as the canonical FLAC only: the upload is gone
    kept = Path(meeting.audio_file)
    assert kept.name == "enregistrement.flac" and meeting.audio_mime == "audio/flac"
    assert list(kept.parent.iterdir()) == [kept]
    page = page_text(client.get(f"/reunions/{meeting_id}"))
    assert "Transcription à relire" in page and "sortie de piste" in page.lower()
    assert f'src="/reunions/{meeting_id}/audio"' in page


@pytest.mark.model
def test_silent_recording_fails_with_its_reason(client: TestClient, tmp_path: Path) -> None:
    meeting_id = _upload(client, write_wav(tmp_path / "silence.wav", [0] * 32_000))
    _run(client)
    meeting, job, _ = _state(client, meeting_id)
    assert job.status == "failed" and "Aucune parole" in job.error
    assert meeting.status == "failed" and meeting.error == job.error
    page = page_text(client.get(f"/reunions/{meeting_id}"))
    assert "Échec de la transcription : Aucune parole" in page


def test_zero_second_recording_fails_with_its_reason(client: TestClient, tmp_path: Path) -> None:
    """A WAV header with no samples: ffprobe gives no duration, so the upload accepts it; the
    job counts the samples and stops with the reason (the model is never loaded)."""
    meeting_id = _upload(client, write_wav(tmp_path / "zero.wav", []))
    _run(client)
    meeting, job, _ = _state(client, meeting_id)
    assert job.status == "failed" and "0 seconde" in job.error
    assert meeting.status == "failed" and "0 seconde" in page_text(
        client.get(f"/reunions/{meeting_id}")
    )


@pytest.mark.model
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_recording_in_another_language_fails_with_its_reason(
    client: TestClient, tmp_path: Path
) -> None:
    path = tmp_path / "english.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en", "-w", str(path),
         "Good evening everyone. The city council will now discuss the budget for next year, "
         "including the new library and the repairs to the swimming pool."],
        check=True,
    )  # fmt: skip
    meeting_id = _upload(client, path, language="fr")
    _run(client)
    meeting, job, _ = _state(client, meeting_id)
    assert job.status == "failed" and "anglais" in job.error and "pas en français" in job.error
    assert meeting.status == "failed"


@pytest.mark.model
@needs_clip
def test_strict_policy_deletes_the_recording_once_transcribed(
    client: TestClient, personas: Personas
) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.add(GovernanceSettings(tenant_id=personas.tenant.id, audio_policy="transcription"))
    meeting_id = _upload(client, CLIP)
    stored = Path(_state(client, meeting_id)[0].audio_file)
    _run(client)
    meeting, job, rows = _state(client, meeting_id)
    assert job.status == "done" and rows and meeting.audio_file == "" and not stored.exists()
    assert "a été supprimé" in page_text(client.get(f"/reunions/{meeting_id}"))


@pytest.mark.model
@needs_clip
def test_queued_jobs_run_one_after_another(client: TestClient) -> None:
    first, second = _upload(client, CLIP), _upload(client, CLIP)
    app = client.app
    worker = Worker(app.state.sessions, app.state.settings, {"transcription": 1}, poll_s=0.2)  # type: ignore[attr-defined]
    worker.start()
    try:
        for _ in range(600):
            if _state(client, second)[1].status == "done":
                break
            time.sleep(0.1)
    finally:
        worker.stop()
    job1, job2 = _state(client, first)[1], _state(client, second)[1]
    assert job1.status == job2.status == "done"
    assert job1.finished_at <= job2.started_at


def test_queued_job_cancelled_marks_the_meeting(client: TestClient, tmp_path: Path) -> None:
    meeting_id = _upload(client, write_wav(tmp_path / "r.wav", [500, -500] * 8000))
    headers = login_as(client, "agent")
    job_id = _state(client, meeting_id)[1].id
    assert client.post(f"/travaux/{job_id}/annuler", headers=headers).status_code == 200
    assert "Transcription annulée" in page_text(client.get(f"/reunions/{meeting_id}"))
    assert not _run(client)


def test_a_job_interrupted_with_no_attempt_left_fails_clearly(
    client: TestClient, tmp_path: Path
) -> None:
    meeting_id = _upload(client, write_wav(tmp_path / "r.wav", [500, -500] * 8000))
    app = client.app
    with session_scope(app.state.sessions) as db:  # type: ignore[attr-defined]
        job = db.get(Job, db.get(Meeting, meeting_id).job_id)
        job.status, job.attempts, job.max_attempts = "running", 3, 3
        job.worker = f"{os.uname().nodename}:999999999:dead:transcription-0"
    Worker(app.state.sessions, app.state.settings, {}).sweep()  # type: ignore[attr-defined]
    _meeting, job, _ = _state(client, meeting_id)
    assert job.status == "failed" and job.error == queue.INTERRUPTED_FR
    page = page_text(client.get(f"/reunions/{meeting_id}"))
    assert "interrompu (arrêt ou redémarrage du serveur)" in page


@pytest.mark.model
@pytest.mark.skipif(not LONG_CLIP.is_file(), reason="shared speech clips absent")
def test_killed_worker_resumes_from_the_last_finished_chunk(
    client: TestClient, tmp_path: Path
) -> None:
    """A real `civia worker` process is killed (SIGKILL) mid-transcription; the next start's
    sweep queues the job again and it goes on from the checkpoint, not from the start."""
    meeting_id = _upload(client, LONG_CLIP)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    env = {
        **os.environ,
        "CIVIA_DATABASE_URL": settings.db_url,
        "CIVIA_DATA_DIR": str(settings.data_dir),
        "CIVIA_TRANSCRIPTION_CHUNK_S": "5",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "civia.cli", "worker", "--queues", "transcription=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(1200):
            meeting, job, before = _state(client, meeting_id)
            if meeting.transcribed_until > 0:
                break
            assert worker.poll() is None, "worker exited"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    meeting, job, before = _state(client, meeting_id)
    checkpoint = meeting.transcribed_until
    assert job.status == "running" and 0 < checkpoint < 20, (job.status, checkpoint)
    settings.transcription_chunk_s = 5
    app = client.app
    assert Worker(app.state.sessions, settings, {}).sweep()["resumed"] == 1  # type: ignore[attr-defined]
    assert _run(client)
    meeting, job, after = _state(client, meeting_id)
    assert job.status == "done" and job.attempts == 2
    assert job.message.startswith("Reprise à 00:00:0")
    assert [r.id for r in after[: len(before)]] == [r.id for r in before]  # kept, not redone
    assert after[len(before)].start >= checkpoint - 0.01
    assert meeting.duration == pytest.approx(23.4, abs=0.2)
    reference = LONG_CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [" ".join(r.text for r in after)]) < 0.6
