"""Speech-to-text providers: embedded faster-whisper and OpenAI-compatible servers.

Both implement `civia.providers.speech.Transcriber` and share the same audio path: ffmpeg
decodes the recording to 16 kHz mono in chunks of ~10 minutes (memory stays flat on a 2-hour
council meeting), each chunk is transcribed, and segment times are shifted by the chunk offset.
Progress is reported from the end time of the last segment; cancellation is polled between
segments (embedded) or between chunks (server).
"""

from __future__ import annotations

import io
import threading
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np

from civia.providers import secrets
from civia.providers.audio import (
    MSG_ZERO_DURATION,
    SAMPLE_RATE,
    audio_chunks,
    is_silent,
    measure_duration,
    probe_audio,
)
from civia.providers.base import ProviderError
from civia.providers.openai_compat import resolve_api_key
from civia.providers.registry import ProviderConfig
from civia.providers.speech import (
    CancelCheck,
    ChunkCallback,
    ProgressCallback,
    Segment,
    Transcript,
    TranscriptionCancelled,
    TranscriptionError,
    language_name_fr,
)
from civia.providers.vocabulary import as_prompt
from civia.providers.whisper_files import MODEL_NAME, ensure_model_dir
from civia.settings import Settings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

DEFAULT_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
MUNICIPAL_PROMPT = (
    "Compte rendu du conseil municipal. Le maire, les adjoints au maire et les conseillers "
    "municipaux examinent les délibérations, les arrêtés municipaux, le budget primitif, "
    "la commission des finances, l'intercommunalité et le procès-verbal de la séance."
)
MSG_NO_SPEECH = (
    "Aucune parole n'a été détectée dans cet enregistrement (silence ou bruit uniquement)."
)
MSG_WRONG_LANGUAGE = (
    "L'enregistrement semble être en {detected}, pas en {requested}. Choisissez la bonne "
    "langue avant de relancer la transcription."
)


@dataclass(frozen=True)
class WhisperSettings:
    """Decoding options, chosen with bench/bench_transcription.py and
    bench/bench_whisper_models.py on FLEURS fr (the 5 shared clips: tuned on them).

    VAD on lowered WER; beam 1 raised it and beam 10 lowered it against beam 5 (0.261 vs 0.292
    clip by clip, 0.304 vs 0.329 on the clips joined, for 8 % more CPU time); the municipal
    prompt and hotwords did not help on this (non-municipal) corpus, so they stay opt-in;
    loudness normalisation keeps a quiet speaker next to a loud one from being dropped.
    Temperature fallback is kept: it only costs time when a window fails (repetition loops),
    which is when it is needed.
    """

    beam_size: int = 10
    vad_filter: bool = True
    temperature_fallback: bool = True
    initial_prompt: str | None = None
    hotwords: str | None = None
    condition_on_previous_text: bool = True
    chunk_seconds: float = 600.0
    check_language: bool = True
    normalize_loudness: bool = True

    def decode_options(self) -> dict[str, Any]:
        return {
            "beam_size": self.beam_size,
            "vad_filter": self.vad_filter,
            "temperature": list(DEFAULT_TEMPERATURES) if self.temperature_fallback else 0.0,
            "initial_prompt": self.initial_prompt,
            "hotwords": self.hotwords,
            "condition_on_previous_text": self.condition_on_previous_text,
        }


_MODELS: dict[tuple[str, str, int], WhisperModel] = {}
_MODELS_LOCK = threading.Lock()


def load_model(model_dir: str | Path, *, compute_type: str = "int8", cpu_threads: int = 1) -> Any:
    """Load a CTranslate2 Whisper model once per process and reuse it."""
    key = (str(Path(model_dir).resolve()), compute_type, cpu_threads)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            model = WhisperModel(
                key[0],
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                num_workers=1,
                local_files_only=True,
            )
            _MODELS[key] = model
        return model


class _Progress:
    """Monotonic fraction reporting, never reaching 1.0 before the end."""

    def __init__(self, callback: ProgressCallback | None, duration: float) -> None:
        self._callback = callback
        self._duration = max(duration, 1e-6)
        self._last = 0.0

    def at(self, seconds: float) -> None:
        fraction = min(seconds / self._duration, 0.999)
        if self._callback is not None and fraction > self._last:
            self._last = fraction
            self._callback(fraction)

    def done(self) -> None:
        if self._callback is not None:
            self._callback(1.0)


def _check_cancel(should_cancel: CancelCheck | None) -> None:
    if should_cancel is not None and should_cancel():
        raise TranscriptionCancelled()


def _duration(path: Path) -> float:
    duration = probe_audio(path).duration
    if duration is None:  # the container does not say (e.g. a browser recording): count
        duration = measure_duration(path)
        if duration <= 0:
            raise TranscriptionError("zero_duration", MSG_ZERO_DURATION)
    return duration


class WhisperTranscriber:
    """The embedded engine: faster-whisper (CTranslate2, int8, CPU) with the bundled base model.

    `cpu_threads` defaults to 1 so that a transcription job leaves the second core to the chat.
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        settings: WhisperSettings | None = None,
        cpu_threads: int = 1,
        compute_type: str = "int8",
        cache_dir: str | Path | None = None,
    ) -> None:
        self.settings = settings or WhisperSettings()
        self.cpu_threads = cpu_threads
        self.compute_type = compute_type
        self._model_dir = Path(model_dir) if model_dir else None
        self._cache_dir = cache_dir

    @property
    def name(self) -> str:
        label = self._model_dir.name if self._model_dir else MODEL_NAME
        return f"{label} (faster-whisper, {self.compute_type})"

    @property
    def model_dir(self) -> Path:
        if self._model_dir is None:
            self._model_dir = ensure_model_dir(self._cache_dir)
        return self._model_dir

    def describe(self) -> dict[str, Any]:
        """Settings in force, for transcript records and evaluation reports."""
        return {
            **asdict(self.settings),
            "cpu_threads": self.cpu_threads,
            "compute_type": self.compute_type,
        }

    def model(self) -> Any:
        """The loaded faster-whisper model (assembled and loaded on first use)."""
        return load_model(
            self.model_dir, compute_type=self.compute_type, cpu_threads=self.cpu_threads
        )

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str | None = "fr",
        on_progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        start_at: float = 0.0,
        on_chunk: ChunkCallback | None = None,
        vocabulary: Sequence[str] = (),
    ) -> Transcript:
        path = Path(path)
        progress = _Progress(on_progress, _duration(path))
        model = self.model()
        options = self.settings.decode_options()
        options["hotwords"] = _joined(self.settings.hotwords, as_prompt(vocabulary))
        segments: list[Segment] = []
        probability: float | None = None
        samples = int(start_at * SAMPLE_RATE)
        chunking = audio_chunks(
            path,
            self.settings.chunk_seconds,
            normalize=self.settings.normalize_loudness,
            start_seconds=start_at,
        )
        with chunking as chunks:
            for offset, audio in chunks:
                _check_cancel(should_cancel)
                samples += len(audio)
                found: list[Segment] = []
                if not is_silent(audio):
                    if language and self.settings.check_language and probability is None:
                        probability = self._check_language(model, audio, language)
                    pieces, info = model.transcribe(audio, language=language, **options)
                    for piece in pieces:
                        _check_cancel(should_cancel)
                        text = piece.text.strip()
                        if text:
                            found.append(Segment(offset + piece.start, offset + piece.end, text))
                        progress.at(offset + piece.end)
                    if language is None:  # keep the language detected on the first chunk
                        language, probability = info.language, info.language_probability
                segments.extend(found)
                if on_chunk is not None:
                    on_chunk(samples / SAMPLE_RATE, found)
                progress.at(samples / SAMPLE_RATE)
        if not segments and not start_at:
            raise TranscriptionError("no_speech", MSG_NO_SPEECH)
        progress.done()
        return Transcript(
            segments=segments,
            language=language or "",
            duration=samples / SAMPLE_RATE,
            model=self.name,
            language_probability=probability,
            settings=self.describe(),
        )

    def _check_language(self, model: Any, audio: np.ndarray, language: str) -> float:
        """Refuse a recording clearly in another language than the one requested."""
        detected, confidence, scores = model.detect_language(
            audio=audio, vad_filter=self.settings.vad_filter
        )
        requested = dict(scores).get(language, 0.0)
        if detected != language and confidence >= 0.8 and requested < 0.05:
            raise TranscriptionError(
                "wrong_language",
                MSG_WRONG_LANGUAGE.format(
                    detected=language_name_fr(detected), requested=language_name_fr(language)
                ),
            )
        return float(requested)


def _joined(*parts: str | None) -> str | None:
    """Prompt texts of the engine's settings and of the collectivité, in that order."""
    return ", ".join(p for p in parts if p) or None


def _wav_bytes(pcm: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(pcm, -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


class OpenAITranscriber:
    """Client of an OpenAI-compatible ``/v1/audio/transcriptions`` endpoint.

    Albert API, a faster-whisper server or any other compatible service. The recording is sent
    as 16 kHz mono WAV chunks of ~10 minutes (under the usual 25 MB upload limit), which also
    gives real progress and cancellation between chunks.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        model: str = "whisper-1",
        prompt: str | None = None,
        timeout: float = 600.0,
        chunk_seconds: float = 600.0,
        normalize_loudness: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.normalize_loudness = normalize_loudness
        self.model = model
        self.prompt = prompt
        self.chunk_seconds = chunk_seconds
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self._transport = transport

    @property
    def name(self) -> str:
        return f"{self.model} ({self.base_url})"

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str | None = "fr",
        on_progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        start_at: float = 0.0,
        on_chunk: ChunkCallback | None = None,
        vocabulary: Sequence[str] = (),
    ) -> Transcript:
        path = Path(path)
        progress = _Progress(on_progress, _duration(path))
        prompt = _joined(self.prompt, as_prompt(vocabulary))
        segments: list[Segment] = []
        detected = language or ""
        samples = int(start_at * SAMPLE_RATE)
        with (
            httpx.Client(
                headers=self._headers, timeout=self._timeout, transport=self._transport
            ) as client,
            audio_chunks(
                path, self.chunk_seconds, normalize=self.normalize_loudness, start_seconds=start_at
            ) as chunks,
        ):
            for offset, pcm in chunks:
                _check_cancel(should_cancel)
                samples += len(pcm)
                found: list[Segment] = []
                if not is_silent(pcm):
                    body = self._post(client, pcm, language, prompt)
                    detected = detected or str(body.get("language") or "")
                    found = list(_segments(body, offset, len(pcm) / SAMPLE_RATE))
                segments.extend(found)
                if on_chunk is not None:
                    on_chunk(samples / SAMPLE_RATE, found)
                progress.at(samples / SAMPLE_RATE)
        if not segments and not start_at:
            raise TranscriptionError("no_speech", MSG_NO_SPEECH)
        progress.done()
        return Transcript(
            segments=segments,
            language=detected,
            duration=samples / SAMPLE_RATE,
            model=self.name,
            settings={
                "chunk_seconds": self.chunk_seconds,
                "prompt": prompt,
                "normalize_loudness": self.normalize_loudness,
            },
        )

    def _post(
        self, client: httpx.Client, pcm: np.ndarray, language: str | None, prompt: str | None
    ) -> dict[str, Any]:
        data: dict[str, str] = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
            "temperature": "0",
        }
        if language:
            data["language"] = language
        if prompt:
            data["prompt"] = prompt
        files = {"file": ("extrait.wav", _wav_bytes(pcm), "audio/wav")}
        try:
            response = client.post(f"{self.base_url}/audio/transcriptions", data=data, files=files)
        except httpx.TimeoutException as exc:
            raise TranscriptionError(
                "server_timeout", "Le service de transcription n'a pas répondu à temps."
            ) from exc
        except httpx.HTTPError as exc:
            raise TranscriptionError(
                "server_unreachable",
                f"Le service de transcription ({self.base_url}) est injoignable.",
            ) from exc
        if response.status_code in (401, 403):
            raise TranscriptionError(
                "server_refused",
                "Le service de transcription a refusé la demande (clé d'API invalide ?).",
            )
        if response.status_code >= 400:
            raise TranscriptionError(
                "server_error",
                f"Le service de transcription a renvoyé une erreur (HTTP {response.status_code}).",
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise TranscriptionError(
                "server_error", "Le service de transcription a renvoyé une réponse illisible."
            ) from exc
        if not isinstance(body, dict):
            raise TranscriptionError(
                "server_error", "Le service de transcription a renvoyé une réponse illisible."
            )
        return body


def _segments(body: dict[str, Any], offset: float, length: float) -> Iterator[Segment]:
    """Segments of a verbose_json answer; a plain ``{"text"}`` answer becomes one segment."""
    items = body.get("segments")
    if isinstance(items, list) and items:
        for item in items:
            text = str(item.get("text", "")).strip()
            if text:
                start = float(item.get("start", 0.0))
                end = float(item.get("end", start))
                yield Segment(offset + start, offset + end, text)
        return
    text = str(body.get("text", "")).strip()
    if text:
        yield Segment(offset, offset + length, text)


def _embedded(config: ProviderConfig, settings: Settings) -> WhisperTranscriber:
    return WhisperTranscriber(
        settings=WhisperSettings(chunk_seconds=settings.transcription_chunk_s),
        cpu_threads=settings.transcription_threads,
    )


def _server(config: ProviderConfig, settings: Settings) -> OpenAITranscriber:
    # The operator's rules: key source allowed for this collectivité, no metadata address.
    try:
        secrets.check_base_url(settings, config.base_url, resolve=True)
    except secrets.KeySourceRefused as exc:
        raise ProviderError(f"base URL of {config.name!r} refused", str(exc)) from None
    return OpenAITranscriber(
        config.base_url,
        api_key=resolve_api_key(config, settings) or None,
        model=config.models[0] if config.models else "whisper-1",
        timeout=config.timeout_s or 600.0,
        chunk_seconds=settings.transcription_chunk_s,
    )


def register_provider_kinds(register: Callable[..., None]) -> None:
    register(
        "faster_whisper",
        _embedded,
        capability="transcription",
        label="Transcription embarquée (faster-whisper)",
        in_process=True,
    )
    register(
        "openai_compat",
        _server,
        capability="transcription",
        label="Serveur de transcription compatible OpenAI (/v1/audio/transcriptions)",
    )
