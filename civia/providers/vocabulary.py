"""A collectivité's transcription vocabulary: names of élus, streets, places and services that
the speech decoder should spell right. Stored in the tenant's profile (`PROFILE_KEY`, a list of
terms), edited by its admins, given to the decoder of every transcription: faster-whisper's
`hotwords` (prepended to the prompt of every 30-second window, so it holds over a two-hour
meeting, unlike `initial_prompt` which only conditions the start), the `prompt` field of an
OpenAI-compatible server.

Whisper reads at most 223 prompt tokens of hotwords (faster-whisper cuts the rest, possibly in
the middle of a name): the decoder gets the first terms of the list within `DECODER_CHARS`,
never a term cut in two; the admin page says which ones (bench/bench_vocabulary.py measured
the characters per token of such lists).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

PROFILE_KEY = "vocabulaire_transcription"
MAX_TERMS = 200
MAX_CHARS = 4000
MAX_TERM_CHARS = 100
DECODER_CHARS = 500  # ~185 Whisper tokens at the 2.7 characters per token measured: < 223
SEPARATOR = ", "


class VocabularyError(ValueError):
    """French message for the admin."""


def _n(number: int) -> str:
    """« 4 000 » (French digit grouping, narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


def parse(text: str) -> list[str]:
    """One term per line, spaces tidied; blank lines and repeats (ignoring case) dropped."""
    if len(text) > MAX_CHARS:
        raise VocabularyError(
            f"Le vocabulaire fait {_n(len(text))} caractères ; maximum {_n(MAX_CHARS)}."
        )
    terms: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        term = " ".join(line.split()).strip(" ,;")
        if not term:
            continue
        if len(term) > MAX_TERM_CHARS:
            raise VocabularyError(
                f"Ligne {number} : un terme fait au plus {MAX_TERM_CHARS} caractères "
                "(un nom, une rue ou un service par ligne)."
            )
        terms.setdefault(term.casefold(), term)
    if len(terms) > MAX_TERMS:
        raise VocabularyError(
            f"Le vocabulaire compte {len(terms)} termes ; maximum {MAX_TERMS}, un par ligne."
        )
    return list(terms.values())


def of_profile(profile: Mapping[str, object] | None) -> list[str]:
    """The terms a collectivité saved (none when it saved nothing)."""
    saved = (profile or {}).get(PROFILE_KEY)
    return [str(t) for t in saved if str(t).strip()] if isinstance(saved, list) else []


def for_decoder(terms: Sequence[str]) -> list[str]:
    """The first terms whose list fits the decoder's prompt (`DECODER_CHARS`)."""
    kept: list[str] = []
    used = 0
    for term in terms:
        used += len(term) + (len(SEPARATOR) if kept else 0)
        if used > DECODER_CHARS:
            break
        kept.append(term)
    return kept


def as_prompt(terms: Sequence[str]) -> str:
    """The text given to the decoder ("" without vocabulary)."""
    return SEPARATOR.join(for_decoder(terms))
