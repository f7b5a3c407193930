"""Transcription quality: word error rate (WER) and real-time factor (RTF).

The normalisation follows ../shared/data/README.md and is applied to reference and hypothesis
alike: lower case, punctuation stripped, apostrophes and hyphens folded to spaces, spaces
collapsed. Corpus WER is total errors over total reference words (not a mean of clip WERs).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civia.providers.speech import Transcriber, TranscriptionError

AUDIO_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".m4a", ".ogg", ".opus", ".oga", ".webm", ".mp4", ".flac", ".aac", ".mkv"}
)
_FOLD = re.compile(r"[\u0027\u2018\u2019\u02bc\u0060\u00b4\u002d\u2010-\u2015\u2212]")


def normalize_text(text: str) -> str:
    """Lower case, fold apostrophes and hyphens, strip punctuation, collapse spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _FOLD.sub(" ", text)
    text = "".join(char if char.isalnum() or char.isspace() else " " for char in text)
    return " ".join(text.split())


def corpus_wer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus-level WER after `normalize_text` on both sides.

    Pairs whose normalised reference is empty are skipped (WER is undefined for them).
    """
    import jiwer

    if len(references) != len(hypotheses):
        raise ValueError("references and hypotheses must have the same length")
    pairs = [
        (normalize_text(ref), normalize_text(hyp))
        for ref, hyp in zip(references, hypotheses, strict=True)
    ]
    pairs = [(ref, hyp) for ref, hyp in pairs if ref]
    if not pairs:
        raise ValueError("no non-empty reference")
    output = jiwer.process_words([ref for ref, _ in pairs], [hyp for _, hyp in pairs])
    errors = output.substitutions + output.deletions + output.insertions
    words = output.substitutions + output.deletions + output.hits
    return errors / words


@dataclass(frozen=True)
class Clip:
    audio: Path
    reference: str


def find_clips(directory: str | Path) -> list[Clip]:
    """Audio files in `directory` that have a same-named ``.txt`` reference, sorted by name."""
    clips = []
    for path in sorted(Path(directory).iterdir()):
        reference = path.with_suffix(".txt")
        if path.suffix.lower() in AUDIO_EXTENSIONS and path.is_file() and reference.is_file():
            clips.append(Clip(path, reference.read_text(encoding="utf-8").strip()))
    return clips


def evaluate(
    clips: Sequence[Clip],
    transcriber: Transcriber,
    *,
    language: str | None = "fr",
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Transcribe every clip and return the evaluation contract as a JSON-able dict.

    A clip the engine refuses counts as an empty hypothesis (all words deleted) and carries
    an ``error`` with the French message.
    """
    results: list[dict[str, Any]] = []
    for clip in clips:
        started = time.perf_counter()
        entry: dict[str, Any] = {"file": clip.audio.name, "reference": clip.reference}
        try:
            transcript = transcriber.transcribe(clip.audio, language=language)
            entry["hypothesis"] = transcript.text
            audio_seconds = transcript.duration
        except TranscriptionError as exc:
            entry["hypothesis"] = ""
            entry["error"] = exc.message_fr
            audio_seconds = 0.0
        entry["audio_seconds"] = round(audio_seconds, 3)
        entry["seconds"] = round(time.perf_counter() - started, 3)
        results.append(entry)
    audio_total = sum(entry["audio_seconds"] for entry in results)
    seconds_total = sum(entry["seconds"] for entry in results)
    return {
        "clips": len(results),
        "audio_seconds": round(audio_total, 3),
        "wer": round(
            corpus_wer([e["reference"] for e in results], [e["hypothesis"] for e in results]), 4
        ),
        "rtf": round(seconds_total / audio_total, 4) if audio_total else None,
        "model": transcriber.name,
        "settings": dict(settings or {}),
        "language": language,
        "results": results,
    }
