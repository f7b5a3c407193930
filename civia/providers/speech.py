"""The speech-to-text contract: transcript data, the Transcriber protocol and its errors.

Every speech provider (embedded faster-whisper, OpenAI-compatible servers) returns the same
`Transcript` and raises the same `TranscriptionError`, so the job runner and the web layer never
depend on which engine did the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ProgressCallback = Callable[[float], None]
"""Called with the fraction of the recording processed so far, from 0.0 to 1.0."""

CancelCheck = Callable[[], bool]
"""Polled between segments; returning True stops the transcription."""

ChunkCallback = Callable[[float, list["Segment"]], None]
"""Called after each chunk with the time (seconds) transcribed up to and the chunk's segments:
a checkpoint from which `transcribe(start_at=...)` can resume after a crash."""


@dataclass(frozen=True)
class Segment:
    """One stretch of speech, with times in seconds from the start of the recording."""

    start: float
    end: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "text": self.text}


@dataclass
class Transcript:
    """The result of transcribing one recording."""

    segments: list[Segment]
    language: str
    duration: float
    model: str
    language_probability: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "language_probability": self.language_probability,
            "duration": round(self.duration, 3),
            "model": self.model,
            "settings": self.settings,
            "segments": [segment.to_dict() for segment in self.segments],
        }


class TranscriptionError(Exception):
    """A recording could not be transcribed; `message_fr` is shown to the agent as is.

    `code` is a stable identifier for logs, job records and tests (e.g. ``"not_audio"``).
    """

    def __init__(self, code: str, message_fr: str) -> None:
        super().__init__(message_fr)
        self.code = code
        self.message_fr = message_fr


class TranscriptionCancelled(Exception):
    """The caller asked to stop (`should_cancel` returned True). Not a failure."""

    message_fr = "Transcription annulée."


LANGUAGE_NAMES_FR = {
    "fr": "français",
    "en": "anglais",
    "de": "allemand",
    "es": "espagnol",
    "it": "italien",
    "pt": "portugais",
    "nl": "néerlandais",
    "ar": "arabe",
    "br": "breton",
    "ca": "catalan",
    "eu": "basque",
    "oc": "occitan",
    "co": "corse",
    "ru": "russe",
    "uk": "ukrainien",
    "pl": "polonais",
    "ro": "roumain",
    "tr": "turc",
    "zh": "chinois",
    "ja": "japonais",
}


def language_name_fr(code: str) -> str:
    """French name of a Whisper language code, or the code itself when unknown."""
    return LANGUAGE_NAMES_FR.get(code, code)


# The protocol lives with the other provider protocols; imported here for existing callers.
from civia.providers.base import Transcriber  # noqa: E402

__all__ = ["Transcriber"]
