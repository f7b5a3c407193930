"""The embedded transcriber on a real shared clip with the real model."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from civia.meetings.evaluation import corpus_wer
from civia.providers.speech import Transcriber, TranscriptionCancelled, TranscriptionError

from .conftest import CLIP, needs_clip, write_wav

pytestmark = [pytest.mark.model, needs_clip]


def test_is_a_transcriber(transcriber) -> None:
    assert isinstance(transcriber, Transcriber)
    assert "whisper" in transcriber.name


def test_clip_gives_french_text_with_timestamps(transcriber) -> None:
    progress: list[float] = []
    transcript = transcriber.transcribe(CLIP, on_progress=progress.append)
    assert transcript.language == "fr"
    assert transcript.duration == pytest.approx(8.35, abs=0.1)
    assert transcript.segments
    previous_end = 0.0
    for segment in transcript.segments:
        assert previous_end - 0.01 <= segment.start < segment.end <= transcript.duration + 0.5
        previous_end = segment.end
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [transcript.text]) < 0.5
    assert "sortie de piste" in transcript.text.lower()
    # progress: increasing, ends at exactly 1.0
    assert progress[-1] == 1.0
    assert progress == sorted(progress)
    assert all(0.0 < value <= 1.0 for value in progress)


def test_cancel_stops_the_transcription(transcriber) -> None:
    with pytest.raises(TranscriptionCancelled):
        transcriber.transcribe(CLIP, should_cancel=lambda: True)


def test_cancel_midway(transcriber) -> None:
    calls: list[int] = []

    def should_cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # let the first chunk start, stop at the first segment

    with pytest.raises(TranscriptionCancelled):
        transcriber.transcribe(CLIP, should_cancel=should_cancel)


def test_silent_second_is_refused_in_french(transcriber, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "silence.wav", [0] * 16_000)
    with pytest.raises(TranscriptionError) as caught:
        transcriber.transcribe(path)
    assert caught.value.code == "no_speech"
    assert "Aucune parole" in caught.value.message_fr


def test_text_renamed_mp3_is_refused_in_french(transcriber, tmp_path: Path) -> None:
    path = tmp_path / "notes.mp3"
    path.write_text("Ordre du jour : budget primitif.\n" * 50, encoding="utf-8")
    with pytest.raises(TranscriptionError) as caught:
        transcriber.transcribe(path)
    assert caught.value.code == "not_audio"
    assert "n'est pas un enregistrement audio" in caught.value.message_fr


def test_empty_file_is_refused_in_french(transcriber, tmp_path: Path) -> None:
    path = tmp_path / "vide.mp3"
    path.touch()
    with pytest.raises(TranscriptionError) as caught:
        transcriber.transcribe(path)
    assert caught.value.code == "empty_file"
    assert "vide" in caught.value.message_fr


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_recording_in_another_language_is_refused(transcriber, tmp_path: Path) -> None:
    path = tmp_path / "english.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en", "-w", str(path),
         "Good evening everyone. The city council will now discuss the budget for next year, "
         "including the new library and the repairs to the swimming pool."],
        check=True,
    )  # fmt: skip
    with pytest.raises(TranscriptionError) as caught:
        transcriber.transcribe(path)
    assert caught.value.code == "wrong_language"
    assert "anglais" in caught.value.message_fr


def test_chunks_are_stitched_with_their_offsets(transcriber, model_dir: Path) -> None:
    from dataclasses import replace

    from civia.providers.whisper import WhisperTranscriber

    chunked = WhisperTranscriber(
        model_dir,
        settings=replace(
            transcriber.settings,
            chunk_seconds=5.0,
            check_language=False,
            temperature_fallback=False,  # a 3-second window may trigger it: keep the test short
        ),
        cpu_threads=transcriber.cpu_threads,
    )
    transcript = chunked.transcribe(CLIP)
    starts = [segment.start for segment in transcript.segments]
    assert starts == sorted(starts)
    assert transcript.segments[-1].end > 4.0  # the later chunks were shifted, not restarted at 0
    assert transcript.duration == pytest.approx(8.35, abs=0.1)
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    assert corpus_wer([reference], [transcript.text]) < 0.6
