"""The OpenAI-compatible /v1/audio/transcriptions client.

Against a real server when one can run here: faster-whisper-server (PyPI) serving the bundled
model directory, fully offline. Error mapping for answers a local server will not give (401,
garbage) uses httpx.MockTransport.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from civia.meetings.evaluation import corpus_wer
from civia.providers.speech import Transcriber, TranscriptionError
from civia.providers.whisper import OpenAITranscriber

from .conftest import CLIP, needs_clip, needs_ffmpeg

pytestmark = [needs_ffmpeg, needs_clip]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("faster_whisper_server") is None:
        pytest.skip("faster-whisper-server not installed")
    port = _free_port()
    config = tmp_path_factory.mktemp("server") / "models.yaml"
    # faster-whisper-server 0.0.3 picks the model from a non-standard `model_name` form field
    # (default "whisper-1") and ignores OpenAI's `model`: serve ours under that default name.
    config.write_text(
        f"models:\n  - name: whisper-1\n    path: {model_dir}\n"
        "    model_options: {device: cpu, compute_type: int8, cpu_threads: 2}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "faster_whisper_server", "--config", str(config),
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("faster-whisper-server did not start in 60 s")
        yield f"{url}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


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
    client = OpenAITranscriber(f"http://127.0.0.1:{_free_port()}/v1", timeout=5)
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
