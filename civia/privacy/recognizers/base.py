"""A regex recognizer whose score is decided in Python (checksums, nearby keywords)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

LANGUAGE = "fr"
_CONTEXT_WINDOW = 60


def has_context(
    text: str, start: int, keywords: Iterable[str], window: int = _CONTEXT_WINDOW
) -> bool:
    """True when one of ``keywords`` (lower case) is in the ``window`` chars before ``start``."""
    before = text[max(0, start - window) : start].lower()
    return any(keyword in before for keyword in keywords)


class RegexRecognizer(LocalRecognizer):
    """Subclasses set ``ENTITY`` and ``PATTERN`` and decide each match's score in ``score``.

    Presidio's PatternRecognizer can only give a fixed score or 1.0 after validation; our
    identifiers need "checksum *and* context" decisions, hence this small base.
    """

    ENTITY: str = ""
    PATTERN: re.Pattern[str]

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=LANGUAGE, name=type(self).__name__
        )

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def score(self, match: re.Match[str], text: str) -> float | None:
        """Confidence for this match, or None to reject it."""
        raise NotImplementedError

    def evaluate(self, match: re.Match[str], text: str) -> tuple[int, int, float] | None:
        """Offsets and score of the entity in this match, or None."""
        score = self.score(match, text)
        if score is None:
            return None
        start, end = self.span(match)
        return start, end, score

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        """The entity's offsets within the match (a named group ``value`` if present)."""
        if "value" in match.re.groupindex and match.group("value") is not None:
            return match.span("value")
        return match.span()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self.ENTITY not in entities:
            return []
        results = []
        for match in self.PATTERN.finditer(text):
            found = self.evaluate(match, text)
            if found is not None:
                results.append(RecognizerResult(self.ENTITY, *found))
        return results
