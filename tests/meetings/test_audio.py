"""Probing and chunked decoding with ffmpeg; bad input gets a French message (no model)."""

from __future__ import annotations

import math
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from civia.providers.audio import (
    SAMPLE_RATE,
    audio_chunks,
    measure_duration,
    probe_audio,
    quietest_cut,
)
from civia.providers.speech import TranscriptionError

from .conftest import needs_ffmpeg, write_wav

pytestmark = needs_ffmpeg


def _sine(seconds: float, amplitude: int = 8000) -> list[int]:
    count = int(seconds * SAMPLE_RATE)
    return [int(amplitude * math.sin(2 * math.pi * 440 * i / SAMPLE_RATE)) for i in range(count)]


def _unknown_codec_wav(path: Path) -> Path:
    data = b"\x01\x02" * SAMPLE_RATE
    fmt = struct.pack("<HHIIHH", 0x1234, 1, SAMPLE_RATE, 2 * SAMPLE_RATE, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def _assert_french(error: TranscriptionError, code: str) -> None:
    assert error.code == code
    assert error.message_fr == str(error)
    assert "fichier" in error.message_fr.lower() or "enregistrement" in error.message_fr.lower()


def test_probe_reads_duration(tmp_path: Path) -> None:
    info = probe_audio(write_wav(tmp_path / "tone.wav", _sine(1.5)))
    assert info.duration == pytest.approx(1.5, abs=0.01)
    assert info.codec == "pcm_s16le"


def test_text_renamed_mp3_is_not_audio(tmp_path: Path) -> None:
    path = tmp_path / "compte-rendu.mp3"
    path.write_text("Ceci est un texte, pas un enregistrement.\n" * 20, encoding="utf-8")
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(path)
    _assert_french(caught.value, "not_audio")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.wav"
    path.touch()
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(path)
    _assert_french(caught.value, "empty_file")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(tmp_path / "absent.ogg")
    _assert_french(caught.value, "not_found")


def test_corrupted_header(tmp_path: Path) -> None:
    real = write_wav(tmp_path / "ok.wav", _sine(1.0)).read_bytes()
    path = tmp_path / "abime.wav"
    path.write_bytes(b"\x00" * 64 + real[64:])
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(path)
    _assert_french(caught.value, "not_audio")


def test_unsupported_codec(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(_unknown_codec_wav(tmp_path / "codec.wav"))
    assert caught.value.code == "unsupported_codec"
    assert "codec" in caught.value.message_fr and "pris en charge" in caught.value.message_fr


def test_video_without_sound(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=32x32:rate=5",
         "-t", "1", "-c:v", "mpeg4", str(path)],
        check=True,
    )  # fmt: skip
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(path)
    assert caught.value.code == "no_audio_stream"
    assert "piste audio" in caught.value.message_fr


def test_chunks_cover_the_whole_file_without_gaps(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "tone.wav", _sine(5.0))
    with audio_chunks(path, chunk_seconds=2.0, normalize=False, search_seconds=0.5) as chunks:
        parts = list(chunks)
    assert len(parts) == 3
    position = 0.0
    for offset, samples in parts:
        assert samples.dtype == np.float32
        assert offset == pytest.approx(position)
        position += len(samples) / SAMPLE_RATE
    assert position == pytest.approx(5.0, abs=1e-3)
    assert measure_duration(path) == pytest.approx(5.0, abs=1e-3)


def test_chunks_resume_from_a_checkpoint(tmp_path: Path) -> None:
    """`start_seconds` skips what was already transcribed; offsets stay absolute."""
    path = write_wav(tmp_path / "tone.wav", _sine(5.0))
    with audio_chunks(path, 2.0, normalize=False, search_seconds=0.5, start_seconds=3.0) as chunks:
        parts = list(chunks)
    assert parts[0][0] == pytest.approx(3.0)
    assert sum(len(samples) for _, samples in parts) / SAMPLE_RATE == pytest.approx(2.0, abs=0.01)


def test_cut_lands_in_the_pause() -> None:
    samples = np.full(SAMPLE_RATE * 4, 0.5, dtype=np.float32)
    samples[int(3.2 * SAMPLE_RATE) : int(3.4 * SAMPLE_RATE)] = 0.0  # a 200 ms pause
    cut = quietest_cut(samples, search=SAMPLE_RATE * 2)
    assert 3.2 <= cut / SAMPLE_RATE <= 3.4


def test_stopping_early_stops_ffmpeg(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "tone.wav", _sine(5.0))
    with audio_chunks(path, chunk_seconds=1.0) as chunks:
        first = next(iter(chunks))
    assert first[0] == 0.0
