"""Dates, numeric (12/03/1985, 2024-03-12) or in words (lundi 1er janvier 2024, 12 mars 1985).

A date needs at least a day and a month: "mars 2024" or "1985" alone are not detected.
A weekday written just before the date is part of the span.
"""

from __future__ import annotations

import re

from civia.privacy.recognizers import number_words
from civia.privacy.recognizers.base import RegexRecognizer

_MONTHS = (
    r"janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?"
    r"|ao[ûu]t|septembre|sept?\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?"
)
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"


class FrenchDateRecognizer(RegexRecognizer):
    ENTITY = "DATE"
    PATTERN = re.compile(
        r"(?<![\w/.\-])(?:"
        r"(?P<numeric>(?P<d>0?[1-9]|[12]\d|3[01])(?P<sep>[/.\-])(?P<m>0?[1-9]|1[0-2])(?P=sep)"
        r"(?:\d{4}|\d{2}))"
        r"|(?P<iso>(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))"
        rf"|(?P<words>(?:(?:{_WEEKDAYS})[ \u00a0]+)?"
        rf"(?:1er|1ᵉʳ|0?[1-9]|[12]\d|3[01]|(?!une?\b){number_words.DAY})[ \u00a0]+"
        rf"(?:{_MONTHS})(?P<year>[ \u00a0]+(?:(?:19|20)\d{{2}}|{number_words.YEAR}))?)"
        # "VAD le 14/03": day and month without a year, after "le", "du", "au".
        r"|(?<=\b(?:le|du|au) )(?P<short>(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2]))(?![/\d])"
        r")(?![\w/]|[.\-]\d)",
        re.IGNORECASE,
    )

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        start, end = match.span()
        # "le 3 déc." at the end of a sentence: the dot belongs to the sentence.
        if match.group("words") and not match.group("year") and match.group().endswith("."):
            end -= 1
        return start, end

    def score(self, match: re.Match[str], text: str) -> float | None:
        if match.group("words"):
            return 0.85 if match.group("year") else 0.7
        if match.group("short"):
            return 0.6
        return 0.85
