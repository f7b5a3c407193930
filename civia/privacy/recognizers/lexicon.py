"""How common a French word is, from pyspellchecker's French word-frequency list.

That list is built from subtitles with proper names left out, so a lower-case word it does not
hold ("dupuis", "kowalczyk", "traoré") is more likely a name than a word, and a word it holds
often ("veut", "demande") is not a name after « madame » or « dossier ».
"""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker
from spellchecker.spellchecker import WordFrequency

COMMON = 100  # occurrences in the list from which a word is a common word


@cache
def _frequencies() -> WordFrequency:
    return SpellChecker(language="fr", distance=1).word_frequency


def frequency(word: str) -> int:
    return int(_frequencies()[word.lower()])


def is_common(word: str) -> bool:
    return frequency(word) >= COMMON
