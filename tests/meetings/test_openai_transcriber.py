"""The OpenAI-compatible /v1/audio/transcriptions client.

Against a real server when one can run here: faster-whisper-server (PyPI) serving the bundled
model directory, fully offline. Error mapping for answers a local server will not give (401,
garbage) uses httpx.MockTransport.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from civia.meetings.evaluation import corpus_wer
from civia.providers.models import HostingClass, Provider
from civia.providers.speech import Transcriber, TranscriptionError
from civia.providers.whisper import OpenAITranscriber
from tests.conftest import Personas
from tests.meetings.test_jobs import _run, _state, _upload
from tests.servers import free_port, whisper_server

from .conftest import CLIP, needs_clip, needs_ffmpeg

pytestmark = [needs_ffmpeg, needs_clip]


@pytest.fixture(scope="module")
def server_url(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("faster_whisper_server") is None:
        pytest.skip("faster-whisper-server not installed")
    with whisper_server(model_dir, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.mark.model
def test_real_server_transcribes_the_clip(server_url: str) -> None:
    client = OpenAITranscriber(server_url, model="whisper-1")
    assert isinstance(client, Transcriber)
    progress: list[float] = []
    transcript = client.transcribe(CLIP, on_progress=progress.append)
    assert transcript.segments and transcript.language == "fr"
    assert all(s.start < s.end for s in transcript.segments)
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [transcript.text]) < 0.5
    assert progress[-1] == 1.0


def test_unreachable_server_gives_a_french_error() -> None:
    client = OpenAITranscriber(f"http://127.0.0.1:{free_port()}/v1", timeout=5)
    with pytest.raises(TranscriptionError) as caught:
        client.transcribe(CLIP)
    assert caught.value.code == "server_unreachable"
    assert "injoignable" in caught.value.message_fr


def test_refused_key_gives_a_french_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(401, json={"error": "no"}))
    client = OpenAITranscriber("http://albert.test/v1", api_key="bad", transport=transport)
    with pytest.raises(TranscriptionError) as caught:
        client.transcribe(CLIP)
    assert caught.value.code == "server_refused"


def test_request_shape_and_plain_json_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"text": " Le même mois. "})

    client = OpenAITranscriber(
        "http://albert.test/v1", api_key="k", model="openai/whisper-large-v3",
        transport=httpx.MockTransport(handler),
    )  # fmt: skip
    transcript = client.transcribe(CLIP, language="fr")
    (request,) = seen
    assert request.url.path == "/v1/audio/transcriptions"
    assert request.headers["authorization"] == "Bearer k"
    body = request.read()
    for field in (b'name="response_format"', b"verbose_json", b'name="language"',
                  b"openai/whisper-large-v3", b'filename="extrait.wav"'):  # fmt: skip
        assert field in body
    assert [s.text for s in transcript.segments] == ["Le même mois."]
    assert transcript.segments[0].end == pytest.approx(transcript.duration)


@pytest.mark.model
def test_meeting_job_uses_the_transcription_server_the_admin_chose(
    server_url: str, client: TestClient, personas: Personas
) -> None:
    """The production path: a collectivité whose admin chose a transcription server has its
    meetings transcribed by that server, not by the embedded Whisper."""
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.add(
            Provider(
                tenant_id=personas.tenant.id, name="faster-whisper-server",
                kind="openai_compat", capability="transcription", base_url=server_url,
                models=["whisper-1"], hosting_class=HostingClass.LOCAL.value, is_default=True,
            )
        )  # fmt: skip
        db.commit()
    meeting_id = _upload(client, CLIP)
    assert _run(client)
    meeting, job, rows = _state(client, meeting_id)
    assert job.status == "done", job.error
    assert meeting.status == "ready" and meeting.model == f"whisper-1 ({server_url})"
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [" ".join(r.text for r in rows)]) < 0.5
