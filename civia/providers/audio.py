"""Reading recordings with Debian's ffmpeg: probe, then decode to 16 kHz mono in chunks.

Whatever the container (wav, mp3, m4a, ogg/opus, webm, mp4 video), one ffmpeg process decodes
the first audio stream to 32-bit float PCM on a pipe and we read it a chunk at a time, so a
two-hour council meeting never sits in memory as a whole. Chunks are cut at the quietest moment
near the chunk boundary so a word is rarely split in two.

Loudness is evened out on the way (ffmpeg `dynaudnorm`, a streaming filter): Whisper tends to
skip a quiet speaker who follows or precedes a loud one in the same 30-second window (measured
on FLEURS: a clip 40 dB quieter than its neighbours vanished from the transcript).

Uploads are hostile: ffmpeg auto-detects dozens of demuxers, and some of them (concat scripts,
HLS and DASH playlists, IMF, image sequences, SDP) open further files or URLs named inside the
"recording". Every ffmpeg and ffprobe call here therefore opens its input through `_input`:
only the demuxers of the containers Civia accepts (`ACCEPTED_DEMUXERS`) and only the `file`
protocol, for the one path given. An accepted upload is converted once to a canonical 16 kHz
mono FLAC (`to_canonical`) and the original is deleted.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from civia.providers.speech import TranscriptionError

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
_BYTES_PER_SAMPLE = 4  # float32
# 250 ms frames, ~4 s smoothing, up to +30 dB: lifts a distant speaker next to a close one.
LOUDNESS_FILTER = "dynaudnorm=f=250:g=15:m=30"
_PROBE_TIMEOUT_S = 60.0
# ffmpeg demuxer names (a demuxer matches when one of its names is listed: "mov" is also mp4
# and m4a, "matroska" is also webm). No playlist or sequence demuxer may ever be added here.
ACCEPTED_DEMUXERS = ("wav", "mp3", "mov", "ogg", "matroska", "flac", "aac")
CANONICAL_NAME = "enregistrement.flac"
CANONICAL_MIME = "audio/flac"

MSG_NOT_FOUND = "Le fichier audio est introuvable."
MSG_EMPTY = "Le fichier est vide (0 octet) : aucun enregistrement à transcrire."
MSG_NOT_AUDIO = (
    "Ce fichier n'est pas un enregistrement audio ou vidéo lisible (format inconnu ou en-tête "
    "corrompu). Formats acceptés : WAV, MP3, M4A, OGG/Opus, WebM, MP4."
)
MSG_NO_AUDIO_STREAM = "Ce fichier ne contient aucune piste audio."
MSG_UNSUPPORTED_CODEC = (
    "Le codec audio de ce fichier ({codec}) n'est pas pris en charge. "
    "Convertissez l'enregistrement en MP3, WAV ou OGG puis déposez-le à nouveau."
)
MSG_ZERO_DURATION = "L'enregistrement dure 0 seconde : il n'y a rien à transcrire."
MSG_FFMPEG_MISSING = (
    "Le composant de lecture audio (ffmpeg) n'est pas installé sur le serveur. "
    "Contactez votre administrateur."
)


@dataclass(frozen=True)
class AudioInfo:
    """What ffprobe says about a recording."""

    duration: float | None
    codec: str
    format_name: str


def _ffmpeg_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise TranscriptionError("ffmpeg_missing", MSG_FFMPEG_MISSING)
    return path


def probe_audio(path: str | Path) -> AudioInfo:
    """Check that `path` is a readable recording with an audio stream ffmpeg can decode.

    Raises `TranscriptionError` with a French message for a missing, empty, non-audio or
    unsupported file. `duration` is None when the container does not record it (browser
    MediaRecorder WebM files often do not).
    """
    path = Path(path)
    if not path.is_file():
        raise TranscriptionError("not_found", MSG_NOT_FOUND)
    if path.stat().st_size == 0:
        raise TranscriptionError("empty_file", MSG_EMPTY)
    command = [
        _ffmpeg_binary("ffprobe"),
        "-v", "error",
        "-print_format", "json",
        "-show_format", "-show_streams",
        *_input(path),
    ]  # fmt: skip
    try:
        result = subprocess.run(  # noqa: S603 - fixed binary, the path is one argument
            command, capture_output=True, timeout=_PROBE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO) from exc
    if result.returncode != 0:
        logger.info("ffprobe refused %s: %s", path.name, result.stderr.decode(errors="replace"))
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO)
    try:
        data = json.loads(result.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO) from exc
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        if data.get("streams"):
            raise TranscriptionError("no_audio_stream", MSG_NO_AUDIO_STREAM)
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO)
    stream = streams[0]
    codec = stream.get("codec_name") or ""
    if not codec or codec == "none":
        tag = stream.get("codec_tag") or "inconnu"
        raise TranscriptionError("unsupported_codec", MSG_UNSUPPORTED_CODEC.format(codec=tag))
    fmt = data.get("format", {})
    if not set(str(fmt.get("format_name", "")).split(",")) & set(ACCEPTED_DEMUXERS):
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO)  # never reached with the whitelist
    duration = _as_float(fmt.get("duration")) or _as_float(stream.get("duration"))
    if duration is not None and duration <= 0:
        raise TranscriptionError("zero_duration", MSG_ZERO_DURATION)
    return AudioInfo(duration=duration, codec=codec, format_name=fmt.get("format_name", ""))


def _as_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _input(path: Path) -> list[str]:
    """ffmpeg/ffprobe input options for an untrusted file: accepted demuxers only, local file
    protocol only, and the path as a `file:` URL so that no name is read as another protocol."""
    return [
        "-protocol_whitelist", "file",
        "-format_whitelist", ",".join(ACCEPTED_DEMUXERS),
        "-i", f"file:{path.resolve()}",
    ]  # fmt: skip


def to_canonical(source: str | Path, target: str | Path) -> Path:
    """Decode the first audio stream of `source` to 16 kHz mono 16-bit FLAC at `target`.

    Transcription, playback and exports then only ever read this file, in a format Civia wrote
    itself. Raises `TranscriptionError` (French message) when nothing could be decoded.
    """
    source, target = Path(source), Path(target)
    partial = target.with_name(target.name + ".part")
    command = [
        _ffmpeg_binary("ffmpeg"),
        "-nostdin", "-hide_banner", "-v", "error", "-y",
        *_input(source),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-sample_fmt", "s16",
        "-c:a", "flac", "-f", "flac", str(partial),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        message = result.stderr.decode(errors="replace")
        logger.info("ffmpeg conversion of %s failed: %s", source.name, message[-2000:])
        if "Decoder" in message and "not found" in message:
            raise TranscriptionError(
                "unsupported_codec", MSG_UNSUPPORTED_CODEC.format(codec="inconnu")
            )
        raise TranscriptionError("not_audio", MSG_NOT_AUDIO)
    partial.replace(target)
    return target


def _decode_command(path: Path, normalize: bool, start: float = 0.0) -> list[str]:
    filters = ["-af", LOUDNESS_FILTER] if normalize else []
    # Input seeking: ffmpeg decodes from the nearest point and drops samples up to `start`.
    seek = ["-ss", f"{start:.3f}"] if start > 0 else []
    return [
        _ffmpeg_binary("ffmpeg"),
        "-nostdin", "-hide_banner", "-v", "error",
        *seek,
        *_input(path),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        *filters,
        "-ac", "1", "-ar", str(SAMPLE_RATE),
        "-f", "f32le", "-",
    ]  # fmt: skip


def measure_duration(path: str | Path) -> float:
    """Decode the whole file once to count its samples (for containers without a duration)."""
    total = 0
    with _decoder(Path(path), normalize=False) as stdout:
        while block := stdout.read(1 << 20):
            total += len(block)
    return total / _BYTES_PER_SAMPLE / SAMPLE_RATE


@contextmanager
def _decoder(path: Path, normalize: bool, start: float = 0.0) -> Iterator[_CountingReader]:
    """Run ffmpeg decoding `path` to PCM on a pipe; raise a French error if it failed early."""
    # stderr goes to a file: a damaged file can print errors faster than a pipe drains.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - fixed binary, the path is one argument
            _decode_command(path, normalize, start), stdout=subprocess.PIPE, stderr=errors
        )
        assert process.stdout is not None
        produced = _CountingReader(process.stdout)
        try:
            yield produced
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.wait()
        errors.seek(0)
        message = errors.read().decode(errors="replace")
        if process.returncode not in (0, None) and message:
            logger.info("ffmpeg on %s: %s", path.name, message[-2000:])
            if produced.count == 0:
                if "Decoder" in message and "not found" in message:
                    raise TranscriptionError(
                        "unsupported_codec", MSG_UNSUPPORTED_CODEC.format(codec="inconnu")
                    )
                raise TranscriptionError("not_audio", MSG_NOT_AUDIO)


class _CountingReader:
    """Wraps ffmpeg's stdout to know whether any audio came out."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int) -> bytes:
        block = self._stream.read(size)
        self.count += len(block)
        return block


@contextmanager
def audio_chunks(
    path: str | Path,
    chunk_seconds: float = 600.0,
    *,
    normalize: bool = True,
    search_seconds: float = 10.0,
    start_seconds: float = 0.0,
) -> Iterator[Iterator[tuple[float, np.ndarray]]]:
    """Yield `(offset_seconds, float32 samples)` chunks of about `chunk_seconds`, 16 kHz mono.

    Use as a context manager so that ffmpeg is stopped when the caller stops early (cancel,
    error). Each cut is placed at the quietest 100 ms in the last `search_seconds` of the chunk.
    `normalize` evens out loudness (see the module docstring). `start_seconds` skips the
    beginning (resuming after a checkpoint); offsets stay relative to the whole recording.
    """
    path = Path(path)
    chunk_samples = max(int(chunk_seconds * SAMPLE_RATE), SAMPLE_RATE)
    search = min(int(search_seconds * SAMPLE_RATE), chunk_samples // 2)
    with _decoder(path, normalize, start_seconds) as stdout:
        yield _iter_chunks(stdout, chunk_samples, search, int(start_seconds * SAMPLE_RATE))


def _iter_chunks(
    stdout: _CountingReader, chunk_samples: int, search: int, first: int = 0
) -> Iterator[tuple[float, np.ndarray]]:
    carry = np.empty(0, dtype=np.float32)
    offset = first
    while True:
        wanted = (chunk_samples - len(carry)) * _BYTES_PER_SAMPLE
        data = stdout.read(wanted)
        data = data[: len(data) - len(data) % _BYTES_PER_SAMPLE]
        buffer = np.concatenate([carry, np.frombuffer(data, dtype="<f4")])
        if len(data) < wanted:  # end of stream
            if len(buffer):
                yield offset / SAMPLE_RATE, buffer
            return
        cut = quietest_cut(buffer, search)
        yield offset / SAMPLE_RATE, buffer[:cut]
        offset += cut
        carry = buffer[cut:].copy()


def quietest_cut(samples: np.ndarray, search: int, frame: int = SAMPLE_RATE // 10) -> int:
    """Index of the middle of the quietest `frame` within the last `search` samples."""
    if search < frame or len(samples) < search:
        return len(samples)
    tail = samples[-search:]
    frames = tail[: len(tail) // frame * frame].reshape(-1, frame)
    energy = np.square(frames).mean(axis=1)
    best = int(np.argmin(energy))
    return len(samples) - search + best * frame + frame // 2


def is_silent(samples: np.ndarray, threshold: float = 1e-4) -> bool:
    """True when the loudest sample is below `threshold` (-80 dBFS): digital silence."""
    return len(samples) == 0 or float(np.abs(samples).max()) < threshold
